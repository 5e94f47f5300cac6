"""Each tenant's docs (standards with `warden-rule` blocks, threat model, ADR) and the
tickets/docs folders the folder provider reads (formats: the shared brief)."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from ingestion.sandbox.world_model import WorldDocument, WorldTenant, WorldTicket

_RULES = {
    "no-print-in-services": (
        "Services log through the structured logger, never print().",
        '["services/**/*.py", "src/**/*.py"]',
        r"'\bprint\('",
        "low",
    ),
    "no-console-log": (
        "Front-end and API routes log through the request logger, never console.log.",
        '["src/**/*.js"]',
        r"'console\.log\('",
        "low",
    ),
    "no-bare-except": (
        "Catch the exceptions you expect; a bare `except:` hides bugs and KeyboardInterrupt.",
        '["src/**/*.py", "services/**/*.py"]',
        r"'^\s*except\s*:'",
        "medium",
    ),
}

TENANT_RULES = {
    "acme": ("no-print-in-services", "no-console-log"),
    "globex": ("no-print-in-services", "no-bare-except"),
}


def _rule_block(rule_id: str) -> str:
    description, applies_to, forbid, severity = _RULES[rule_id]
    return "\n".join(
        [
            "```warden-rule",
            f"id: {rule_id}",
            f"description: {description}",
            f"applies-to: {applies_to}",
            f"forbid: {forbid}",
            "require: null",
            f"severity: {severity}",
            "```",
        ]
    )


def tenant_documents(tenant_id: str, company: str) -> tuple[WorldDocument, ...]:
    rules = "\n\n".join(_rule_block(rule_id) for rule_id in TENANT_RULES[tenant_id])
    standards = f"""---
title: {company} engineering standards
kind: standard
---
# {company} engineering standards

## Logging

All services log through the structured logger so that log lines carry the request id.

{rules}

## Reviews

Every change links the ticket it implements in its branch name or title.
"""
    threat_model = f"""---
title: {company} platform threat model
kind: threat_model
---
# {company} platform threat model

## Assets

Customer accounts, payment data, API keys, and the audit trail.

## Threats

### Injection
User input reaches SQL and shell commands. Every query is parameterised; commands are
argument lists, never strings passed to a shell.

### Credential leakage
Secrets come from the environment or the secret store, never from source code.

### Transport security
TLS verification is never disabled, including for partner integrations.

## Controls

Account lockout, rate limiting per API key, and idle session expiry are specified in the
tickets that introduce them; the numbers there are the contract.
"""
    adr = f"""---
title: ADR 0001 - structured logging
kind: adr
---
# ADR 0001: Structured logging

## Context

{company} support could not correlate log lines across services.

## Decision

Use the structured logger everywhere; `print` and `console.log` are not used in services.

## Consequences

Log lines are JSON and carry the request id.
"""
    return (
        WorldDocument("standards/engineering-standards.md", standards),
        WorldDocument("security/threat-model.md", threat_model),
        WorldDocument("adr/0001-structured-logging.md", adr),
    )


def ticket_markdown(ticket: WorldTicket) -> str:
    updated = ticket.updated.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    criteria = "\n".join(f"- [ ] {criterion}" for criterion in ticket.spec.criteria)
    title = ticket.spec.title.replace("\n", " ")
    return (
        f"---\nkey: {ticket.key}\ntitle: {title}\nstatus: {ticket.spec.status}\n"
        f"updated: {updated}\n---\n{ticket.spec.description}\n\n"
        f"## Acceptance criteria\n{criteria}\n"
    )


def write_tenant_folders(tenant: WorldTenant, root: Path) -> tuple[Path, Path]:
    """Write `<root>/<tenant>/tickets/*.md` and `<root>/<tenant>/docs/**.md`."""
    tickets_dir = root / tenant.tenant_id / "tickets"
    docs_dir = root / tenant.tenant_id / "docs"
    tickets_dir.mkdir(parents=True, exist_ok=True)
    docs_dir.mkdir(parents=True, exist_ok=True)
    for ticket in tenant.tickets:
        (tickets_dir / f"{ticket.key}.md").write_text(ticket_markdown(ticket), encoding="utf-8")
    for document in tenant.documents:
        target = docs_dir / document.filename
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(document.text, encoding="utf-8")
    return tickets_dir, docs_dir
