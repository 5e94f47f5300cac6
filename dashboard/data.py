"""Every query the dashboard runs: parameterised SQL over the tenant's serving marts.

Each query opens the tenant's serving snapshot read-only through `TenantScope`, reads the
result into polars and closes the connection. Results are cached per tenant, filters and
snapshot version (the serving file's mtime), so a newly published snapshot shows up at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st
from pydantic import BaseModel, ConfigDict

from dashboard.access import TenantView
from warden.tenancy import TenantScope

CACHE_TTL_SECONDS = 300

PR_STATES = ("open", "merged", "closed")


class PrListFilters(BaseModel):
    """Filters of the prioritised list; empty tuples mean "no filter"."""

    model_config = ConfigDict(frozen=True)

    repositories: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    min_severity_rank: int | None = None
    states: tuple[str, ...] = ()

    @property
    def filters_on_findings(self) -> bool:
        return bool(self.categories) or self.min_severity_rank is not None


def snapshot_version(view: TenantView) -> int | None:
    """Identity of the published snapshot (mtime in ns), or None if there is none yet."""
    try:
        return view.scope.serving_path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


def _query(tenants_root: str, tenant_id: str, sql: str, params: dict[str, Any]) -> pl.DataFrame:
    scope = TenantScope.for_tenant(Path(tenants_root), tenant_id)
    con = scope.connect_serving()
    try:
        return con.sql(sql, params={"tenant_id": tenant_id, **params}).pl()
    finally:
        con.close()


_PR_LIST_SQL = """
select r.pr_key, r.risk_rank, r.risk_score, r.repository, r.pr_number, r.title, r.author,
       r.state, r.is_merged, r.open_findings, r.open_security_findings,
       r.max_open_severity, r.max_open_severity_rank, r.resolved_findings,
       r.last_reviewed_at, r.url
from mart_pr_risk as r
where r.tenant_id = $tenant_id
  and (len($repositories::varchar[]) = 0 or list_contains($repositories::varchar[], r.repository))
  and (len($states::varchar[]) = 0 or list_contains($states::varchar[], r.state))
  and (not $on_findings or exists (
        select 1 from fct_findings as f
        where f.tenant_id = r.tenant_id and f.pr_key = r.pr_key and f.status = 'open'
          and not coalesce(f.suppressed, false)
          and (len($categories::varchar[]) = 0
               or list_contains($categories::varchar[], f.category))
          and f.severity_rank >= $min_rank))
order by r.risk_rank, r.pr_key
"""


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _prioritised_prs(
    tenants_root: str, tenant_id: str, version: int, filters: PrListFilters
) -> pl.DataFrame:
    params = {
        "repositories": list(filters.repositories),
        "states": list(filters.states),
        "categories": list(filters.categories),
        "on_findings": filters.filters_on_findings,
        "min_rank": filters.min_severity_rank if filters.min_severity_rank is not None else -1,
    }
    return _query(tenants_root, tenant_id, _PR_LIST_SQL, params)


def prioritised_prs(view: TenantView, version: int, filters: PrListFilters) -> pl.DataFrame:
    """PRs of the tenant that match `filters`, riskiest first (`risk_rank` 1 on top)."""
    return _prioritised_prs(str(view.tenants_root), view.tenant_id, version, filters)


#: fixed (table, column) pairs; never built from user input
_DISTINCT_SOURCES = {
    "pr_repositories": ("mart_pr_risk", "repository"),
    "finding_categories": ("fct_findings", "category"),
    "trend_repositories": ("mart_findings_daily", "repository"),
}


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _distinct_values(tenants_root: str, tenant_id: str, version: int, source: str) -> list[str]:
    table, column = _DISTINCT_SOURCES[source]
    sql = (
        f"select distinct {column} as v from {table} "
        f"where tenant_id = $tenant_id and {column} is not null order by v"
    )
    return _query(tenants_root, tenant_id, sql, {})["v"].to_list()


def pr_repositories(view: TenantView, version: int) -> list[str]:
    """Repositories that have at least one reviewed PR."""
    return _distinct_values(str(view.tenants_root), view.tenant_id, version, "pr_repositories")


def finding_categories(view: TenantView, version: int) -> list[str]:
    """Finding categories present in the tenant's findings."""
    return _distinct_values(str(view.tenants_root), view.tenant_id, version, "finding_categories")


def trend_repositories(view: TenantView, version: int) -> list[str]:
    """Repositories that appear in the daily findings mart."""
    return _distinct_values(str(view.tenants_root), view.tenant_id, version, "trend_repositories")


_PR_HEADER_SQL = """
select r.pr_key, r.repository, r.pr_number, r.title, r.author, r.state, r.is_merged, r.url,
       r.open_findings, r.resolved_findings, r.open_security_findings, r.max_open_severity,
       r.risk_score, r.risk_rank, r.last_reviewed_at, r.latest_head_sha, r.last_comment_url,
       p.base_ref, p.head_ref, p.linked_ticket_keys
from mart_pr_risk as r
left join dim_pull_requests as p on p.tenant_id = r.tenant_id and p.pr_key = r.pr_key
where r.tenant_id = $tenant_id and r.pr_key = $pr_key
"""

