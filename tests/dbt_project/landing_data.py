"""Landing fixtures for the warehouse tests: real records written by the real LandingWriter.

Two tenants get COLLIDING repository names, PR numbers and ticket keys. Tenant "acme":
- PR platform/api#12 (merged): run r1 finds a critical security issue and a medium
  standards issue; run r2 (later revision) finds only the security one -> the standards
  finding is resolved. Its PR, review-run and finding batches are landed twice under new
  batch ids (a re-landed duplicate; the PR's second version has a new title).
- PR platform/api#7 (open): run r3 finds a high requirement-drift issue; a later run r5
  errored (its stray verdict must not count).
- PR platform/web#3 (open): run r4 finds nothing.
- PR platform/api#20 (open): never reviewed.
Acceptance-criterion verdicts: #12's r1 judges ENG-1 and ENG-2 criteria, r2 (the latest)
re-judges only ENG-1's, differently; #7's r3 judges one. Relanded with the PR batches.
Tenant "globex": PR platform/api#12 (open) with one low standards finding and a verdict on
the same ticket key and criterion text as acme's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from warden.landing import LandingWriter
from warden.records import (
    ChangedFile,
    CriterionVerdictRecord,
    Finding,
    FindingCategory,
    PostedComment,
    PrTicketLink,
    PullRequest,
    Record,
    ReviewRun,
    Severity,
    Ticket,
    pull_request_key,
)
from warden.tenancy import TenantScope

DAY1 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
DAY2 = datetime(2026, 9, 2, 9, 0, tzinfo=UTC)
INGESTED = datetime(2026, 9, 3, 12, 0, tzinfo=UTC)
RELANDED = INGESTED + timedelta(hours=1)


@dataclass
class TenantLanding:
    """What was landed for one tenant, kept so tests derive expectations from it."""

    tenant_id: str
    pull_requests: list[PullRequest] = field(default_factory=list)
    review_runs: list[ReviewRun] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    links: list[PrTicketLink] = field(default_factory=list)
    changed_files: list[ChangedFile] = field(default_factory=list)
    comments: list[PostedComment] = field(default_factory=list)
    verdicts: list[CriterionVerdictRecord] = field(default_factory=list)


def _pr(
    tenant: str, repo: str, number: int, title: str, state: str, *, updated: datetime = DAY2
) -> PullRequest:
    return PullRequest(
        tenant_id=tenant,
        pr_key=pull_request_key("github", repo, number),
        provider="github",
        repository=repo,
        number=number,
        title=title,
        author="dev-" + tenant,
        state=state,
        base_ref="main",
        head_ref=f"feature/ENG-1-{number}",
        base_sha="b" * 40,
        head_sha=f"{number:040d}",
        url=f"https://scm.test/{repo}/pull/{number}",
        created_at=DAY1 - timedelta(days=1),
        updated_at=updated,
        merged_at=updated if state == "merged" else None,
    )


def _run(pr: PullRequest, run_id: str, revision_at: datetime, findings: int) -> ReviewRun:
    return ReviewRun(
        tenant_id=pr.tenant_id,
        run_id=run_id,
        review_key="key-" + run_id,
        pr_key=pr.pr_key,
        repository=pr.repository,
        number=pr.number,
        head_sha=pr.head_sha,
        trigger="webhook",
        engine_version="1.0.0",
        policy_hash="policy",
        llm_model=None,
        status="reviewed",
        findings_count=findings,
        reportable_count=findings,
        pr_updated_at=revision_at,
        started_at=revision_at + timedelta(minutes=1),
        finished_at=revision_at + timedelta(minutes=1, seconds=2),
    )


def _finding(
    run: ReviewRun,
    fingerprint: str,
    category: FindingCategory,
    severity: Severity,
    confidence: float,
) -> Finding:
    return Finding(
        tenant_id=run.tenant_id,
        run_id=run.run_id,
        pr_key=run.pr_key,
        repository=run.repository,
        number=run.number,
        head_sha=run.head_sha,
        category=category,
        rule_id="rule-" + fingerprint,
        severity=severity,
        confidence=confidence,
        file_path="src/app.py",
        start_line=3,
        end_line=3,
        message=f"{category.value} issue {fingerprint}",
        evidence="x = 1",
        fingerprint=fingerprint,
    )


def _verdict(
    run: ReviewRun, ticket_key: str, criterion: str, verdict: str, evidence: list[str]
) -> CriterionVerdictRecord:
    return CriterionVerdictRecord(
        tenant_id=run.tenant_id,
        run_id=run.run_id,
        pr_key=run.pr_key,
        repository=run.repository,
        number=run.number,
        head_sha=run.head_sha,
        ticket_key=ticket_key,
        criterion=criterion,
        verdict=verdict,
        reason=f"{verdict} by {run.run_id}",
        evidence=evidence,
        source="llm" if verdict == "needs_human" else "deterministic",
        pr_updated_at=run.pr_updated_at,
    )


LOCKOUT = "After 5 failed login attempts the account is locked for 15 minutes"


def _comment(run: ReviewRun, action: str, url: str | None) -> PostedComment:
    return PostedComment(
        tenant_id=run.tenant_id,
        run_id=run.run_id,
        pr_key=run.pr_key,
        repository=run.repository,
        number=run.number,
        head_sha=run.head_sha,
        provider="github",
        action=action,
        url=url,
        open_fingerprints=["f-sec"],
        posted_at=run.finished_at,
    )


def acme_landing() -> TenantLanding:
    t = "acme"
    merged = _pr(t, "platform/api", 12, "Add login lockout", "merged")
    drift = _pr(t, "platform/api", 7, "Rate limit exports", "open")
    clean = _pr(t, "platform/web", 3, "Tidy styles", "open", updated=DAY1)
    unreviewed = _pr(t, "platform/api", 20, "Draft idea", "open")
    r1 = _run(merged, "r1", DAY1, 2)
    r2 = _run(merged, "r2", DAY2, 1)
    r3 = _run(drift, "r3", DAY2, 1)
    r4 = _run(clean, "r4", DAY1, 0)
    r5 = _run(drift, "r5", DAY2 + timedelta(hours=2), 0).model_copy(
        update={"status": "error", "error": "RuntimeError: boom"}
    )
    landing = TenantLanding(tenant_id=t)
    landing.pull_requests = [merged, drift, clean, unreviewed]
    landing.review_runs = [r1, r2, r3, r4, r5]
    landing.verdicts = [
        _verdict(r1, "ENG-1", LOCKOUT, "not_met", ["src/auth.py:10: MAX_ATTEMPTS = 3"]),
        _verdict(r1, "ENG-2", "A locked account returns HTTP 423", "met", ["src/auth.py:20"]),
        _verdict(r2, "ENG-1", LOCKOUT, "met", ["src/auth.py:10", "tests/test_auth.py:4"]),
        _verdict(r3, "ENG-1", "Exports are rate limited", "needs_human", []),
        _verdict(r5, "ENG-1", "Exports are rate limited", "not_met", ["src/x.py:1"]),
    ]
    landing.findings = [
        _finding(r1, "f-sec", FindingCategory.security, Severity.critical, 0.9),
        _finding(r1, "f-std", FindingCategory.standards, Severity.medium, 0.5),
        _finding(r2, "f-sec", FindingCategory.security, Severity.critical, 0.9),
        _finding(r3, "f-drift", FindingCategory.requirement_drift, Severity.high, 0.8),
    ]
    landing.tickets = [
        Ticket(
            tenant_id=t,
            ticket_key=key,
            provider="folder",
            title="Ticket " + key,
            acceptance_criteria=["locks after 5 attempts"],
            updated_at=DAY1,
        )
        for key in ("ENG-1", "ENG-2")
    ]
    landing.links = [
        PrTicketLink(
            tenant_id=t,
            pr_key=merged.pr_key,
            repository=merged.repository,
            number=merged.number,
            ticket_key=key,
            source=source,
        )
        for key, source in (("ENG-2", "title"), ("ENG-1", "branch"), ("ENG-1", "body"))
    ]
    landing.changed_files = [
        ChangedFile(
            tenant_id=t,
            pr_key=merged.pr_key,
            repository=merged.repository,
            number=merged.number,
            head_sha=merged.head_sha,
            path="src/app.py",
            status="modified",
            additions=3,
            deletions=1,
            patch="@@ -1 +1 @@",
        )
    ]
    landing.comments = [
        _comment(r1, "created", "https://scm.test/platform/api/pull/12#c-1"),
        _comment(r2, "updated", "https://scm.test/platform/api/pull/12#c-2"),
        _comment(r3, "none", None),
    ]
    return landing


def globex_landing() -> TenantLanding:
    t = "globex"
    pr = _pr(t, "platform/api", 12, "Globex only: payment retries", "open")
    run = _run(pr, "r1", DAY1, 1)  # run id collides with acme's r1 too
    landing = TenantLanding(tenant_id=t)
    landing.pull_requests = [pr]
    landing.review_runs = [run]
    landing.findings = [_finding(run, "f-std", FindingCategory.standards, Severity.low, 1.0)]
    landing.verdicts = [_verdict(run, "ENG-1", LOCKOUT, "not_met", ["globex/secret.py:1"])]
    landing.tickets = [
        Ticket(
            tenant_id=t,
            ticket_key="ENG-1",
            provider="folder",
            title="Globex ENG-1",
            updated_at=DAY1,
        )
    ]
    landing.links = [
        PrTicketLink(
            tenant_id=t,
            pr_key=pr.pr_key,
            repository=pr.repository,
            number=pr.number,
            ticket_key="ENG-1",
            source="branch",
        )
    ]
    return landing


def write_landing(scope: TenantScope, landing: TenantLanding, *, reland: bool) -> None:
    """Land every record list as one batch; with `reland`, land PRs/runs/findings/verdicts
    again."""
    writer = LandingWriter(scope, normaliser_version="test-1")
    batches: list[tuple[str, list[Record]]] = [
        ("pull_requests", landing.pull_requests),
        ("review_runs", landing.review_runs),
        ("findings", landing.findings),
        ("tickets", landing.tickets),
        ("links", landing.links),
        ("changed_files", landing.changed_files),
        ("comments", landing.comments),
        ("verdicts", landing.verdicts),
    ]
    for name, records in batches:
        raws = [{"fixture": name, "index": i} for i in range(len(records))]
        writer.write(records, raws, batch_id=f"{name}-1", ingested_at=INGESTED)
    if reland:
        renamed = [
            pr.model_copy(update={"title": pr.title + " (v2)"}) for pr in landing.pull_requests
        ]
        landing.pull_requests = renamed
        writer.write(renamed, batch_id="pull_requests-2", ingested_at=RELANDED)
        writer.write(landing.review_runs, batch_id="review_runs-2", ingested_at=RELANDED)
        writer.write(landing.findings, batch_id="findings-2", ingested_at=RELANDED)
        writer.write(landing.verdicts, batch_id="verdicts-2", ingested_at=RELANDED)
