"""The real `dbt build` per tenant over real landing files: marts, statuses, isolation.

One module-scoped fixture lands two tenants with colliding names, adds a tenant with no
landing at all and a build whose landing_root belongs to another tenant, and runs the four
builds once, in parallel subprocesses.
"""

from __future__ import annotations

from collections import defaultdict

import duckdb
import pytest

from tests.dbt_project.dbt_build import BuildResult, build_tenants
from tests.dbt_project.expected import (
    expected_risk,
    finding_status,
    latest_verdicts,
    run_order,
)
from tests.dbt_project.landing_data import (
    TenantLanding,
    acme_landing,
    globex_landing,
    write_landing,
)
from warden.serving import REQUIRED_MARTS, publish_serving_snapshot, serving_tables
from warden.tenancy import TenantScope

#: the mart columns of the brief's "Warehouse marts" section, in order
BRIEF_MART_COLUMNS = {
    "dim_repositories": "tenant_id repository provider pull_request_count first_seen_at "
    "last_activity_at",
    "dim_pull_requests": "tenant_id pr_key repository pr_number title author state is_merged "
    "url base_ref head_ref head_sha created_at updated_at merged_at linked_ticket_keys",
    "fct_review_runs": "tenant_id run_id pr_key repository pr_number head_sha trigger "
    "engine_version policy_hash llm_model status findings_count reportable_count "
    "input_tokens output_tokens cache_read_tokens llm_cost_usd llm_latency_ms llm_status "
    "prompt_version files_reviewed files_skipped pr_updated_at started_at finished_at duration_ms",
    "fct_findings": "finding_key tenant_id pr_key repository pr_number fingerprint category "
    "rule_id cwe severity severity_rank confidence file_path start_line end_line message "
    "evidence evidence_source suggested_fix status first_seen_run_id last_seen_run_id "
    "first_seen_at last_seen_at suppressed",
    "mart_pr_risk": "tenant_id pr_key repository pr_number title author state is_merged url "
    "open_findings resolved_findings open_security_findings max_open_severity "
    "max_open_severity_rank risk_score risk_rank last_reviewed_at latest_head_sha "
    "last_comment_url",
    "mart_findings_daily": "tenant_id day repository category severity severity_rank "
    "new_findings open_findings",
    "fct_criterion_verdicts": "tenant_id verdict_key pr_key repository pr_number ticket_key "
    "criterion verdict reason evidence source run_id pr_updated_at",
}


class Built:
    def __init__(
        self,
        scopes: dict[str, TenantScope],
        landings: dict[str, TenantLanding],
        results: dict[str, BuildResult],
    ) -> None:
        self.scopes = scopes
        self.landings = landings
        self.results = results

    def rows(self, tenant: str, query: str) -> list[tuple]:
        con = duckdb.connect(str(self.scopes[tenant].warehouse_path), read_only=True)
        try:
            return con.sql(query).fetchall()
        finally:
            con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("warehouse")
    tenants_root = root / "tenants"
    scopes = {
        t: TenantScope.for_tenant(tenants_root, t) for t in ("acme", "globex", "initech", "mallory")
    }
    landings = {"acme": acme_landing(), "globex": globex_landing()}
    write_landing(scopes["acme"], landings["acme"], reland=True)
    write_landing(scopes["globex"], landings["globex"], reland=False)
    results = build_tenants(
        [
            (scopes["acme"], None),
            (scopes["globex"], None),
            (scopes["initech"], None),  # no landing directory at all
            (scopes["mallory"], scopes["globex"].landing_dir),  # another tenant's landing
        ],
        root / "dbt",
    )
    return Built(scopes, landings, {r.scope.tenant_id: r for r in results})


def _assert_built(built: Built, tenant: str) -> None:
    result = built.results[tenant]
    assert result.returncode == 0, result.output[-4000:]


# --- the builds ----------------------------------------------------------------------


def test_every_tenant_build_passes_including_a_tenant_without_landing(built: Built) -> None:
    for tenant in ("acme", "globex", "initech"):
        _assert_built(built, tenant)


def test_build_refuses_a_landing_root_of_another_tenant(built: Built) -> None:
    result = built.results["mallory"]
    assert result.returncode != 0
    assert "landing_root" in result.output and "mallory" in result.output


def test_fresh_tenant_has_every_mart_empty(built: Built) -> None:
    _assert_built(built, "initech")
    for mart in BRIEF_MART_COLUMNS:
        assert built.rows("initech", f"select count(*) from {mart}") == [(0,)]


def test_marts_have_exactly_the_columns_of_the_brief(built: Built) -> None:
    _assert_built(built, "initech")
    for mart, columns in BRIEF_MART_COLUMNS.items():
        actual = built.rows(
            "initech",
            "select column_name from information_schema.columns "
            f"where table_schema = 'main' and table_name = '{mart}' order by ordinal_position",
        )
        assert [c for (c,) in actual] == columns.split(), mart