_PR_FINDINGS_SQL = """
select finding_key, status, severity, severity_rank, category, rule_id, cwe, confidence,
       file_path, start_line, end_line, message, evidence, evidence_source, suggested_fix,
       suppressed, first_seen_at, last_seen_at
from fct_findings
where tenant_id = $tenant_id and pr_key = $pr_key
order by case status when 'open' then 0 else 1 end, severity_rank desc, file_path,
         start_line, finding_key
"""

_PR_RUNS_SQL = """
select run_id, started_at, finished_at, duration_ms, trigger, status, head_sha,
       findings_count, reportable_count, engine_version, llm_model, input_tokens,
       output_tokens
from fct_review_runs
where tenant_id = $tenant_id and pr_key = $pr_key
order by started_at desc, run_id
"""

_PR_QUERIES = {"header": _PR_HEADER_SQL, "findings": _PR_FINDINGS_SQL, "runs": _PR_RUNS_SQL}


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _pr_query(
    tenants_root: str, tenant_id: str, version: int, which: str, pr_key: str
) -> pl.DataFrame:
    return _query(tenants_root, tenant_id, _PR_QUERIES[which], {"pr_key": pr_key})


def pr_header(view: TenantView, version: int, pr_key: str) -> dict[str, Any] | None:
    """The reviewed PR `pr_key` of this tenant (risk row + branch data), or None."""
    rows = _pr_query(str(view.tenants_root), view.tenant_id, version, "header", pr_key)
    return rows.row(0, named=True) if rows.height else None


def pr_findings(view: TenantView, version: int, pr_key: str) -> pl.DataFrame:
    """All findings of one PR: open first, then by severity."""
    return _pr_query(str(view.tenants_root), view.tenant_id, version, "findings", pr_key)


def pr_review_runs(view: TenantView, version: int, pr_key: str) -> pl.DataFrame:
    """Review runs of one PR, newest first."""
    return _pr_query(str(view.tenants_root), view.tenant_id, version, "runs", pr_key)


VERDICTS_TABLE = "fct_criterion_verdicts"

_PR_VERDICTS_SQL = """
select verdict_key, ticket_key, criterion, verdict, reason, evidence, source, run_id
from fct_criterion_verdicts
where tenant_id = $tenant_id and pr_key = $pr_key
order by ticket_key,
         case verdict when 'not_met' then 0 when 'needs_human' then 1 else 2 end,
         criterion
"""

_VERDICT_COLUMNS = {
    name: pl.String
    for name in (
        "verdict_key", "ticket_key", "criterion", "verdict", "reason", "evidence", "source",
        "run_id",
    )
}  # fmt: skip

_HAS_TABLE_SQL = """
select count(*) from duckdb_tables()
where database_name = current_database() and schema_name = 'main' and table_name = $table
"""


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _pr_verdicts(tenants_root: str, tenant_id: str, version: int, pr_key: str) -> pl.DataFrame:
    scope = TenantScope.for_tenant(Path(tenants_root), tenant_id)
    con = scope.connect_serving()
    try:
        (present,) = con.sql(_HAS_TABLE_SQL, params={"table": VERDICTS_TABLE}).fetchall()[0]
        if not present:  # a snapshot published before the mart existed
            return pl.DataFrame(schema=_VERDICT_COLUMNS)
        params = {"tenant_id": tenant_id, "pr_key": pr_key}
        return con.sql(_PR_VERDICTS_SQL, params=params).pl()
    finally:
        con.close()


def pr_criterion_verdicts(view: TenantView, version: int, pr_key: str) -> pl.DataFrame:
    """Acceptance-criterion verdicts of the PR's latest review, unmet first per ticket; empty
    when the snapshot predates the verdicts mart."""
    return _pr_verdicts(str(view.tenants_root), view.tenant_id, version, pr_key)


_DAILY_SQL = """
select day, repository, category, severity, severity_rank,
       sum(new_findings)::bigint as new_findings, sum(open_findings)::bigint as open_findings
from mart_findings_daily
where tenant_id = $tenant_id
  and (len($repositories::varchar[]) = 0 or list_contains($repositories::varchar[], repository))
group by all
order by day, repository, category, severity_rank
"""


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _findings_daily(
    tenants_root: str, tenant_id: str, version: int, repositories: tuple[str, ...]
) -> pl.DataFrame:
    return _query(tenants_root, tenant_id, _DAILY_SQL, {"repositories": list(repositories)})


def findings_daily(
    view: TenantView, version: int, repositories: tuple[str, ...] = ()
) -> pl.DataFrame:
    """New (and still open) findings per day, repository, category and severity."""
    return _findings_daily(str(view.tenants_root), view.tenant_id, version, repositories)
