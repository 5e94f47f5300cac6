"""Requirement drift: a verdict per atomic acceptance criterion, with its evidence.

Per criterion (see `analysis.criteria`): a literal the code contradicts (5 vs 10 attempts,
15 minutes vs 1800 s, 423 vs 429, `/api/v1/login` vs `/login`, `email` vs `username`,
10 MB vs 5_000_000) -> `not_met` and a `requirement-contradicted` finding citing both
sides; its literals and terms found in the added code, or a test naming it -> `met`;
some evidence -> `needs_human` (no finding); nothing in the code and no test -> `not_met`
and a `requirement-not-evidenced` finding at modest confidence (the evidence is lexical).
Files unrelated to every linked ticket -> one low `scope-creep` finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.context import ReviewContext
from analysis.criteria import Criterion, parse_criteria
from analysis.detectors.requirement_counts import number_contradiction, number_matches
from analysis.detectors.requirement_evidence import (
    GENERIC_CONCEPT,
    CodeIndex,
    CodeLine,
    Contradiction,
    literal_contradiction,
    literal_matches,
    test_evidence,
)
from analysis.detectors.requirement_fields import renamed_field, serialised_field
from analysis.detectors.requirement_findings import (
    contradiction_finding,
    drift_finding,
    missing_ticket_finding,
)
from analysis.detectors.requirement_literals import CriterionLiteral, criterion_literals
from analysis.detectors.requirement_scope import scope_creep_finding, ticket_words
from analysis.detectors.requirement_synonyms import code_words
from analysis.detectors.requirement_terms import CriterionNumber, analyse_criterion
from analysis.outcome_parts import CriterionVerdict
from warden.records import Finding, Ticket

_MEASURE_STEMS_TEXT = "second sec minut min hour day week ms millisecond byte kb mb gb kib mib gib"
_MEASURE_STEMS = frozenset(_MEASURE_STEMS_TEXT.split())
_PARTIAL = 0.34
_MET_BY_TERMS = 0.75
_MET_BY_TEST = 0.6
_MAX_EVIDENCE = 4


@dataclass(frozen=True)
class RequirementsResult:
    findings: tuple[Finding, ...]
    verdicts: tuple[CriterionVerdict, ...]


class RequirementsReviewer:
    name = "requirements"

    def __init__(self, *, require_linked_ticket: bool = False) -> None:
        self.require_linked_ticket = require_linked_ticket
        self._cached: tuple[ReviewContext, RequirementsResult] | None = None

    def review(self, context: ReviewContext, hints: list[Finding]) -> list[Finding]:
        return list(self.analyse(context).findings)

    def verdicts(self, context: ReviewContext) -> list[CriterionVerdict]:
        return list(self.analyse(context).verdicts)

    def analyse(self, context: ReviewContext) -> RequirementsResult:
        """Findings and verdicts for `context`, computed once per context object."""
        if self._cached is not None and self._cached[0] is context:
            return self._cached[1]
        result = judge_change(context, require_linked_ticket=self.require_linked_ticket)
        self._cached = (context, result)
        return result


def judge_change(context: ReviewContext, *, require_linked_ticket: bool) -> RequirementsResult:
    if not context.tickets:
        missing = [missing_ticket_finding(context)] if require_linked_ticket else []
        return RequirementsResult(tuple(missing), ())
    views = [view for view in context.file_views() if view.added]
    index = CodeIndex(views)
    findings: list[Finding] = []
    verdicts: list[CriterionVerdict] = []
    for ticket in context.tickets:
        words = ticket_words(ticket)
        for criterion in parse_criteria(ticket):
            verdict, finding = judge_criterion(context, ticket, criterion, index, words)
            verdicts.append(verdict)
            if finding is not None:
                findings.append(finding)
    creep = scope_creep_finding(context, views)
    if creep is not None:
        findings.append(creep)
    return RequirementsResult(tuple(findings), tuple(verdicts))


def _counts(terms_numbers: tuple[CriterionNumber, ...], literals: list[CriterionLiteral]):
    statuses = {int(lit.value) for lit in literals if lit.kind == "status"}  # type: ignore[arg-type]
    return [
        number
        for number in terms_numbers
        if number.head not in _MEASURE_STEMS and number.value not in statuses
    ]


def judge_criterion(
    context: ReviewContext,
    ticket: Ticket,
    criterion: Criterion,
    index: CodeIndex,
    words: set[str],
) -> tuple[CriterionVerdict, Finding | None]:
    terms = analyse_criterion(criterion.text)
    literals = criterion_literals(criterion.text)
    counts = _counts(terms.numbers, literals)
    concept = frozenset(terms.terms - GENERIC_CONCEPT - _MEASURE_STEMS)

    literal_hits: list[list[CodeLine]] = []
    contradiction: Contradiction | None = None
    fields = frozenset(str(lit.value) for lit in literals if lit.kind == "field")
    for literal in literals:
        hits = literal_matches(literal, index)
        if contradiction is None and literal.kind == "field" and len(fields) > 1:
            wanted = str(literal.value)
            contradiction = serialised_field(wanted, fields - {wanted}, index, _text(ticket))
            hits = [] if contradiction is not None else hits
        if hits and contradiction is None and literal.kind == "field":
            contradiction = renamed_field(str(literal.value), index)
            hits = [] if contradiction is not None else hits
        literal_hits.append(hits)
        if not hits and contradiction is None:
            contradiction = literal_contradiction(literal, concept, index, words)
    for number in counts:
        hits = number_matches(number, index)
        literal_hits.append(hits)
        if not hits and contradiction is None:
            contradiction = number_contradiction(number, index)

    def verdict(kind: str, reason: str, evidence: list[str]) -> CriterionVerdict:
        return CriterionVerdict(
            ticket_key=ticket.ticket_key,
            criterion=criterion.text,
            verdict=kind,  # type: ignore[arg-type]
            reason=reason,
            evidence=_unique(evidence)[:_MAX_EVIDENCE],
        )

    if contradiction is not None:
        line = contradiction.line
        reason = (
            f"the criterion says {contradiction.expected}; {line.ref} says {contradiction.found}"
        )
        evidence = [f"{line.ref}: {line.text.strip()[:160]}"]
        finding = contradiction_finding(context, ticket, criterion.text, contradiction)
        return verdict("not_met", reason, evidence), finding

    scored = concept or terms.terms
    term_lines = {t: _first_evidence(index, t) for t in sorted(scored)}
    matched = {t: line for t, line in term_lines.items() if line is not None}
    coverage = len(matched) / len(scored) if scored else 0.0
    literal_refs = [hits[0].ref for hits in literal_hits if hits]
    term_refs = [line.ref for line in sorted(matched.values(), key=lambda i: (i.path, i.line))]
    literals_met = sum(1 for hits in literal_hits if hits)
    test = test_evidence(frozenset(scored), {n.value for n in counts}, index)

    if test is not None and test.coverage >= _MET_BY_TEST:
        refs = [line.ref for line in test.lines]
        return verdict("met", "a test in the change names it", refs + literal_refs), None
    if (
        literal_hits
        and literals_met == len(literal_hits)
        and (coverage >= _PARTIAL or len(matched) >= 2)
    ):
        reason = f"its values are in the added code ({len(matched)}/{len(scored)} terms)"
        return verdict("met", reason, literal_refs + term_refs), None
    if not literal_hits and coverage >= _MET_BY_TERMS and len(matched) >= 2:
        reason = f"{len(matched)}/{len(scored)} of its terms are in the added code"
        return verdict("met", reason, term_refs), None
    if literals_met or coverage >= _PARTIAL:
        reason = (
            f"partial evidence: {literals_met}/{len(literal_hits)} values, "
            f"{len(matched)}/{len(scored)} terms in the added code"
        )
        return verdict("needs_human", reason, literal_refs + term_refs), None
    if criterion.checked:
        reason = "the ticket marks it done; nothing in this change shows it"
        return verdict("needs_human", reason, []), None
    finding = drift_finding(context, ticket, terms, coverage)
    reason = "no added code or test shows it"
    return verdict("not_met", reason, term_refs), finding


def _first_evidence(index: CodeIndex, term: str) -> CodeLine | None:
    """The first added code line naming `term`, or else a word code uses for it."""
    found = index.first_line_with(term, tests=False)
    if found is not None:
        return found
    lines = [index.first_line_with(word, tests=False) for word in code_words(term)]
    return min((i for i in lines if i is not None), key=lambda i: (i.path, i.line), default=None)


def _text(ticket: Ticket) -> str:
    return "\n".join([ticket.title, ticket.description, *ticket.acceptance_criteria])


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
