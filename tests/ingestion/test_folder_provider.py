"""Folder tickets and documents: parsing, sections, warden-rule fences, rejected files."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from ingestion.providers.base import Capability
from ingestion.providers.folder import (
    FolderDocumentSource,
    FolderTicketSource,
    infer_kind,
    parse_document_markdown,
    parse_ticket_markdown,
    split_sections,
)
from ingestion.providers.registry import build_provider
from warden.controlplane.rows import IntegrationRow
from warden.errors import NormalisationError
from warden.settings import Settings

MTIME = datetime(2026, 8, 15, 12, 0, tzinfo=UTC)

TICKET = """---
key: ENG-123
title: Lock accounts after repeated failed logins
status: In Progress
updated: 2026-09-01T10:00:00Z
---
Free text description.

It spans two paragraphs.

## Acceptance criteria
- [ ] After 5 failed login attempts the account is locked for 15 minutes
- [x] A locked account returns HTTP 423
* A plain bullet that wraps
  onto a second line
1. A numbered item
2) Another numbered item
Given a locked account
When the user logs in with the right password
Then the response is HTTP 423

```text
- not a criterion (code)
```

## Notes
- not a criterion either
"""

RULE_DOC = """---
title: Service standards
---
Intro paragraph.

# Logging

Services log through the structured logger.

```warden-rule
id: no-print-in-services
description: Services log through the structured logger, never print().
applies-to: ["services/**/*.py", "src/**/*.py"]
forbid: '\\bprint\\('
severity: low
```

## Example

```python
# This is a comment, not a heading
print("no")
```

~~~
## still code
~~~

