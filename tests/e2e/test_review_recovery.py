"""Crashes and lag never duplicate: a run that dies before publishing is re-run once,
and a succeeded run that was not yet settled is not run again."""

from __future__ import annotations

import httpx
import polars as pl
import pytest

from ingestion.sandbox.webhooks import WebhookPlayer, send_delivery
from tests.e2e.dagster_driver import (
    run_review,
    run_review_partially,
    sync_tenant_partitions,
    tick_inbox,
)
from warden.landing import read_landing
from warden.records import Finding, ReviewRun
from warden.tenancy import TenantScope

pytestmark = pytest.mark.e2e


def _send_first_security_pr(platform, tenant_id: str = "acme"):
    world, sandbox = platform.world, platform.sandbox
    pr = next(
        p
        for p in world.tenants[tenant_id].pull_requests
        if "security" in p.revisions[0].expected_categories
    )
    player = WebhookPlayer(world, platform.receiver_url, store=sandbox.store)
    event, delivery = next(
        (e, d)
        for e, d in player.deliveries()
        if (e.tenant_id, e.repository, e.number, e.action)
        == (tenant_id, pr.repository, pr.number, "opened")
    )
    sandbox.store.apply_event(world, event)
    with httpx.Client(timeout=10) as client:
        response = send_delivery(delivery, platform.receiver_url.format(tenant=tenant_id), client)
    assert response.status_code == 202
    return pr


def test_crash_before_publishing_is_rerun_once_without_duplicates(platform) -> None:
    pr = _send_first_security_pr(platform)
    sync_tenant_partitions(platform.instance)
    [request] = tick_inbox(platform.instance)

    run_review_partially(platform.instance, request, stop_before="review_comments")
    store = platform.sandbox.store
    assert store.issue_comments("acme", pr.repository, pr.number) == []
    scope = TenantScope.for_tenant(platform.settings.tenants_dir, "acme")
    findings_before = read_landing(scope, Finding).height
    assert findings_before > 0

    # the deliveries are still pending: the next tick retries the batch under a new run key
    [retry] = tick_inbox(platform.instance)
    assert retry.run_key != request.run_key and retry.run_config == request.run_config
    run_review(platform.instance, retry)

    assert len(store.issue_comments("acme", pr.repository, pr.number)) == 1
    findings = read_landing(scope, Finding)
    runs = read_landing(scope, ReviewRun)
    assert findings.height == findings_before  # same run id, same batch: overwritten
    assert runs.select(pl.col("run_id").n_unique()).item() == runs.height == 1
    assert tick_inbox(platform.instance) == []


def test_succeeded_run_not_yet_settled_is_not_run_again(platform) -> None:
    _send_first_security_pr(platform)
    sync_tenant_partitions(platform.instance)
    [request] = tick_inbox(platform.instance)
    from orchestration.definitions import defs

    result = defs.resolve_job_def("review_job").execute_in_process(
        instance=platform.instance,
        partition_key=request.partition_key,
        run_config=request.run_config,
        tags=request.tags,
    )
    assert result.success
    # the run-status sensor has not ticked yet; the inbox sensor must settle, not re-run
    assert tick_inbox(platform.instance) == []
    assert platform.runtime.control_plane.inbox.pending("acme") == []
