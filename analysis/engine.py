"""The review engine: run the reviewers, stamp, suppress, de-duplicate, rank, cap."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from analysis.context import ReviewContext
from analysis.coverage import compute_coverage
from analysis.detectors.prompt_injection import PromptInjectionReviewer
from analysis.detectors.requirements import RequirementsReviewer
from analysis.detectors.secrets import SecretsReviewer
from analysis.detectors.security_rules import SecurityRulesReviewer
from analysis.detectors.standards import StandardsReviewer
from analysis.file_shards import review_files
from analysis.masking import mask_secrets_in_text
from analysis.outcome_parts import (
    Coverage,
    CriterionVerdict,
    LlmUsage,
    ReportsUsage,
    ReportsVerdicts,
)
from analysis.policy import ReviewPolicy, is_reportable, priority
from analysis.reviewers.base import ReportsNotes, Reviewer, ReviewsFiles
from analysis.suppression import apply_suppressions
from warden.records import Finding, sha256_hex

ENGINE_VERSION = "2026.5.0"
LLM_OFF_NOTE = "LLM reviewer off (no Anthropic API key configured): deterministic engine only"


class ReviewOutcome(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    engine_version: str = ENGINE_VERSION
    policy_hash: str
    #: every finding, including suppressed, dismissed and below-threshold ones
    findings: list[Finding]
    #: what goes in the comment: ranked by severity x confidence, capped by max_comments
    reportable: list[Finding]
    #: reportable-worthy findings left out by the max_comments cap
    omitted_count: int = 0
    notes: list[str]
    reviewers_run: list[str]
    #: verdict per atomic acceptance criterion of the linked tickets
    criteria: list[CriterionVerdict] = Field(default_factory=list)
    #: files reviewed vs skipped (generated, vendored, binary, too large)
    coverage: Coverage | None = None
    #: what the LLM reviewer did and cost (None when no metered reviewer ran)
    llm_usage: LlmUsage | None = None


def review_key(pr_key: str, head_sha: str, policy: ReviewPolicy) -> str:
    """Idempotency key of a review: same PR, head, engine and policy -> same key."""
    return sha256_hex("review", pr_key, head_sha, ENGINE_VERSION, policy.policy_hash())


def default_reviewers(policy: ReviewPolicy) -> list[Reviewer]:
    """The deterministic detectors, in the order they run."""
    return [
        SecretsReviewer(),
        SecurityRulesReviewer(),
        PromptInjectionReviewer(),
        RequirementsReviewer(require_linked_ticket=policy.require_linked_ticket),
        StandardsReviewer(),
    ]


def review_pull_request(
    context: ReviewContext,
    policy: ReviewPolicy,
    *,
    run_id: str,
    dismissed: frozenset[str] = frozenset(),
    extra_reviewers: Sequence[Reviewer] = (),
    workers: int = 1,
) -> ReviewOutcome:
    """Review one PR revision. Dismissed fingerprints are recorded but never reportable.

    `workers` > 1 reviews large changes' files on that many processes (per-file reviewers
    only; the result is the same as with one): for the command line, not for servers.

    Deterministic reviewers raise on bugs (they are ours); an extra reviewer (e.g. the
    LLM) that fails is recorded in `notes` and the deterministic result still stands.
    """
    findings: list[Finding] = []
    notes: list[str] = []
    reviewers_run: list[str] = []
    criteria: list[CriterionVerdict] = []
    usage: LlmUsage | None = None
    reviewed_files, coverage = compute_coverage(context.files)
    removed = [f for f in context.files if f.status == "removed"]
    context = context.model_copy(update={"files": reviewed_files + removed})
    reviewers = default_reviewers(policy)
    per_file: dict[str, list[Finding]] = {}
    if workers > 1:
        per_file = review_files(
            context, [r for r in reviewers if isinstance(r, ReviewsFiles)], workers
        )
    for reviewer in reviewers:
        if reviewer.name in per_file:
            findings.extend(per_file[reviewer.name])
        else:
            findings.extend(reviewer.review(context, list(findings)))
        reviewers_run.append(reviewer.name)
        if isinstance(reviewer, ReportsNotes):
            notes.extend(reviewer.notes(context))
        if isinstance(reviewer, ReportsVerdicts):
            criteria.extend(reviewer.verdicts(context))
    if not extra_reviewers:
        notes.append(LLM_OFF_NOTE)
    for reviewer in extra_reviewers:
        try:
            findings.extend(reviewer.review(context, list(findings)))
        except Exception as error:  # an optional reviewer must not sink the review
            notes.append(f"reviewer {reviewer.name} failed ({type(error).__name__}); skipped")
            continue
        reviewers_run.append(reviewer.name)
        if isinstance(reviewer, ReportsNotes):
            notes.extend(reviewer.notes(context))
        if isinstance(reviewer, ReportsVerdicts):
            criteria = merge_verdicts(criteria, reviewer.verdicts(context))
    for reviewer in extra_reviewers:
        if isinstance(reviewer, ReportsUsage) and (reported := reviewer.usage()) is not None:
            usage = reported

    views = {view.path: view for view in context.file_views()}
    stamped = [_stamp(finding, context, run_id) for finding in findings]
    kept = _dedupe(apply_suppressions(stamped, views))
    eligible = sorted(
        (f for f in kept if is_reportable(f, policy) and f.fingerprint not in dismissed),
        key=lambda f: (tuple(-x for x in priority(f)), f.file_path or "", f.start_line or 0),
    )
    return ReviewOutcome(
        policy_hash=policy.policy_hash(),
        findings=kept,
        reportable=eligible[: policy.max_comments],
        omitted_count=max(0, len(eligible) - policy.max_comments),
        notes=notes,
        reviewers_run=reviewers_run,
        criteria=criteria,
        coverage=coverage,
        llm_usage=usage,
    )


def merge_verdicts(
    current: list[CriterionVerdict], later: list[CriterionVerdict]
) -> list[CriterionVerdict]:
    """A later reviewer's verdict on the same (ticket, criterion) replaces an earlier one,
    except that it never overrules a deterministic 'not_met' backed by evidence."""
    merged = {(v.ticket_key, v.criterion): v for v in current}
    for verdict in later:
        key = (verdict.ticket_key, verdict.criterion)
        existing = merged.get(key)
        if existing and existing.verdict == "not_met" and existing.evidence:
            continue
        merged[key] = verdict
    return list(merged.values())


def _stamp(finding: Finding, context: ReviewContext, run_id: str) -> Finding:
    """The engine owns identity: a reviewer cannot attribute a finding to another PR or
    tenant, and no text field leaves unmasked (covers reviewers that echo input)."""
    pr = context.pull_request
    return finding.model_copy(
        update={
            "tenant_id": context.tenant_id,
            "run_id": run_id,
            "pr_key": pr.pr_key,
            "repository": pr.repository,
            "number": pr.number,
            "head_sha": pr.head_sha,
            "message": mask_secrets_in_text(finding.message),
            "evidence": mask_secrets_in_text(finding.evidence),
            "evidence_source": mask_secrets_in_text(finding.evidence_source),
            "suggested_fix": mask_secrets_in_text(finding.suggested_fix),
        }
    )


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per fingerprint (the strongest), in a stable file/line order."""
    best: dict[str, Finding] = {}
    for finding in findings:
        current = best.get(finding.fingerprint)
        if current is None or priority(finding) > priority(current):
            best[finding.fingerprint] = finding
    return sorted(
        best.values(),
        key=lambda f: (f.file_path or "", f.start_line or 0, f.rule_id, f.fingerprint),
    )