## Example
Second section with the same name.
"""


def parse_ticket(text: str, source: str = "ENG-123.md"):
    return parse_ticket_markdown(text, source, tenant_id="acme", fallback_updated_at=MTIME)


def test_ticket_front_matter_and_description():
    ticket = parse_ticket(TICKET)
    assert ticket.ticket_key == "ENG-123" and ticket.provider == "folder"
    assert ticket.title == "Lock accounts after repeated failed logins"
    assert ticket.status == "In Progress"
    assert ticket.updated_at == datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
    assert ticket.description.startswith("Free text description.\n\nIt spans two paragraphs.")
    assert "## Notes" in ticket.description
    assert "Acceptance criteria" not in ticket.description
    assert "After 5 failed" not in ticket.description


def test_ticket_acceptance_criteria_of_every_form():
    assert parse_ticket(TICKET).acceptance_criteria == [
        "After 5 failed login attempts the account is locked for 15 minutes",
        "A locked account returns HTTP 423",
        "A plain bullet that wraps onto a second line",
        "A numbered item",
        "Another numbered item",
        "Given a locked account",
        "When the user logs in with the right password",
        "Then the response is HTTP 423",
    ]


def test_ticket_without_updated_uses_the_fallback_time():
    text = "---\nkey: OPS-1\ntitle: Rotate keys\n---\nNo criteria here.\n"
    ticket = parse_ticket(text)
    assert ticket.updated_at == MTIME
    assert ticket.acceptance_criteria == [] and ticket.status == ""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("no front matter at all\n", "no front matter"),
        ("---\ntitle: x\n---\n", "no 'key'"),
        ("---\nkey: eng-1\ntitle: x\n---\n", "invalid ticket key"),
        ("---\nkey: ENG-1234567\ntitle: x\n---\n", "invalid ticket key"),
        ("---\nkey: ENG-1\n---\n", "no 'title'"),
        ("---\nkey: [ENG-1\ntitle: x\n---\n", "not valid YAML"),
        ("---\n- a list\n---\n", "must be a YAML mapping"),
        ("---\nkey: ENG-1\ntitle: x\n", "not closed"),
        ("---\nkey: ENG-1\ntitle: x\nupdated: yesterday\n---\n", "ISO 8601"),
    ],
)
def test_malformed_ticket_is_a_normalisation_error_with_reason(text, reason):
    with pytest.raises(NormalisationError, match=reason):
        parse_ticket(text)


def test_sections_split_by_heading_with_levels_and_unique_anchors():
    sections = split_sections(RULE_DOC.split("---\n", 2)[2])
    assert [(s.heading, s.level, s.anchor) for s in sections] == [
        ("", 0, "top"),
        ("Logging", 1, "logging"),
        ("Example", 2, "example"),
        ("Example", 2, "example-1"),
    ]
    assert sections[0].text == "Intro paragraph."
    assert sections[3].text == "Second section with the same name."


def test_fenced_blocks_stay_whole_and_hide_their_headings():
    logging_section, example = split_sections(RULE_DOC.split("---\n", 2)[2])[1:3]
    assert "```warden-rule\nid: no-print-in-services\n" in logging_section.text
    rule_yaml = logging_section.text.split("```warden-rule\n")[1].split("```")[0]
    assert yaml.safe_load(rule_yaml)["forbid"] == "\\bprint\\("
    assert "# This is a comment, not a heading" in example.text
    assert "~~~\n## still code\n~~~" in example.text


def test_anchor_slugs_drop_punctuation():
    [section] = split_sections("## Auth: Tokens & Sessions (v2)\ntext\n")
    assert section.anchor == "auth-tokens--sessions-v2"


def test_document_front_matter_title_kind_and_id():
    doc = parse_document_markdown(
        RULE_DOC, "standards/services.md", tenant_id="acme", fallback_updated_at=MTIME
    )
    assert doc.doc_id == "folder:standards/services.md"
    assert (doc.title, doc.kind, doc.path, doc.updated_at) == (
        "Service standards",
        "standard",
        "standards/services.md",
        MTIME,
    )


def test_document_without_front_matter_takes_title_from_first_heading():
    doc = parse_document_markdown(
        "# Layering\nDomain never imports adapters.\n",
        "adr/0003-layering.md",
        tenant_id="acme",
        fallback_updated_at=MTIME,
    )
    assert (doc.title, doc.kind) == ("Layering", "adr")
    assert doc.sections[0].text == "Domain never imports adapters."


def test_declared_kind_is_normalised_and_unknown_kind_rejected():
    text = "---\nkind: threat\n---\nbody\n"
    doc = parse_document_markdown(text, "x.md", tenant_id="acme", fallback_updated_at=MTIME)
    assert doc.kind == "threat_model"
    with pytest.raises(NormalisationError, match="unknown document kind"):
        parse_document_markdown(
            "---\nkind: poem\n---\n", "x.md", tenant_id="acme", fallback_updated_at=MTIME
        )


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("docs/adr/0001-use-duckdb.md", "adr"),
        ("ADR-0002.md", "adr"),
        ("security/threat-model.md", "threat_model"),
        ("design/auth-flow.md", "design"),
        ("coding-standards.md", "standard"),
        ("guides/onboarding.md", "doc"),
        ("readme.md", "doc"),
    ],
)
def test_kind_is_inferred_from_the_path(path, kind):
    assert infer_kind(path) == kind


def write(root: Path, relative: str, text: str | bytes, mtime: datetime | None = None) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime.timestamp(), mtime.timestamp()))


def test_ticket_folder_returns_good_files_and_rejects_bad_ones(tmp_path):
    write(tmp_path, "eng/ENG-123.md", TICKET)
    write(tmp_path, "ops/OPS-1.md", "---\nkey: OPS-1\ntitle: Rotate\n---\n", mtime=MTIME)
    write(tmp_path, "broken.md", "---\nkey: [\n---\n")
    write(tmp_path, "nokey.md", "---\ntitle: x\n---\n")
    write(tmp_path, "latin1.md", "caf\xe9".encode("latin-1"))
    write(tmp_path, ".hidden/ENG-9.md", TICKET)
    write(tmp_path, "notes.txt", "not markdown")

    source = FolderTicketSource("acme", tmp_path)
    fetched = source.list_tickets()

    assert sorted(f.record.ticket_key for f in fetched) == ["ENG-123", "OPS-1"]
    ops = next(f for f in fetched if f.record.ticket_key == "OPS-1")
    assert ops.record.updated_at == MTIME
    assert ops.raw == {"path": "ops/OPS-1.md", "text": "---\nkey: OPS-1\ntitle: Rotate\n---\n"}
    reasons = {r.source: r.reason for r in source.rejected}
    assert set(reasons) == {"broken.md", "nokey.md", "latin1.md"}
    assert "not valid YAML" in reasons["broken.md"]
    assert "no 'key'" in reasons["nokey.md"]
    assert "UTF-8" in reasons["latin1.md"]
    assert next(r for r in source.rejected if r.source == "nokey.md").raw["text"].startswith("---")


def test_ticket_folder_filters_by_updated_since(tmp_path):
    write(tmp_path, "ENG-123.md", TICKET)
    write(tmp_path, "OPS-1.md", "---\nkey: OPS-1\ntitle: Old\n---\n", mtime=MTIME)
    source = FolderTicketSource("acme", tmp_path)
    recent = source.list_tickets(updated_since=datetime(2026, 8, 20, tzinfo=UTC))
    assert [f.record.ticket_key for f in recent] == ["ENG-123"]


def test_document_folder_loads_docs_and_rejects_bad_kind(tmp_path):
    write(tmp_path, "standards/services.md", RULE_DOC)
    write(tmp_path, "adr/0001-duckdb.md", "# Use DuckDB\nBecause.\n")
    write(tmp_path, "odd.md", "---\nkind: poem\n---\n")

    source = FolderDocumentSource("acme", tmp_path)
    docs = {f.record.doc_id: f for f in source.list_documents()}

    assert set(docs) == {"folder:standards/services.md", "folder:adr/0001-duckdb.md"}
    assert docs["folder:adr/0001-duckdb.md"].record.kind == "adr"
    assert docs["folder:standards/services.md"].raw["text"] == RULE_DOC
    assert [(r.source, "unknown document kind" in r.reason) for r in source.rejected] == [
        ("odd.md", True)
    ]


def test_registry_builds_folder_sources_from_integrations(tmp_path):
    settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    built = []
    for kind in ("tracker", "docs"):
        integration = IntegrationRow(
            integration_id=1,
            tenant_id="acme",
            name=kind,
            kind=kind,
            provider="folder",
            config={"path": str(tmp_path)},
            credential_ref=None,
            webhook_secret_ref=None,
            status="active",
        )
        built.append(build_provider("acme", integration, settings))
    tickets, docs = built
    assert isinstance(tickets, FolderTicketSource) and tickets.supports(Capability.read_tickets)
    assert isinstance(docs, FolderDocumentSource) and docs.supports(Capability.read_documents)