# --- marts ---------------------------------------------------------------------------


def test_risk_score_and_rank_follow_the_documented_formula(built: Built) -> None:
    _assert_built(built, "acme")
    rows = built.rows(
        "acme", "select pr_key, risk_score, risk_rank from mart_pr_risk order by risk_rank"
    )
    expected = expected_risk(built.landings["acme"])
    assert [(k, pytest.approx(s), r) for k, s, r in rows] == expected
    merged_pr = next(pr for pr in built.landings["acme"].pull_requests if pr.state == "merged")
    assert rows[0][0] == merged_pr.pr_key  # open critical security on a merged PR ranks first


def test_pr_risk_summarises_open_findings_and_latest_comment(built: Built) -> None:
    _assert_built(built, "acme")
    merged_pr = next(pr for pr in built.landings["acme"].pull_requests if pr.state == "merged")
    row = built.rows(
        "acme",
        "select open_findings, resolved_findings, open_security_findings, max_open_severity, "
        "max_open_severity_rank, last_comment_url, latest_head_sha from mart_pr_risk "
        f"where pr_key = '{merged_pr.pr_key}'",
    )
    latest_comment = max(
        (c for c in built.landings["acme"].comments if c.pr_key == merged_pr.pr_key and c.url),
        key=lambda c: c.posted_at,
    )
    assert row == [(1, 1, 1, "critical", 4, latest_comment.url, merged_pr.head_sha)]
    unreviewed = [
        pr.pr_key
        for pr in built.landings["acme"].pull_requests
        if pr.pr_key not in {r.pr_key for r in built.landings["acme"].review_runs}
    ]
    assert unreviewed
    listed = {k for (k,) in built.rows("acme", "select pr_key from mart_pr_risk")}
    assert listed.isdisjoint(unreviewed)


def test_finding_missing_from_the_latest_run_is_resolved(built: Built) -> None:
    _assert_built(built, "acme")
    rows = built.rows(
        "acme",
        "select pr_key, fingerprint, status, first_seen_run_id, last_seen_run_id, "
        "first_seen_at, last_seen_at from fct_findings",
    )
    actual = {(pr, fp): (status, first, last) for pr, fp, status, first, last, _, _ in rows}
    expected = finding_status(built.landings["acme"])
    assert {key: status for key, (status, _, _) in actual.items()} == {
        key: status for key, (_, status) in expected.items()
    }
    assert sorted(s for s, _, _ in actual.values()) == ["open", "open", "resolved"]
    runs = {r.run_id: r for r in built.landings["acme"].review_runs}
    for pr, fp, _, first, last, first_at, last_at in rows:
        assert first_at == runs[first].pr_updated_at and last_at == runs[last].pr_updated_at
        if actual[(pr, fp)][0] == "resolved":
            assert last == first  # only seen in the first run


def test_relanded_batches_are_deduplicated_to_the_latest_version(built: Built) -> None:
    _assert_built(built, "acme")
    landing = built.landings["acme"]
    assert built.rows("acme", "select count(*) from fct_review_runs") == [
        (len(landing.review_runs),)
    ]
    assert built.rows("acme", "select count(*) from staging.stg_landing__findings") == [
        (len(landing.findings),)
    ]
    titles = {t for (t,) in built.rows("acme", "select title from dim_pull_requests")}
    assert titles == {pr.title for pr in landing.pull_requests}  # the relanded "(v2)" titles
    assert all(t.endswith("(v2)") for t in titles)


def test_findings_daily_counts_new_and_still_open_by_first_seen_day(built: Built) -> None:
    _assert_built(built, "acme")
    runs = {r.run_id: r for r in built.landings["acme"].review_runs}
    first_run = {}
    order = run_order(built.landings["acme"])
    for f in built.landings["acme"].findings:
        key = (f.pr_key, f.fingerprint)
        if key not in first_run or order[f.run_id] < order[first_run[key]]:
            first_run[key] = f.run_id
    expected: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for key, (finding, status) in finding_status(built.landings["acme"]).items():
        day = runs[first_run[key]].pr_updated_at.date()
        group = (day, finding.repository, finding.category.value, finding.severity.value)
        expected[group][0] += 1
        expected[group][1] += status == "open"
    rows = built.rows(
        "acme",
        "select day, repository, category, severity, new_findings, "
        "open_findings from mart_findings_daily",
    )
    assert {r[:4]: [r[4], r[5]] for r in rows} == dict(expected)


