"""Finding records for requirement drift: contradiction, no evidence, no linked ticket."""

from __future__ import annotations

from analysis.context import ReviewContext
from analysis.detectors.requirement_evidence import Contradiction
from analysis.detectors.requirement_terms import CriterionTerms
from analysis.findings import general_finding
from analysis.fingerprint import compute_fingerprint
from warden.records import Finding, FindingCategory, Severity, Ticket

_UNKNOWN_UNIT_CONFIDENCE = 0.6
_CONTRADICTION_CONFIDENCE = 0.75


def ticket_source(ticket: Ticket) -> str:
    return f"{ticket.ticket_key} ({ticket.url})" if ticket.url else ticket.ticket_key


def contradiction_finding(
    context: ReviewContext, ticket: Ticket, criterion: str, found: Contradiction
) -> Finding:
    line = found.line
    code = line.text.strip()
    confidence = _CONTRADICTION_CONFIDENCE if found.unit_known else _UNKNOWN_UNIT_CONFIDENCE
    return general_finding(
        context,
        rule_id="requirement-contradicted",
        category=FindingCategory.requirement_drift,
        severity=Severity.high,
        confidence=confidence,
        message=f"{ticket.ticket_key}: the criterion \u201c{criterion}\u201d says "
        f"{found.expected}, but {line.path}:{line.line} uses {found.found}.",
        suggested_fix=f"Use {found.expected} as the criterion says (ideally as a named "
        "constant with a test), or agree a change to the ticket first.",
        evidence=f"criterion: {criterion} | code: {code}",
        evidence_source=ticket_source(ticket),
        file_path=line.path,
        start_line=line.line,
        end_line=line.line,
        fingerprint=compute_fingerprint(
            "requirement-contradicted", line.path, f"{ticket.ticket_key}: {criterion}"
        ),
    )


def drift_finding(
    context: ReviewContext, ticket: Ticket, terms: CriterionTerms, score: float
) -> Finding:
    confidence = 0.65 - 0.4 * score
    if len(terms.terms) < 2 and not terms.numbers:
        confidence = min(confidence, 0.4)  # too vague to judge lexically
    return general_finding(
        context,
        rule_id="requirement-not-evidenced",
        category=FindingCategory.requirement_drift,
        severity=Severity.medium,
        confidence=confidence,
        message=f"{ticket.ticket_key}: no evidence in the added code or tests for the "
        f"acceptance criterion \u201c{terms.text}\u201d.",
        suggested_fix="Implement the criterion (and a test that names it), or update the "
        "ticket if the scope changed.",
        evidence=terms.text,
        evidence_source=ticket_source(ticket),
        fingerprint=compute_fingerprint(
            "requirement-not-evidenced", None, f"{ticket.ticket_key}: {terms.text}"
        ),
    )


def missing_ticket_finding(context: ReviewContext) -> Finding:
    pr = context.pull_request
    return general_finding(
        context,
        rule_id="missing-linked-ticket",
        category=FindingCategory.requirement_drift,
        severity=Severity.medium,
        confidence=0.9,
        message="This repository requires a linked ticket, and none was found in the "
        "branch name, title or description.",
        suggested_fix="Reference the ticket key (e.g. ENG-123) in the PR title, "
        "description or branch name.",
        evidence=f"branch {pr.head_ref!r}, title {pr.title!r}",
        evidence_source="repository review policy: require_linked_ticket",
        fingerprint=compute_fingerprint("missing-linked-ticket", None, pr.pr_key),
    )
