"""The poll safety net finds PRs webhooks missed, reviews each once, and tenants never mix."""

from __future__ import annotations

import polars as pl
import pytest

from analysis.secret_formats import TOKEN_FORMATS, is_placeholder
from orchestration.pipeline.poll import poll_tenant
from tests.e2e.dagster_driver import drain_inbox, sync_tenant_partitions
from warden.landing import read_landing
from warden.records import Finding, PullRequest
from warden.tenancy import TenantScope

pytestmark = pytest.mark.e2e


def _apply_all_events(platform, tenant_id: str) -> set[tuple[str, int]]:
    """The PRs exist at the vendor, but no webhook was ever delivered (a missed hook)."""
    seen = set()
    for event in platform.world.events():
        if event.tenant_id == tenant_id:
            platform.sandbox.store.apply_event(platform.world, event)
            seen.add((event.repository, event.number))
    return seen


def test_poll_reviews_missed_prs_once_and_keeps_tenants_apart(platform) -> None:
    cp, settings, store = platform.runtime.control_plane, platform.settings, platform.sandbox.store
    expected = {t: _apply_all_events(platform, t) for t in ("acme", "globex")}
    sync_tenant_partitions(platform.instance)

    created = {t: poll_tenant(cp, settings, t) for t in ("acme", "globex")}
    assert created == {t: len(prs) for t, prs in expected.items()}
    assert drain_inbox(platform.instance) == 2
    writes = {t: len(store.comment_writes(t)) for t in ("acme", "globex")}
    assert writes["acme"] > 0 and writes["globex"] > 0

    # a second poll inside the overlap window finds the same PRs: nothing new, nothing posted
    assert {t: poll_tenant(cp, settings, t) for t in ("acme", "globex")} == {"acme": 0, "globex": 0}
    assert drain_inbox(platform.instance) == 0
    assert {t: len(store.comment_writes(t)) for t in ("acme", "globex")} == writes

    # isolation in landing: colliding repo names and PR numbers, never each other's rows
    for tenant_id, other in (("acme", "globex"), ("globex", "acme")):
        scope = TenantScope.for_tenant(settings.tenants_dir, tenant_id)
        prs = read_landing(scope, PullRequest)
        assert set(prs["tenant_id"].unique()) == {tenant_id}
        assert {(r, n) for r, n in prs.select("repository", "number").iter_rows()} == expected[
            tenant_id
        ]
        other_titles = {p.title for p in platform.world.tenants[other].pull_requests}
        own_titles = {p.title for p in platform.world.tenants[tenant_id].pull_requests}
        assert not (set(prs["title"]) & (other_titles - own_titles))
        findings = read_landing(scope, Finding)
        assert findings.filter(pl.col("tenant_id") != tenant_id).is_empty()
    assert expected["acme"] & expected["globex"], "the world must have colliding PRs"

    # no secret from the world's code reached landing unmasked (the review still saw them)
    formats = [f for f in TOKEN_FORMATS if f.rule_id != "secret-private-key"]
    leaked = []
    for path in settings.tenants_dir.glob("*/landing/*/date=*/*.parquet"):
        frame = pl.read_parquet(path)
        for column, dtype in frame.schema.items():
            if dtype != pl.String:
                continue
            for value in frame[column].drop_nulls():
                for token in formats:
                    for match in token.pattern.finditer(value):
                        secret = match.group(token.secret_group)
                        if not is_placeholder(secret):  # e.g. AWS's documented example key
                            leaked.append((path.name, column, token.rule_id))
    assert leaked == []
    secret_findings = [
        f
        for t in ("acme", "globex")
        for f in read_landing(TenantScope.for_tenant(settings.tenants_dir, t), Finding).filter(
            pl.col("rule_id").str.starts_with("secret-")
        )["rule_id"]
    ]
    assert secret_findings, "the world plants secrets; the review must have found some"
