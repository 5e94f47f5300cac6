"""The verification pass: an LLM finding survives only if what it cites is really there.

A finding is dropped when its location is not an added line of a changed file, when its
code quote is not in the lines it points at, when it cites a criterion or documentation
section that was not given or quotes words that are not in it, when a drift or standards
finding cites nothing, or when its confidence is below the floor. Kept findings become
Finding records (fingerprinted like deterministic ones) and merge with a deterministic
finding of the same fingerprint: the deterministic record stands, confirmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.context import ReviewContext
from analysis.detectors.security_catalog import SECURITY_RULES
from analysis.files import FileView
from analysis.findings import line_finding
from analysis.llm.context_pack import ContextPack
from analysis.llm.schema import LlmFinding, LlmVerdict, ReviewSubmission
from analysis.outcome_parts import CriterionVerdict
from warden.records import Finding, FindingCategory, Severity

MIN_CONFIDENCE = 0.5
#: the model's confidence is self-reported; an unconfirmed LLM finding never reads as certain
MAX_LLM_CONFIDENCE = 0.85
MIN_QUOTE_CHARS = 6
MAX_SPAN_LINES = 40
_SPACE = re.compile(r"\s+")
_SLUG = re.compile(r"[^a-z0-9]+")
_LOCATION = re.compile(r"^(?P<path>.+):(?P<line>\d+)$")


@dataclass(frozen=True)
class Rejection:
    rule_id: str
    location: str
    reason: str


@dataclass(frozen=True)
class Verified:
    findings: list[Finding]
    confirmed: list[Finding]  # deterministic findings the LLM confirmed (merged)
    rejected: list[Rejection]
    verdicts: list[CriterionVerdict]


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def llm_rule_id(raw: str) -> str:
    """A catalogue id stays as is (so it can merge); anything else becomes `llm-<slug>`."""
    if raw in SECURITY_RULES:
        return raw
    slug = _SLUG.sub("-", raw.lower()).strip("-")[:60] or "finding"
    return slug if slug.startswith("llm-") else f"llm-{slug}"


def check_finding(item: LlmFinding, views: dict[str, FileView], pack: ContextPack) -> str | None:
    """Why the finding must be dropped, or None when its evidence checks out."""
    if item.confidence < MIN_CONFIDENCE:
        return f"confidence {item.confidence:.2f} below {MIN_CONFIDENCE}"
    view = views.get(item.file)
    if view is None:
        return "file is not a changed file of this pull request"
    if item.start_line not in view.added:
        return f"line {item.start_line} is not an added line"
    if item.end_line - item.start_line > MAX_SPAN_LINES:
        return "location spans too many lines"
    quote = _norm(item.code_quote)
    if len(quote) < MIN_QUOTE_CHARS:
        return "code quote too short to check"
    cited_lines = [view.line_text(n) for n in range(item.start_line, item.end_line + 1)]
    if quote not in _norm("\n".join(cited_lines)):
        return "code quote is not in the cited lines"
    if item.cites is not None:
        problem = _check_citation(item, pack)
        if problem:
            return problem
    elif item.category != "security":
        return f"{item.category} finding cites no criterion or documentation section"
    return None


def _check_citation(item: LlmFinding, pack: ContextPack) -> str | None:
    cites = item.cites
    assert cites is not None
    if cites.kind == "criterion":
        by_id = {c.criterion_id: c for c in pack.criteria}
        criterion = by_id.get(cites.ref)
        if criterion is None:
            return f"cites unknown criterion {cites.ref}"
        source = criterion.text
    else:
        ref = pack.sections.get(cites.ref)
        if ref is None:
            return f"cites a documentation section that was not given ({cites.ref[:80]})"
        source = f"{ref.section.heading}\n{ref.section.text}"
    quote = _norm(cites.quote)
    if len(quote) < MIN_QUOTE_CHARS or quote not in _norm(source):
        return f"quote is not in the cited {cites.kind.replace('_', ' ')}"
    return None


def to_finding(
    context: ReviewContext, view: FileView, item: LlmFinding, pack: ContextPack
) -> Finding:
    rule_id = llm_rule_id(item.rule_id)
    catalogue = SECURITY_RULES.get(rule_id)
    source = f"{view.path}:{item.start_line}"
    if item.cites is not None:
        source = (
            f"{_criterion_label(pack, item.cites.ref)}"
            if item.cites.kind == "criterion"
            else item.cites.ref
        )
    return line_finding(
        context,
        view,
        item.start_line,
        rule_id=rule_id,
        category=FindingCategory(item.category),
        severity=Severity(item.severity),
        confidence=min(item.confidence, MAX_LLM_CONFIDENCE),
        cwe=catalogue.cwe if catalogue else item.cwe,
        end_line=item.end_line,
        message=item.message,
        suggested_fix=item.suggested_fix,
        evidence=item.code_quote if item.cites is None else item.cites.quote,
        evidence_source=f"{source} (LLM review)",
    )


def _criterion_label(pack: ContextPack, criterion_id: str) -> str:
    for criterion in pack.criteria:
        if criterion.criterion_id == criterion_id:
            return f"{criterion.ticket_key} criterion: {criterion.text[:120]}"
    return criterion_id


def verify_submission(
    context: ReviewContext, submission: ReviewSubmission, pack: ContextPack, hints: list[Finding]
) -> Verified:
    views = {view.path: view for view in context.file_views()}
    by_fingerprint = {hint.fingerprint: hint for hint in hints}
    findings: list[Finding] = []
    confirmed: list[Finding] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    for item in submission.findings:
        problem = check_finding(item, views, pack)
        if problem:
            rejected.append(Rejection(item.rule_id, f"{item.file}:{item.start_line}", problem))
            continue
        finding = to_finding(context, views[item.file], item, pack)
        if finding.fingerprint in seen:
            continue
        seen.add(finding.fingerprint)
        hint = by_fingerprint.get(finding.fingerprint)
        if hint is not None:  # merge: the deterministic record stands, confirmed
            merged = hint.model_copy(
                update={"confidence": max(hint.confidence, finding.confidence)}
            )
            confirmed.append(merged)
            continue
        findings.append(finding)
    return Verified(
        findings=findings,
        confirmed=confirmed,
        rejected=rejected,
        verdicts=verify_verdicts(submission.criteria, pack, views),
    )


def verify_verdicts(
    verdicts: list[LlmVerdict], pack: ContextPack, views: dict[str, FileView]
) -> list[CriterionVerdict]:
    """One verdict per known criterion; 'met' without evidence on added lines becomes
    'needs_human' (the model may not claim a criterion is met without pointing at code)."""
    by_id = {c.criterion_id: c for c in pack.criteria}
    out: dict[str, CriterionVerdict] = {}
    for verdict in verdicts:
        criterion = by_id.get(verdict.criterion_id)
        if criterion is None or criterion.criterion_id in out:
            continue
        evidence = [ref for ref in verdict.evidence if _is_added_line(ref, views)]
        value, reason = verdict.verdict, verdict.reason
        if value == "met" and not evidence:
            value, reason = "needs_human", f"LLM said met without added-line evidence: {reason}"
        out[criterion.criterion_id] = CriterionVerdict(
            ticket_key=criterion.ticket_key,
            criterion=criterion.text,
            verdict=value,
            reason=reason[:500],
            evidence=evidence,
            source="llm",
        )
    return list(out.values())


def _is_added_line(ref: str, views: dict[str, FileView]) -> bool:
    match = _LOCATION.match(ref.strip())
    if not match:
        return False
    view = views.get(match.group("path"))
    return view is not None and int(match.group("line")) in view.added
