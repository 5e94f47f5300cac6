"""The review step lands the engine's acceptance-criterion verdicts beside its findings:
one row per verdict of the run, masked, and a re-run of the same review overwrites them."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from orchestration.pipeline.inbox_batch import PrEvent
from orchestration.pipeline.review_step import review_events
from warden.landing import LandingWriter, read_landing, read_records
from warden.records import (
    ChangedFile,
    CriterionVerdictRecord,
    PrTicketLink,
    PullRequest,
    Ticket,
    pull_request_key,
)

REPO, NUMBER, PATH = "platform/api", 9, "services/auth/lockout.py"
AWS_KEY = "AKIA" + "Z7XQ4LMNB2C5D8EF"
UPDATED = datetime(2026, 9, 5, 10, 0, tzinfo=UTC)
CRITERIA = [
    "After 5 failed login attempts the account is locked for 15 minutes",
    "A locked account returns HTTP 423",
    f"The leaked key {AWS_KEY} is no longer accepted",
]
PATCH = "\n".join(
    [
        "@@ -0,0 +1,8 @@",
        "+MAX_FAILED_ATTEMPTS = 3",
        "+LOCK_MINUTES = 15",
        "+",
        "+",
        "+def check(account, attempts):",
        "+    if attempts >= MAX_FAILED_ATTEMPTS:",
        "+        account.lock(minutes=LOCK_MINUTES)",
        "+        return 423",
    ]
)


def _pull_request() -> PullRequest:
    return PullRequest(
        tenant_id="acme",
        pr_key=pull_request_key("github", REPO, NUMBER),
        provider="github",
        repository=REPO,
        number=NUMBER,
        title="ENG-42: lock accounts after failed logins",
        author="dev",
        state="open",
        base_ref="main",
        head_ref="feature/ENG-42-lockout",
        base_sha="b" * 40,
        head_sha="c" * 40,
        created_at=UPDATED,
        updated_at=UPDATED,
    )


def _review(control_plane, scope, integration_id: int, pr: PullRequest):  # type: ignore[no-untyped-def]
    event = PrEvent(
        pull_request=pr,
        integration_id=integration_id,
        trigger="webhook",
        delivery_seq=1,
        raw_payload="{}",
        normaliser_version="test",
    )
    changed = ChangedFile(
        tenant_id="acme",
        pr_key=pr.pr_key,
        repository=REPO,
        number=NUMBER,
        head_sha=pr.head_sha,
        path=PATH,
        status="added",
        additions=8,
        patch=PATCH,
    )
    link = PrTicketLink(
        tenant_id="acme", pr_key=pr.pr_key, repository=REPO, number=NUMBER,
        ticket_key="ENG-42", source="branch",
    )  # fmt: skip
    (result,) = review_events(
        control_plane, scope, [event], {pr.pr_key: [changed]}, {pr.pr_key: [link]}
    )
    return result


def test_review_step_lands_masked_verdicts_and_a_rerun_overwrites_them(
    control_plane, scope_factory
) -> None:  # type: ignore[no-untyped-def]
    control_plane.create_tenant("acme", "Acme", "test")
    integration = control_plane.add_integration(
        "acme", name="github", kind="scm", provider="github",
        config={"base_url": "http://127.0.0.1:9"}, credential_ref=None,
        webhook_secret_ref=None, actor="test",
    )  # fmt: skip
    control_plane.enable_repository("acme", "github", REPO, None, "test")
    scope = scope_factory("acme")
    ticket = Ticket(
        tenant_id="acme", ticket_key="ENG-42", provider="folder", title="Lockout",
        acceptance_criteria=CRITERIA, updated_at=UPDATED,
    )  # fmt: skip
    LandingWriter(scope, normaliser_version="test").write([ticket], batch_id="tickets-1")
    pr = _pull_request()

    result = _review(control_plane, scope, integration.integration_id, pr)
    assert result.outcome is not None and result.run is not None
    judged = result.outcome.criteria
    assert {v.ticket_key for v in judged} == {"ENG-42"} and len(judged) == len(CRITERIA)

    landed = read_records(scope, CriterionVerdictRecord, ["run_id", "ticket_key", "criterion"])
    assert len(landed) == len(judged)
    assert {r.run_id for r in landed} == {result.run.run_id}
    assert {(r.pr_key, r.head_sha, r.pr_updated_at) for r in landed} == {
        (pr.pr_key, pr.head_sha, UPDATED)
    }
    by_criterion = {r.criterion: r for r in landed}
    for verdict in judged:
        if AWS_KEY in verdict.criterion:
            continue
        row = by_criterion[verdict.criterion]
        assert (row.verdict, row.reason, row.evidence, row.source) == (
            verdict.verdict, verdict.reason, verdict.evidence, verdict.source,
        )  # fmt: skip
    frame = read_landing(scope, CriterionVerdictRecord)
    assert not frame.filter(pl.col("criterion").str.contains(AWS_KEY)).height
    assert frame.filter(pl.col("criterion").str.starts_with("The leaked key")).height == 1

    again = _review(control_plane, scope, integration.integration_id, pr)
    assert again.run is not None and again.run.run_id == result.run.run_id  # not published
    files = list(scope.landing_entity_dir("criterion_verdicts").glob("date=*/*.parquet"))
    assert [f.stem for f in files] == [result.run.run_id]
    assert read_landing(scope, CriterionVerdictRecord).height == len(judged)
