"""Requirement drift: does the change show evidence for each linked ticket's criteria?

Conservative by design: evidence is lexical (terms, identifiers, numbers in the added
lines), so confidence stays modest; a number in a criterion contradicted by a literal in
the code near the same concept is the one strong signal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.context import ReviewContext
from analysis.detectors.requirement_terms import (
    UNIT_STEMS,
    CriterionNumber,
    CriterionTerms,
    analyse_criterion,
    code_numbers,
    code_stems,
    stems_overlap,
)
from analysis.files import FileView
from analysis.findings import general_finding
from analysis.fingerprint import compute_fingerprint
from warden.records import Finding, FindingCategory, Severity, Ticket

_ADDRESSED_SCORE = 0.5
_CODE_LINE = re.compile(r"[=<>:(]")
_STATUS_WORDS = frozenset({"status", "http", "return", "respons", "abort", "code", "raise"})


@dataclass(frozen=True)
class _Contradiction:
    view: FileView
    line: int
    code_value: int
    number: CriterionNumber


class RequirementsReviewer:
    name = "requirements"

    def __init__(self, *, require_linked_ticket: bool = False) -> None:
        self.require_linked_ticket = require_linked_ticket

    def review(self, context: ReviewContext, hints: list[Finding]) -> list[Finding]:
        if not context.tickets:
            return [self._missing_ticket(context)] if self.require_linked_ticket else []
        views = [view for view in context.file_views() if view.added]
        corpus_text = "\n".join(text for view in views for text in view.added.values())
        corpus_stems = code_stems(corpus_text)
        corpus_numbers = code_numbers(corpus_text)
        findings: list[Finding] = []
        for ticket in context.tickets:
            for criterion in ticket.acceptance_criteria:
                terms = analyse_criterion(criterion)
                if not terms.text:
                    continue
                contradiction = _find_contradiction(terms, views)
                if contradiction is not None:
                    findings.append(_contradiction_finding(context, ticket, terms, contradiction))
                    continue
                score = _evidence_score(terms, corpus_stems, corpus_numbers)
                if score < _ADDRESSED_SCORE:
                    findings.append(_drift_finding(context, ticket, terms, score))
        return findings

    def _missing_ticket(self, context: ReviewContext) -> Finding:
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


def _evidence_score(terms: CriterionTerms, stems: set[str], numbers: set[int]) -> float:
    term_ratio = (
        sum(1 for term in terms.terms if any(stems_overlap(term, s) for s in stems))
        / len(terms.terms)
        if terms.terms
        else 0.0
    )
    if not terms.numbers:
        return term_ratio
    matched = sum(1 for number in terms.numbers if number.equivalents() & numbers)
    return 0.6 * term_ratio + 0.4 * matched / len(terms.numbers)


def _comparable(expected: int, found: int) -> bool:
    if found == expected or found in (0, 1) or expected == 0:
        return False
    if 100 <= expected <= 599:  # an HTTP status compares with another status only
        return 100 <= found <= 599
    return max(found, expected) / min(found, expected) <= 20


def _near_concept(number: CriterionNumber, line_stems: set[str]) -> bool:
    def has(stem_: str) -> bool:
        return any(stems_overlap(stem_, s) for s in line_stems)

    if number.head is None:
        wanted = number.context | (_STATUS_WORDS if 100 <= number.value <= 599 else frozenset())
        return any(has(s) for s in wanted)
    if not has(number.head):
        return False
    return number.head not in UNIT_STEMS or any(has(s) for s in number.context)


def _find_contradiction(terms: CriterionTerms, views: list[FileView]) -> _Contradiction | None:
    for number in terms.numbers:
        expected = number.equivalents()
        for view in views:
            if view.is_test or view.language == "other":
                continue
            if expected & code_numbers("\n".join(view.added.values())):
                continue  # the criterion's number is present in this file
            for line, text in sorted(view.added.items()):
                if not _CODE_LINE.search(text) or not _near_concept(number, code_stems(text)):
                    continue
                for found in sorted(code_numbers(text)):
                    if _comparable(number.value, found):
                        return _Contradiction(view, line, found, number)
    return None


def _drift_finding(
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
        message=f"{ticket.ticket_key}: no evidence in the added code for the acceptance "
        f"criterion \u201c{terms.text}\u201d.",
        suggested_fix="Implement the criterion (and a test that names it), or update the "
        "ticket if the scope changed.",
        evidence=terms.text,
        evidence_source=_ticket_source(ticket),
        fingerprint=compute_fingerprint(
            "requirement-not-evidenced", None, f"{ticket.ticket_key}: {terms.text}"
        ),
    )


def _contradiction_finding(
    context: ReviewContext, ticket: Ticket, terms: CriterionTerms, found: _Contradiction
) -> Finding:
    code = found.view.line_text(found.line).strip()
    return general_finding(
        context,
        rule_id="requirement-contradicted",
        category=FindingCategory.requirement_drift,
        severity=Severity.high,
        confidence=0.7,
        message=f"{ticket.ticket_key}: the criterion \u201c{terms.text}\u201d says "
        f"{found.number.value}, but {found.view.path}:{found.line} uses {found.code_value}.",
        suggested_fix=f"Use {found.number.value} as the criterion says (ideally as a named "
        "constant with a test), or agree a change to the ticket first.",
        evidence=f"criterion: {terms.text} | code: {code}",
        evidence_source=_ticket_source(ticket),
        file_path=found.view.path,
        start_line=found.line,
        end_line=found.line,
        fingerprint=compute_fingerprint(
            "requirement-contradicted", found.view.path, f"{ticket.ticket_key}: {terms.text}"
        ),
    )


def _ticket_source(ticket: Ticket) -> str:
    return f"{ticket.ticket_key} ({ticket.url})" if ticket.url else ticket.ticket_key
