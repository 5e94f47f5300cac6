"""Prioritised PRs: every reviewed PR of the workspace, riskiest first."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.page_context import current_view, require_snapshot, snapshot_caption
from dashboard.presentation import (
    DETAIL_PAGE_SCRIPT,
    SEVERITY_ORDER,
    category_label,
    headline_metrics,
    minimum_severity_label,
    pr_table,
    severity_cell_style,
    severity_rank,
)

view = current_view()
st.title("Prioritised pull requests")
version = require_snapshot(view)
st.caption(snapshot_caption(view, version))

repo_col, category_col, severity_col, state_col = st.columns(4)
repositories = repo_col.multiselect(
    "Repository",
    data.pr_repositories(view, version),
    placeholder="All repositories",
    key="filter_repositories",
)
categories = category_col.multiselect(
    "Finding category",
    data.finding_categories(view, version),
    format_func=category_label,
    placeholder="Any category",
    key="filter_categories",
)
min_severity = severity_col.selectbox(
    "Minimum severity",
    SEVERITY_ORDER,
    index=None,
    format_func=minimum_severity_label,
    placeholder="Any severity",
    key="filter_min_severity",
)
states = state_col.multiselect(
    "State", data.PR_STATES, placeholder="Any state", key="filter_states"
)

filters = data.PrListFilters(
    repositories=tuple(repositories),
    categories=tuple(categories),
    min_severity_rank=severity_rank(min_severity) if min_severity else None,
    states=tuple(states),
)
prs = data.prioritised_prs(view, version, filters)
metrics = headline_metrics(prs)

at_risk, security, listed = st.columns(3)
at_risk.metric(
    "PRs at risk",
    metrics["prs_at_risk"],
    border=True,
    help="Listed PRs with at least one open finding.",
)
security.metric("Open security findings", metrics["open_security_findings"], border=True)
listed.metric("PRs listed", metrics["prs_listed"], border=True)

if prs.is_empty():
    st.info("No pull requests match these filters.", icon=":material/filter_alt_off:")
    st.stop()

table = pr_table(prs, view.tenant_id).to_pandas()
event = st.dataframe(
    table.style.map(severity_cell_style, subset=["Top severity"]),
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="prioritised_prs_table",
    column_config={
        "Rank": st.column_config.NumberColumn(width="small", pinned=True),
        "Title": st.column_config.TextColumn(pinned=True),
        "Risk score": st.column_config.ProgressColumn(
            format="%.1f",
            min_value=0.0,
            max_value=max(float(prs["risk_score"].max()), 1.0),
            help="Severity weight x confidence over open findings (see the mart docs).",
        ),
        "Last reviewed": st.column_config.DatetimeColumn(format="YYYY-MM-DD"),
        "Details": st.column_config.LinkColumn(display_text="Findings", width=80),
        "Link": st.column_config.LinkColumn(
            display_text=":material/open_in_new:", help="Open on the code host"
        ),
    },
)
st.caption("Select a row (or use *Findings*) to see the PR's findings and evidence.")

selected_rows = event.selection.rows if event else []
if selected_rows:
    st.switch_page(DETAIL_PAGE_SCRIPT, query_params={"pr": prs["pr_key"][selected_rows[0]]})
