"""Review step: PR events -> contexts -> the engine -> review runs, findings and acceptance
criterion verdicts in landing.

Idempotent: the run id is derived from the review key (PR, head SHA, engine version,
policy hash), landing batch ids derive from it, and a review already published is skipped.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel, ConfigDict

from analysis.context import ReviewContext
from analysis.engine import ENGINE_VERSION, ReviewOutcome, review_key, review_pull_request
from analysis.policy import ReviewPolicy
from orchestration.pipeline.inbox_batch import PrEvent
from orchestration.pipeline.redaction import redact_record
from warden.clock import utcnow
from warden.controlplane import ControlPlane
from warden.landing import LandingWriter, read_records
from warden.records import (
    ChangedFile,
    CriterionVerdictRecord,
    Document,
    PrTicketLink,
    ReviewRun,
    Ticket,
)
from warden.tenancy import TenantScope

log = logging.getLogger(__name__)


class ReviewResult(BaseModel):
    """What the publish step needs for one reviewed PR."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    event: PrEvent
    review_key: str
    run: ReviewRun | None  # None when skipped (already published)
    outcome: ReviewOutcome | None
    skipped_reason: str | None = None


def _policy_for(control_plane: ControlPlane, tenant_id: str, event: PrEvent) -> ReviewPolicy:
    repository = control_plane.get_repository(
        tenant_id, event.integration_id, event.pull_request.repository
    )
    return ReviewPolicy.from_repository_policy(repository.review_policy)


def _usage_fields(outcome: ReviewOutcome | None) -> dict[str, Any]:
    """What the LLM reviewer and coverage add to a ReviewRun (zeros when they did not run)."""
    if outcome is None:
        return {}
    fields: dict[str, Any] = {}
    if outcome.coverage is not None:
        fields["files_reviewed"] = outcome.coverage.files_reviewed
        fields["files_skipped"] = len(outcome.coverage.skipped)
    usage = outcome.llm_usage
    if usage is None:
        fields["llm_status"] = "off"  # no LLM reviewer configured (no API key)
    else:
        fields.update(
            llm_model=usage.model,
            prompt_version=usage.prompt_version,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cache_read_tokens=usage.cache_read_tokens,
            llm_cost_usd=usage.cost_usd,
            llm_latency_ms=usage.latency_ms,
            llm_status=usage.status,
        )
    return fields


def verdict_records(outcome: ReviewOutcome, run: ReviewRun) -> list[CriterionVerdictRecord]:
    """The outcome's acceptance-criterion verdicts as landing records of `run`, masked."""
    return [
        redact_record(
            CriterionVerdictRecord(
                tenant_id=run.tenant_id,
                run_id=run.run_id,
                pr_key=run.pr_key,
                repository=run.repository,
                number=run.number,
                head_sha=run.head_sha,
                ticket_key=verdict.ticket_key,
                criterion=verdict.criterion,
                verdict=verdict.verdict,
                reason=verdict.reason,
                evidence=list(verdict.evidence),
                source=verdict.source,
                pr_updated_at=run.pr_updated_at,
            )
        )
        for verdict in outcome.criteria
    ]


def run_id_for(review_key_value: str) -> str:
    return f"rr-{review_key_value[:32]}"


def review_events(
    control_plane: ControlPlane,
    scope: TenantScope,
    events: list[PrEvent],
    files_by_pr: dict[str, list[ChangedFile]],
    links_by_pr: dict[str, list[PrTicketLink]],
    extra_reviewers: tuple[Any, ...] = (),
) -> list[ReviewResult]:
    tickets = {t.ticket_key: t for t in read_records(scope, Ticket, ["ticket_key"])}
    documents = read_records(scope, Document, ["doc_id"])
    writer = LandingWriter(scope, normaliser_version=ENGINE_VERSION)
    results: list[ReviewResult] = []
    for event in events:
        pr = event.pull_request
        policy = _policy_for(control_plane, scope.tenant_id, event)
        key = review_key(pr.pr_key, pr.head_sha, policy)
        ledger = control_plane.get_review(scope.tenant_id, key)
        if ledger is not None and ledger.status == "published":
            results.append(
                ReviewResult(
                    event=event,
                    review_key=key,
                    run=None,
                    outcome=None,
                    skipped_reason="already reviewed and published",
                )
            )
            continue
        linked = [
            tickets[link.ticket_key]
            for link in links_by_pr.get(pr.pr_key, [])
            if link.ticket_key in tickets
        ]
        context = ReviewContext(
            tenant_id=scope.tenant_id,
            pull_request=pr,
            files=files_by_pr.get(pr.pr_key, []),
            tickets=list({t.ticket_key: t for t in linked}.values()),
            documents=documents,
        )
        run_id = run_id_for(key)
        started = utcnow()
        dismissed = frozenset(control_plane.dismissed_fingerprints(scope.tenant_id, pr.pr_key))
        error: str | None = None
        try:
            outcome = review_pull_request(
                context, policy, run_id=run_id, dismissed=dismissed, extra_reviewers=extra_reviewers
            )
        except Exception as exc:  # a broken review is recorded, never posted
            log.exception("review of %s failed", pr.pr_key)
            outcome, error = None, f"{type(exc).__name__}: {exc}"
        run = ReviewRun(
            tenant_id=scope.tenant_id,
            run_id=run_id,
            review_key=key,
            pr_key=pr.pr_key,
            repository=pr.repository,
            number=pr.number,
            head_sha=pr.head_sha,
            trigger=event.trigger,
            engine_version=ENGINE_VERSION,
            policy_hash=policy.policy_hash(),
            **_usage_fields(outcome),
            status="error" if error else "reviewed",
            error=error,
            findings_count=len(outcome.findings) if outcome else 0,
            reportable_count=len(outcome.reportable) if outcome else 0,
            pr_updated_at=pr.updated_at,
            started_at=started,
            finished_at=utcnow(),
        )
        writer.write([run], batch_id=f"{run_id}")
        if outcome and outcome.findings:
            writer.write(outcome.findings, batch_id=f"{run_id}")
        if outcome and outcome.criteria:
            writer.write(verdict_records(outcome, run), batch_id=f"{run_id}")
        control_plane.record_review(scope.tenant_id, key, pr.pr_key, pr.head_sha, run_id)
        results.append(ReviewResult(event=event, review_key=key, run=run, outcome=outcome))
    return results
