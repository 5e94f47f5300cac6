"""Pure helpers that turn mart rows into what a person reads: labels, links, metrics.

Text that comes from PRs, tickets, docs or the LLM is untrusted; it is escaped before it
reaches `st.markdown` so it can never inject links, images or formatting.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import polars as pl

from warden.records import Severity

#: page url paths, shared by the router and the links that point at pages
PRIORITISED_URL_PATH = "prioritised-prs"
DETAIL_URL_PATH = "pr-detail"
TRENDS_URL_PATH = "trends"
#: the detail page's script, relative to the router (for st.switch_page)
DETAIL_PAGE_SCRIPT = "app_pages/pr_detail.py"

SEVERITY_ORDER: tuple[str, ...] = tuple(s.value for s in Severity)
#: Streamlit Markdown badge colours (`:red-badge[text]`); no emoji, which headless fonts lack
SEVERITY_BADGE = {
    "info": "gray",
    "low": "blue",
    "medium": "yellow",
    "high": "orange",
    "critical": "red",
}
CATEGORY_COLOUR = {"Security": "#d93025", "Requirement drift": "#8e44ad", "Standards": "#4c8bf5"}
STATE_BADGE = {"open": "green", "merged": "violet", "closed": "gray"}
#: acceptance-criterion verdict -> (badge colour, label)
VERDICT_BADGE = {
    "met": ("green", "met"),
    "not_met": ("red", "not met"),
    "needs_human": ("orange", "needs a human"),
}
SEVERITY_COLOUR = {
    "info": "#9aa0a6",
    "low": "#4c8bf5",
    "medium": "#f2b705",
    "high": "#f57c00",
    "critical": "#d93025",
}
CATEGORY_LABEL = {
    "security": "Security",
    "requirement_drift": "Requirement drift",
    "standards": "Standards",
}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^])")


def escape_markdown(text: str | None) -> str:
    """`text` with every Markdown/Streamlit directive character backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text or "")


def minimum_severity_label(severity: str) -> str:
    return severity if severity == "critical" else f"{severity} or above"


def severity_badge(severity: str | None) -> str:
    """A coloured Markdown badge for a known severity, else the escaped text."""
    if severity in SEVERITY_BADGE:
        return f":{SEVERITY_BADGE[severity]}-badge[{severity}]"
    return escape_markdown(severity or "—")


def state_badge(state: str | None) -> str:
    if state in STATE_BADGE:
        return f":{STATE_BADGE[state]}-badge[{state}]"
    return escape_markdown(state or "—")


def verdict_badge(verdict: str | None) -> str:
    """A coloured badge for a criterion verdict (met / not met / needs a human)."""
    if verdict in VERDICT_BADGE:
        colour, label = VERDICT_BADGE[verdict]
        return f":{colour}-badge[{label}]"
    return escape_markdown(verdict or "—")


def evidence_lines(evidence: str | None) -> list[str]:
    """The newline-joined evidence of a verdict as its non-blank references."""
    return [line.strip() for line in (evidence or "").split("\n") if line.strip()]


def severity_cell_style(value: object) -> str:
    """CSS for a table cell holding a severity (used with a pandas Styler)."""
    colour = SEVERITY_COLOUR.get(str(value))
    return f"color: {colour}; font-weight: 600" if colour else ""


def category_colour(label: str) -> str:
    """Chart colour of a category label; grey for categories added later."""
    return CATEGORY_COLOUR.get(label, "#9aa0a6")


def category_label(category: str | None) -> str:
    return CATEGORY_LABEL.get(category or "", category or "—")


def severity_rank(severity: str) -> int:
    return Severity(severity).rank


def location(file_path: str | None, start_line: int | None, end_line: int | None) -> str:
    """`path:12`, `path:12-14`, or just `path` when there are no lines."""
    if not file_path:
        return "—"
    if start_line is None:
        return file_path
    if end_line is None or end_line == start_line:
        return f"{file_path}:{start_line}"
    return f"{file_path}:{start_line}-{end_line}"


