"""PR detail: one PR's findings with their evidence, the verdicts on its tickets' acceptance
criteria, its comment and its review runs."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import data
from dashboard.page_context import current_view, require_snapshot, snapshot_caption
from dashboard.presentation import (
    code_language,
    escape_markdown,
    evidence_lines,
    finding_heading,
    is_web_url,
    location,
    pr_reference,
    split_findings,
    state_badge,
    verdict_badge,
)


def show_finding(finding: dict[str, Any]) -> None:
    with st.container(border=True):
        st.markdown(finding_heading(finding))
        where = location(finding["file_path"], finding["start_line"], finding["end_line"])
        st.markdown(f":material/description: `{where.replace('`', '')}`")
        st.markdown(escape_markdown(finding["message"]))
        if finding.get("evidence"):
            st.code(finding["evidence"], language=code_language(finding["file_path"]))
        if finding.get("evidence_source"):
            st.caption(f"Evidence source: {escape_markdown(finding['evidence_source'])}")
        if finding.get("suggested_fix"):
            st.markdown(f"**Suggested fix:** {escape_markdown(finding['suggested_fix'])}")
        if finding.get("suppressed"):
            st.caption("Suppressed: this finding is not reported on the PR.")


def show_verdicts(verdicts: list[dict[str, Any]]) -> None:
    """The latest review's verdict on each acceptance criterion; nothing if there are none."""
    if not verdicts:
        return
    st.subheader("Acceptance criteria", anchor=False)
    for verdict in verdicts:
        with st.container(border=True):
            ticket = escape_markdown(verdict["ticket_key"])
            criterion = escape_markdown(verdict["criterion"])
            st.markdown(f"{verdict_badge(verdict['verdict'])} · **{ticket}** · {criterion}")
            if verdict.get("reason"):
                st.markdown(escape_markdown(verdict["reason"]))
            evidence = evidence_lines(verdict.get("evidence"))
            if evidence:
                st.markdown("\n".join(f"- {escape_markdown(line)}" for line in evidence))
            if verdict.get("source") == "llm":
                st.caption("Judged by the LLM reviewer.")


def show_findings(findings: list[dict[str, Any]], empty: str) -> None:
    if not findings:
        st.caption(empty)
    for finding in findings:
        show_finding(finding)


view = current_view()
st.title("Pull request detail")
version = require_snapshot(view)
st.caption(snapshot_caption(view, version))

reviewed = data.prioritised_prs(view, version, data.PrListFilters())
labels = {
    row["pr_key"]: f"#{row['risk_rank']} · {pr_reference(row['repository'], row['pr_number'])}"
    f" · {row['title']}"
    for row in reviewed.iter_rows(named=True)
}
requested = st.query_params.get("pr")
if requested and requested not in labels:
    st.warning(
        "That pull request is not in this workspace's snapshot.", icon=":material/search_off:"
    )
chosen = st.selectbox(
    "Pull request",
    list(labels),
    index=list(labels).index(requested) if requested in labels else None,
    format_func=labels.__getitem__,
    placeholder="Choose a reviewed pull request",
    key="detail_pr",
)
if chosen is None:
    st.stop()
if chosen != requested:
    st.query_params["pr"] = chosen

pr = data.pr_header(view, version, chosen)
if pr is None:
    st.warning("That pull request is not in this workspace's snapshot.")
    st.stop()

st.header(escape_markdown(pr["title"]), anchor=False)
state = state_badge(pr["state"])
st.markdown(
    f"**{escape_markdown(pr_reference(pr['repository'], pr['pr_number']))}** · "
    f"by {escape_markdown(pr['author'])} · {state}"
    + (
        f" · {escape_markdown(pr['head_ref'])} → {escape_markdown(pr['base_ref'])}"
        if pr.get("head_ref") and pr.get("base_ref")
        else ""
    )
    + (
        f" · tickets {escape_markdown(pr['linked_ticket_keys'])}"
        if pr.get("linked_ticket_keys")
        else ""
    )
)
with st.container(horizontal=True, vertical_alignment="center"):
    if is_web_url(pr["url"]):
        st.link_button("Open pull request", pr["url"], icon=":material/open_in_new:")
    if is_web_url(pr["last_comment_url"]):
        st.link_button("Warden's comment", pr["last_comment_url"], icon=":material/comment:")
    else:
        st.caption("No review comment posted yet.")

rank, score, open_count, resolved_count = st.columns(4)
rank.metric("Risk rank", pr["risk_rank"], border=True)
score.metric("Risk score", f"{pr['risk_score']:.1f}", border=True)
open_count.metric("Open findings", pr["open_findings"], border=True)
resolved_count.metric("Resolved findings", pr["resolved_findings"], border=True)

show_verdicts(list(data.pr_criterion_verdicts(view, version, chosen).iter_rows(named=True)))

open_findings, resolved_findings = split_findings(data.pr_findings(view, version, chosen))
runs = data.pr_review_runs(view, version, chosen)
open_tab, resolved_tab, runs_tab = st.tabs(
    [
        f"Open findings ({len(open_findings)})",
        f"Resolved ({len(resolved_findings)})",
        f"Review runs ({runs.height})",
    ]
)
with open_tab:
    show_findings(open_findings, "No open findings: the latest review found nothing to report.")
with resolved_tab:
    show_findings(resolved_findings, "No resolved findings.")
with runs_tab:
    st.dataframe(
        runs,
        hide_index=True,
        width="stretch",
        column_config={
            "started_at": st.column_config.DatetimeColumn("Started", format="YYYY-MM-DD HH:mm"),
            "finished_at": st.column_config.DatetimeColumn("Finished", format="YYYY-MM-DD HH:mm"),
            "duration_ms": st.column_config.NumberColumn("Duration (ms)"),
        },
    )
