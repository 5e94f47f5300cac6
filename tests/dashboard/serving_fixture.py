"""FIXTURE ONLY: builds a serving DuckDB snapshot with exactly the mart columns of the brief.

Rows are derived from seed PRs and findings with the documented formulas (risk score, ranks,
daily counts), so tests can state their expectations in terms of the seeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb
import polars as pl

from warden.records import Severity, pull_request_key, sha256_hex
from warden.tenancy import TenantScope

MART_COLUMNS = {
    "dim_repositories": "tenant_id varchar, repository varchar, provider varchar, "
    "pull_request_count bigint, first_seen_at timestamptz, last_activity_at timestamptz",
    "dim_pull_requests": "tenant_id varchar, pr_key varchar, repository varchar, "
    "pr_number integer, title varchar, author varchar, state varchar, is_merged boolean, "
    "url varchar, base_ref varchar, head_ref varchar, head_sha varchar, "
    "created_at timestamptz, updated_at timestamptz, merged_at timestamptz, "
    "linked_ticket_keys varchar",
    "fct_review_runs": "tenant_id varchar, run_id varchar, pr_key varchar, "
    "repository varchar, pr_number integer, head_sha varchar, trigger varchar, "
    "engine_version varchar, policy_hash varchar, llm_model varchar, status varchar, "
    "findings_count integer, reportable_count integer, input_tokens bigint, "
    "output_tokens bigint, pr_updated_at timestamptz, started_at timestamptz, "
    "finished_at timestamptz, duration_ms bigint",
    "fct_findings": "finding_key varchar, tenant_id varchar, pr_key varchar, "
    "repository varchar, pr_number integer, fingerprint varchar, category varchar, "
    "rule_id varchar, cwe varchar, severity varchar, severity_rank integer, "
    "confidence double, file_path varchar, start_line integer, end_line integer, "
    "message varchar, evidence varchar, evidence_source varchar, suggested_fix varchar, "
    "status varchar, first_seen_run_id varchar, last_seen_run_id varchar, "
    "first_seen_at timestamptz, last_seen_at timestamptz, suppressed boolean",
    "mart_pr_risk": "tenant_id varchar, pr_key varchar, repository varchar, "
    "pr_number integer, title varchar, author varchar, state varchar, is_merged boolean, "
    "url varchar, open_findings bigint, resolved_findings bigint, "
    "open_security_findings bigint, max_open_severity varchar, "
    "max_open_severity_rank integer, risk_score double, risk_rank bigint, "
    "last_reviewed_at timestamptz, latest_head_sha varchar, last_comment_url varchar",
    "mart_findings_daily": "tenant_id varchar, day date, repository varchar, "
    "category varchar, severity varchar, severity_rank integer, new_findings bigint, "
    "open_findings bigint",
    "fct_criterion_verdicts": "tenant_id varchar, verdict_key varchar, pr_key varchar, "
    "repository varchar, pr_number bigint, ticket_key varchar, criterion varchar, "
    "verdict varchar, reason varchar, evidence varchar, source varchar, run_id varchar, "
    "pr_updated_at timestamptz",
}
#: marts a snapshot published before they existed lacks (written only when seeds are given)
LATER_MARTS = frozenset({"fct_criterion_verdicts"})
WEIGHT = {"info": 0, "low": 1, "medium": 3, "high": 7, "critical": 10}
BASE_TIME = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class SeedPr:
    repository: str
    number: int
    title: str
    state: str  # open | closed | merged
    author: str = "dev"
    comment_url: str | None = None


@dataclass(frozen=True)
class SeedFinding:
    repository: str
    number: int
    rule_id: str
    category: str
    severity: str
    message: str
    evidence: str
    status: str = "open"
    confidence: float = 0.9
    cwe: str | None = None
    file_path: str = "src/app.py"
    line: int = 10
    day_offset: int = 0


@dataclass(frozen=True)
class SeedVerdict:
    repository: str
    number: int
    ticket_key: str
    criterion: str
    verdict: str  # met | not_met | needs_human
    reason: str
    evidence: tuple[str, ...] = ()
    source: str = "deterministic"


def _verdict_row(tenant: str, v: SeedVerdict) -> dict[str, object]:
    return {
        "tenant_id": tenant,
        "verdict_key": f"{_key(v)}:{v.ticket_key}:{sha256_hex(v.criterion)[:16]}",
        "pr_key": _key(v),
        "repository": v.repository,
        "pr_number": v.number,
        "ticket_key": v.ticket_key,
        "criterion": v.criterion,
        "verdict": v.verdict,
        "reason": v.reason,
        "evidence": "\n".join(v.evidence),
        "source": v.source,
        "run_id": f"run-{v.number}-1",
        "pr_updated_at": BASE_TIME,
    }


def _key(seed: SeedPr | SeedFinding | SeedVerdict) -> str:
    return pull_request_key("github", seed.repository, seed.number)


def risk_score(pr: SeedPr, findings: list[SeedFinding]) -> float:
    """The documented risk formula, computed over the seeds of one PR."""
    own = [f for f in findings if _key(f) == _key(pr)]
    score = sum(WEIGHT[f.severity] * f.confidence for f in own if f.status == "open")
    if pr.state == "merged" and any(f.category == "security" and f.status == "open" for f in own):
        score *= 1.5
    return score + 0.1 * sum(WEIGHT[f.severity] * f.confidence for f in own if f.status != "open")


def _finding_row(tenant: str, f: SeedFinding) -> dict[str, object]:
    fingerprint = sha256_hex(f.rule_id, f.file_path, f.message)[:16]
    seen = BASE_TIME + timedelta(days=f.day_offset)
    return {
        "finding_key": f"{_key(f)}:{fingerprint}",
        "tenant_id": tenant,
        "pr_key": _key(f),
        "repository": f.repository,
        "pr_number": f.number,
        "fingerprint": fingerprint,
        "category": f.category,
        "rule_id": f.rule_id,
        "cwe": f.cwe,
        "severity": f.severity,
        "severity_rank": Severity(f.severity).rank,
        "confidence": f.confidence,
        "file_path": f.file_path,
        "start_line": f.line,
        "end_line": f.line + 1,
        "message": f.message,
        "evidence": f.evidence,
        "evidence_source": "diff:added-lines",
        "suggested_fix": f"Fix {f.rule_id}.",
        "status": f.status,
        "first_seen_run_id": f"run-{f.number}-1",
        "last_seen_run_id": f"run-{f.number}-1",
        "first_seen_at": seen,
        "last_seen_at": seen,
        "suppressed": False,
    }


def _pr_rows(tenant: str, prs: list[SeedPr], findings: list[SeedFinding]) -> dict[str, list]:
    ranked = sorted(prs, key=lambda p: -risk_score(p, findings))
    risk, dims, runs = [], [], []
    for rank, pr in enumerate(ranked, start=1):
        own = [f for f in findings if _key(f) == _key(pr)]
        open_ = [f for f in own if f.status == "open"]
        top = max(open_, key=lambda f: Severity(f.severity).rank, default=None)
        url = f"https://github.example/{pr.repository}/pull/{pr.number}"
        common = {
            "tenant_id": tenant,
            "pr_key": _key(pr),
            "repository": pr.repository,
            "pr_number": pr.number,
            "title": pr.title,
            "author": pr.author,
            "state": pr.state,
            "is_merged": pr.state == "merged",
            "url": url,
        }
        risk.append(
            {
                **common,
                "open_findings": len(open_),
                "resolved_findings": len(own) - len(open_),
                "open_security_findings": sum(f.category == "security" for f in open_),
                "max_open_severity": top.severity if top else None,
                "max_open_severity_rank": Severity(top.severity).rank if top else -1,
                "risk_score": risk_score(pr, findings),
                "risk_rank": rank,
                "last_reviewed_at": BASE_TIME,
                "latest_head_sha": "a" * 40,
                "last_comment_url": pr.comment_url,
            }
        )
        dims.append(
            {
                **common,
                "base_ref": "main",
                "head_ref": f"feature/{pr.number}",
                "head_sha": "a" * 40,
                "created_at": BASE_TIME,
                "updated_at": BASE_TIME,
                "merged_at": BASE_TIME if pr.state == "merged" else None,
                "linked_ticket_keys": "ENG-1",
            }
        )
        runs.append(
            {
                "tenant_id": tenant,
                "run_id": f"run-{pr.number}-1",
                "pr_key": _key(pr),
                "repository": pr.repository,
                "pr_number": pr.number,
                "head_sha": "a" * 40,
                "trigger": "webhook",
                "engine_version": "1",
                "policy_hash": "p",
                "llm_model": "fake",
                "status": "succeeded",
                "findings_count": len(own),
                "reportable_count": len(open_),
                "input_tokens": 100,
                "output_tokens": 10,
                "pr_updated_at": BASE_TIME,
                "started_at": BASE_TIME,
                "finished_at": BASE_TIME,
                "duration_ms": 1200,
            }
        )
    return {"mart_pr_risk": risk, "dim_pull_requests": dims, "fct_review_runs": runs}


def _daily_rows(tenant: str, findings: list[SeedFinding]) -> list[dict[str, object]]:
    if not findings:
        return []
    frame = pl.DataFrame([_finding_row(tenant, f) for f in findings])
    return (
        frame.with_columns(pl.col("first_seen_at").dt.date().alias("day"))
        .group_by("tenant_id", "day", "repository", "category", "severity", "severity_rank")
        .agg(
            pl.len().alias("new_findings"),
            (pl.col("status") == "open").sum().alias("open_findings"),
        )
        .to_dicts()
    )


def write_serving_snapshot(
    scope: TenantScope,
    prs: list[SeedPr],
    findings: list[SeedFinding],
    verdicts: list[SeedVerdict] | None = None,
) -> None:
    """FIXTURE: write a serving DuckDB for `scope` with every mart of the brief; without
    `verdicts` it is an older snapshot that lacks fct_criterion_verdicts."""
    tenant = scope.tenant_id
    tables = _pr_rows(tenant, prs, findings)
    tables["fct_criterion_verdicts"] = [_verdict_row(tenant, v) for v in verdicts or []]
    tables["fct_findings"] = [_finding_row(tenant, f) for f in findings]
    tables["mart_findings_daily"] = _daily_rows(tenant, findings)
    tables["dim_repositories"] = [
        {
            "tenant_id": tenant,
            "repository": repo,
            "provider": "github",
            "pull_request_count": sum(p.repository == repo for p in prs),
            "first_seen_at": BASE_TIME,
            "last_activity_at": BASE_TIME,
        }
        for repo in sorted({p.repository for p in prs})
    ]
    scope.ensure_dirs()
    con = duckdb.connect(str(scope.serving_path))
    try:
        for table, columns in MART_COLUMNS.items():
            if table in LATER_MARTS and verdicts is None:
                continue
            con.sql(f"create or replace table {table} ({columns})")
            if not tables[table]:
                continue
            rows = pl.DataFrame(tables[table], infer_schema_length=None)  # noqa: F841
            con.sql(f"insert into {table} by name select * from rows")
    finally:
        con.close()
