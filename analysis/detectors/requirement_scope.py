"""Scope creep: changed files that share nothing with any linked ticket.

A file relates to the tickets when its path names one of their terms, or its added code
names at least two of them. Tests, configuration and docs are support files: they belong
to the change when they sit at the repository root or share a path word with a related
file. Only when at least one file relates (so the tickets' vocabulary does reach the code)
are the rest reported, as one low-severity finding.
"""

from __future__ import annotations

import re

from analysis.context import ReviewContext
from analysis.detectors.requirement_evidence import GENERIC_CONCEPT
from analysis.detectors.requirement_terms import (
    analyse_criterion,
    code_stems,
    split_identifier,
    stem,
    stems_overlap,
)
from analysis.files import FileView
from analysis.findings import general_finding
from analysis.fingerprint import compute_fingerprint
from warden.records import Finding, FindingCategory, Severity, Ticket

_SUPPORT = re.compile(
    r"(?i)(?:^|/)(?:docs?|tests?|__tests__|spec|fixtures?|config|\.github)/"
    r"|\.(?:md|rst|txt|adoc|json|ya?ml|toml|ini|cfg|conf|env|lock|properties|xml|gradle)$"
    r"|(?:^|/)(?:Makefile|Dockerfile|package\.json|requirements[^/]*\.txt|go\.(?:mod|sum)"
    r"|test_[^/]*|[^/]*_test\.\w+|[^/]*\.(?:test|spec)\.\w+|conftest\.py)$"
)
_GENERIC_PATH_TEXT = (
    "src lib app apps pkg internal main test tests spec docs doc config index init py js ts "
    "go java com org"
)
_GENERIC_PATH = frozenset(_GENERIC_PATH_TEXT.split())
_MAX_LISTED = 10
_CODE_TERMS_NEEDED = 2


def ticket_words(ticket: Ticket) -> set[str]:
    """Every lower-case word and identifier part the ticket uses."""
    text = " ".join([ticket.title, ticket.description, *ticket.acceptance_criteria])
    words = {word.lower() for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)}
    return words | {part for word in list(words) for part in split_identifier(word)}


def _ticket_stems(tickets: list[Ticket]) -> frozenset[str]:
    stems: set[str] = set()
    for ticket in tickets:
        for text in [ticket.title, ticket.description, *ticket.acceptance_criteria]:
            stems |= analyse_criterion(text).terms
    return frozenset(stems - GENERIC_CONCEPT)


def path_stems(path: str) -> frozenset[str]:
    parts = [p for p in re.split(r"[/._\-]", path) if p]
    words = [w for part in parts for w in split_identifier(part)]
    return frozenset(stem(w) for w in words if len(w) >= 3 and w not in _GENERIC_PATH)


def _overlaps(left: frozenset[str], right: frozenset[str] | set[str]) -> list[str]:
    return [a for a in left if any(stems_overlap(a, b) for b in right)]


def _relates(view: FileView, wanted: frozenset[str]) -> bool:
    if _overlaps(path_stems(view.path), wanted):
        return True
    code = code_stems("\n".join(view.added.values()))
    return len(_overlaps(wanted, code)) >= _CODE_TERMS_NEEDED


def scope_creep_finding(context: ReviewContext, views: list[FileView]) -> Finding | None:
    wanted = _ticket_stems(context.tickets)
    if not wanted:
        return None
    related: list[str] = []
    candidates: list[FileView] = []
    for view in views:
        if _relates(view, wanted):
            related.append(view.path)
        else:
            candidates.append(view)
    if not related:
        return None
    related_words = frozenset().union(*(path_stems(path) for path in related))
    unrelated_views = [
        view
        for view in candidates
        if not (
            _SUPPORT.search(view.path)
            and ("/" not in view.path or _overlaps(path_stems(view.path), related_words))
        )
    ]
    if not unrelated_views:
        return None
    unrelated = [view.path for view in unrelated_views]
    anchor = unrelated_views[0]  # the finding sits on the first unrelated file's first change
    first_line = min(anchor.added, default=None)
    keys = ", ".join(ticket.ticket_key for ticket in context.tickets)
    listed = ", ".join(unrelated[:_MAX_LISTED]) + (
        f" (+{len(unrelated) - _MAX_LISTED} more)" if len(unrelated) > _MAX_LISTED else ""
    )
    return general_finding(
        context,
        rule_id="scope-creep",
        category=FindingCategory.requirement_drift,
        severity=Severity.low,
        confidence=0.6,
        message=f"{len(unrelated)} changed file(s) share no terms with the linked "
        f"ticket(s) {keys}: {listed}.",
        suggested_fix="Move unrelated changes to their own pull request, or link the ticket "
        "they belong to.",
        evidence=f"unrelated to {keys}: {listed}",
        evidence_source=keys,
        file_path=anchor.path,
        start_line=first_line,
        end_line=first_line,
        fingerprint=compute_fingerprint("scope-creep", None, context.pull_request.pr_key),
    )