def detail_href(tenant_id: str, pr_key: str) -> str:
    """Relative link to the detail page of `pr_key` (tenant is re-checked on arrival)."""
    return f"{DETAIL_URL_PATH}?{urlencode({'tenant': tenant_id, 'pr': pr_key})}"


def pr_reference(repository: str, pr_number: int) -> str:
    return f"{repository}#{pr_number}"


def headline_metrics(prs: pl.DataFrame) -> dict[str, int]:
    """PRs with open findings, open security findings and PRs shown, over listed PRs."""
    if prs.is_empty():
        return {"prs_at_risk": 0, "open_security_findings": 0, "prs_listed": 0}
    return {
        "prs_at_risk": int(prs.filter(pl.col("open_findings") > 0).height),
        "open_security_findings": int(prs["open_security_findings"].fill_null(0).sum()),
        "prs_listed": prs.height,
    }


def pr_table(prs: pl.DataFrame, tenant_id: str) -> pl.DataFrame:
    """The prioritised list as displayed: readable columns and a detail link per row."""
    return prs.select(
        pl.col("risk_rank").alias("Rank"),
        pl.col("title").alias("Title"),
        pl.col("pr_key")
        .map_elements(lambda key: detail_href(tenant_id, key), return_dtype=pl.String)
        .alias("Details"),
        pl.format("{}#{}", "repository", "pr_number").alias("PR"),
        pl.col("risk_score").round(2).alias("Risk score"),
        pl.col("max_open_severity").fill_null("—").alias("Top severity"),
        pl.col("open_findings").alias("Open"),
        pl.col("open_security_findings").alias("Security"),
        pl.col("state").alias("State"),
        pl.col("author").alias("Author"),
        pl.col("last_reviewed_at").alias("Last reviewed"),
        pl.col("url").alias("Link"),
    )


def split_findings(findings: pl.DataFrame) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(open, resolved) findings as row dicts, keeping the query's order."""
    rows = findings.to_dicts()
    return (
        [row for row in rows if row["status"] == "open"],
        [row for row in rows if row["status"] != "open"],
    )


_LANGUAGE_BY_SUFFIX = {
    "py": "python",
    "js": "javascript",
    "jsx": "javascript",
    "ts": "typescript",
    "tsx": "typescript",
    "go": "go",
    "java": "java",
    "kt": "kotlin",
    "rb": "ruby",
    "rs": "rust",
    "cs": "csharp",
    "php": "php",
    "sql": "sql",
    "sh": "bash",
    "yml": "yaml",
    "yaml": "yaml",
    "json": "json",
    "tf": "hcl",
    "md": "markdown",
    "html": "html",
}


def code_language(file_path: str | None) -> str | None:
    """Syntax-highlighting language for evidence from `file_path` (None = plain text)."""
    if not file_path or "." not in file_path:
        return None
    return _LANGUAGE_BY_SUFFIX.get(file_path.rsplit(".", 1)[1].lower())


def is_web_url(value: str | None) -> bool:
    """True for http(s) links only, so a crafted value never becomes a script link."""
    return bool(value) and value.lower().startswith(("https://", "http://"))


def finding_heading(finding: dict[str, Any]) -> str:
    """One escaped Markdown line: severity, category, rule and CWE of a finding."""
    parts = [
        severity_badge(finding["severity"]),
        category_label(finding["category"]),
        f"rule {escape_markdown(finding['rule_id'])}",
    ]
    if finding.get("cwe"):
        parts.append(escape_markdown(finding["cwe"]))
    if finding.get("confidence") is not None:
        parts.append(f"confidence {finding['confidence']:.0%}")
    return " · ".join(parts)


def daily_totals(daily: pl.DataFrame, by: str) -> pl.DataFrame:
    """New findings per (day, `by`) from the daily mart rows, oldest day first."""
    return (
        daily.group_by("day", by)
        .agg(pl.col("new_findings").sum(), pl.col("open_findings").sum())
        .sort("day", by)
    )
