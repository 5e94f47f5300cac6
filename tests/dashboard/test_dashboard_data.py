"""The query module over a real serving DuckDB file: scoping, filters, closed connections."""

from __future__ import annotations

import duckdb

from dashboard import data
from dashboard.access import Viewer, tenant_view


def member_view(world):
    viewer = Viewer(email=world.analyst, tenant_ids=(world.member_tenant, world.other_tenant))
    return tenant_view(world.settings, viewer, world.member_tenant)


def test_queries_close_their_connection(fresh_world) -> None:
    view = member_view(fresh_world)
    version = data.snapshot_version(view)
    assert data.prioritised_prs(view, version, data.PrListFilters()).height == 4
    # a read-write open in the same process fails while a read-only handle is still open
    con = duckdb.connect(str(view.scope.serving_path))
    con.close()


def test_tenant_scoped_queries_return_only_that_tenant(serving_world) -> None:
    viewer = Viewer(
        email="x@y.test", tenant_ids=(serving_world.member_tenant, serving_world.other_tenant)
    )
    for tenant, titles in (
        (serving_world.member_tenant, serving_world.member_titles),
        (serving_world.other_tenant, serving_world.other_titles),
    ):
        view = tenant_view(serving_world.settings, viewer, tenant)
        version = data.snapshot_version(view)
        prs = data.prioritised_prs(view, version, data.PrListFilters())
        assert set(prs["title"]) == set(titles)
        header = data.pr_header(view, version, "github:PullRequest:platform/api#12")
        assert header["title"] in titles


def test_filters_with_sql_metacharacters_are_values_not_sql(serving_world) -> None:
    view = member_view(serving_world)
    version = data.snapshot_version(view)
    hostile = data.PrListFilters(repositories=("x' or '1'='1",), categories=("') --",))
    assert data.prioritised_prs(view, version, hostile).is_empty()


def test_snapshot_version_is_none_without_a_snapshot(serving_world) -> None:
    viewer = Viewer(email=serving_world.newcomer, tenant_ids=(serving_world.empty_tenant,))
    view = tenant_view(serving_world.settings, viewer, serving_world.empty_tenant)
    assert data.snapshot_version(view) is None


def test_criterion_verdicts_are_tenant_scoped_and_unmet_first(serving_world) -> None:
    view = member_view(serving_world)
    verdicts = data.pr_criterion_verdicts(
        view, data.snapshot_version(view), "github:PullRequest:platform/api#12"
    )
    assert verdicts["verdict"].to_list() == ["not_met", "met", "needs_human"]
    assert verdicts["ticket_key"].to_list() == ["ENG-1", "ENG-1", "ENG-2"]
    assert not any("GLOBEX" in c for c in verdicts["criterion"].to_list())


def test_snapshot_without_the_verdicts_mart_reads_as_no_verdicts(fresh_world) -> None:
    fresh_world.republish_member_snapshot(["Acme: older snapshot"])
    view = member_view(fresh_world)
    verdicts = data.pr_criterion_verdicts(
        view, data.snapshot_version(view), "github:PullRequest:platform/api#100"
    )
    assert verdicts.is_empty() and "criterion" in verdicts.columns
    duckdb.connect(str(view.scope.serving_path)).close()  # the read-only handle was closed