def test_linked_ticket_keys_are_distinct_sorted_and_empty_when_none(built: Built) -> None:
    _assert_built(built, "acme")
    links = defaultdict(set)
    for link in built.landings["acme"].links:
        links[link.pr_key].add(link.ticket_key)
    rows = built.rows("acme", "select pr_key, linked_ticket_keys from dim_pull_requests")
    assert dict(rows) == {
        pr.pr_key: ",".join(sorted(links[pr.pr_key])) for pr in built.landings["acme"].pull_requests
    }


VERDICT_COLUMNS = "pr_key, ticket_key, criterion, verdict, evidence, run_id"


def test_criterion_verdicts_come_from_each_prs_latest_reviewed_run(built: Built) -> None:
    _assert_built(built, "acme")
    landing = built.landings["acme"]
    rows = built.rows("acme", f"select {VERDICT_COLUMNS} from fct_criterion_verdicts")
    expected = latest_verdicts(landing)
    assert len(rows) == len(expected) and set(rows) == expected  # relanded: no duplicates
    superseded = {v.run_id for v in landing.verdicts} - {run for *_, run in rows}
    assert superseded == {"r1", "r5"}  # an older run and an errored later run
    merged_pr = next(pr for pr in landing.pull_requests if pr.state == "merged")
    verdicts = built.rows(
        "acme",
        "select ticket_key, verdict, evidence, pr_updated_at from fct_criterion_verdicts "
        f"where pr_key = '{merged_pr.pr_key}'",
    )
    r2 = next(r for r in landing.review_runs if r.run_id == "r2")
    assert verdicts == [("ENG-1", "met", "src/auth.py:10\ntests/test_auth.py:4", r2.pr_updated_at)]


def test_colliding_verdict_keys_stay_in_their_tenant(built: Built) -> None:
    _assert_built(built, "globex")
    globex = built.rows("globex", f"select {VERDICT_COLUMNS} from fct_criterion_verdicts")
    assert set(globex) == latest_verdicts(built.landings["globex"])
    ((globex_key,),) = built.rows("globex", "select verdict_key from fct_criterion_verdicts")
    acme = dict(built.rows("acme", "select verdict_key, verdict from fct_criterion_verdicts"))
    assert acme[globex_key] == "met" and globex[0][3] == "not_met"  # same key, own row
    text = "\n".join(str(r) for r in built.rows("acme", "select * from fct_criterion_verdicts"))
    assert "globex" not in text


# --- isolation -----------------------------------------------------------------------


def _tables_with_tenant_id(built: Built, tenant: str) -> list[str]:
    return [
        f"{schema}.{table}"
        for schema, table in built.rows(
            tenant,
            "select table_schema, table_name from information_schema.columns "
            "where column_name = 'tenant_id' and table_catalog = current_database()",
        )
    ]


@pytest.mark.parametrize(("tenant", "other"), [("acme", "globex"), ("globex", "acme")])
def test_a_tenant_warehouse_holds_no_row_of_the_other_tenant(
    built: Built, tenant: str, other: str
) -> None:
    _assert_built(built, tenant)
    relations = _tables_with_tenant_id(built, tenant)
    assert len(relations) >= len(REQUIRED_MARTS) + 8
    for relation in relations:
        assert built.rows(tenant, f"select distinct tenant_id from {relation}") in (
            [(tenant,)],
            [],
        ), relation
    other_titles = [pr.title for pr in built.landings[other].pull_requests]
    found = built.rows(tenant, "select title from dim_pull_requests")
    assert not set(other_titles) & {t for (t,) in found}


def test_colliding_pr_keys_are_scored_per_tenant(built: Built) -> None:
    _assert_built(built, "globex")
    globex = built.rows("globex", "select pr_key, risk_score, risk_rank from mart_pr_risk")
    assert globex == expected_risk(built.landings["globex"])
    acme_keys = {k for (k,) in built.rows("acme", "select pr_key from mart_pr_risk")}
    assert globex[0][0] in acme_keys  # same key, different tenant, different score


# --- publishing what dbt built --------------------------------------------------------


def test_publishing_the_built_warehouse_serves_its_marts(built: Built) -> None:
    _assert_built(built, "acme")
    scope = built.scopes["acme"]
    path = publish_serving_snapshot(scope)
    assert path == scope.serving_path
    assert {*REQUIRED_MARTS, "fct_criterion_verdicts"} <= set(serving_tables(scope))
    con = scope.connect_serving()
    try:
        served = con.sql(
            "select pr_key, risk_score, risk_rank from mart_pr_risk order by risk_rank"
        ).fetchall()
        served_verdicts = con.sql("select * from fct_criterion_verdicts").fetchall()
    finally:
        con.close()
    assert served == built.rows(
        "acme", "select pr_key, risk_score, risk_rank from mart_pr_risk order by risk_rank"
    )
    assert sorted(served_verdicts) == sorted(
        built.rows("acme", "select * from fct_criterion_verdicts")
    )
