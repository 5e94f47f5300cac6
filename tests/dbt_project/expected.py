"""Reference computations over what was landed, written in Python independently of the SQL.

They restate the brief's definitions (latest reviewed run decides open/resolved; the risk
formula and ranking of mart_pr_risk) so the warehouse tests compare dbt's output to them.
"""

from __future__ import annotations

from collections import defaultdict

from tests.dbt_project.landing_data import TenantLanding
from warden.records import Finding, FindingCategory

WEIGHTS = {"info": 0, "low": 1, "medium": 3, "high": 7, "critical": 10}


def run_order(landing: TenantLanding) -> dict[str, tuple]:
    return {r.run_id: (r.pr_updated_at, r.started_at, r.run_id) for r in landing.review_runs}


def finding_status(landing: TenantLanding) -> dict[tuple[str, str], tuple[Finding, str]]:
    """(pr_key, fingerprint) -> (latest occurrence, 'open'|'resolved')."""
    order = run_order(landing)
    latest_run = {}
    for run in landing.review_runs:
        if run.status == "reviewed" and (
            run.pr_key not in latest_run or order[run.run_id] > order[latest_run[run.pr_key]]
        ):
            latest_run[run.pr_key] = run.run_id
    last: dict[tuple[str, str], Finding] = {}
    for finding in landing.findings:
        key = (finding.pr_key, finding.fingerprint)
        if key not in last or order[finding.run_id] > order[last[key].run_id]:
            last[key] = finding
    return {
        key: (f, "open" if f.run_id == latest_run[f.pr_key] else "resolved")
        for key, f in last.items()
    }


def expected_risk(landing: TenantLanding) -> list[tuple[str, float, int]]:
    merged = {pr.pr_key for pr in landing.pull_requests if pr.state == "merged"}
    reviewed = {run.pr_key for run in landing.review_runs}
    open_weight: dict[str, float] = defaultdict(float)
    resolved_weight: dict[str, float] = defaultdict(float)
    open_security: set[str] = set()
    max_rank: dict[str, int] = defaultdict(lambda: -1)
    open_count: dict[str, int] = defaultdict(int)
    for (pr_key, _), (finding, status) in finding_status(landing).items():
        weight = WEIGHTS[finding.severity.value] * finding.confidence
        if status == "open":
            open_weight[pr_key] += weight
            open_count[pr_key] += 1
            max_rank[pr_key] = max(max_rank[pr_key], finding.severity.rank)
            if finding.category is FindingCategory.security:
                open_security.add(pr_key)
        else:
            resolved_weight[pr_key] += weight
    scores = {
        pr: round(
            open_weight[pr] * (1.5 if pr in merged and pr in open_security else 1.0)
            + 0.1 * resolved_weight[pr],
            6,
        )
        for pr in reviewed
    }
    ordered = sorted(scores, key=lambda pr: (-scores[pr], -max_rank[pr], -open_count[pr], pr))
    return [(pr, scores[pr], rank) for rank, pr in enumerate(ordered, start=1)]


def latest_verdicts(landing: TenantLanding) -> set[tuple[str, str, str, str, str, str]]:
    """(pr_key, ticket_key, criterion, verdict, evidence joined by newlines, run_id) of each
    PR's latest reviewed run."""
    order = run_order(landing)
    latest_run: dict[str, str] = {}
    for run in landing.review_runs:
        if run.status == "reviewed" and (
            run.pr_key not in latest_run or order[run.run_id] > order[latest_run[run.pr_key]]
        ):
            latest_run[run.pr_key] = run.run_id
    return {
        (v.pr_key, v.ticket_key, v.criterion, v.verdict, "\n".join(v.evidence), v.run_id)
        for v in landing.verdicts
        if latest_run.get(v.pr_key) == v.run_id
    }
