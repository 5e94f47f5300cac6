"""Trends: new findings per day, by category and by severity."""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from dashboard import data
from dashboard.page_context import current_view, require_snapshot, snapshot_caption
from dashboard.presentation import (
    CATEGORY_LABEL,
    SEVERITY_COLOUR,
    SEVERITY_ORDER,
    category_colour,
    daily_totals,
)


def stacked_bars(totals: pl.DataFrame, by: str, title: str, colour: alt.Color) -> alt.Chart:
    return (
        alt.Chart(totals.to_pandas(), title=title)
        .mark_bar()
        .encode(
            x=alt.X("day:T", title="Day first seen", timeUnit="yearmonthdate"),
            y=alt.Y(
                "new_findings:Q",
                title="New findings",
                stack="zero",
                axis=alt.Axis(format="d", tickMinStep=1),
            ),
            color=colour,
            tooltip=[alt.Tooltip("day:T", format="%Y-%m-%d"), by, "new_findings", "open_findings"],
        )
    )


view = current_view()
st.title("Trends")
version = require_snapshot(view)
st.caption(snapshot_caption(view, version))

repositories = st.multiselect(
    "Repository",
    data.trend_repositories(view, version),
    placeholder="All repositories",
    key="trend_repositories",
)
daily = data.findings_daily(view, version, tuple(repositories))
if daily.is_empty():
    st.info("No findings recorded yet for this selection.", icon=":material/insights:")
    st.stop()

new_total, still_open, days = st.columns(3)
new_total.metric("New findings", int(daily["new_findings"].sum()), border=True)
still_open.metric("Still open", int(daily["open_findings"].sum()), border=True)
days.metric("Days with findings", daily["day"].n_unique(), border=True)

by_category = daily_totals(daily, "category").with_columns(
    pl.col("category").replace(CATEGORY_LABEL)
)
categories = sorted(set(by_category["category"].to_list()))
st.altair_chart(
    stacked_bars(
        by_category,
        "category",
        "New findings per day by category",
        alt.Color(
            "category:N",
            title="Category",
            scale=alt.Scale(domain=categories, range=[category_colour(c) for c in categories]),
        ),
    ),
    width="stretch",
)

present = [s for s in SEVERITY_ORDER if s in set(daily["severity"].to_list())]
st.altair_chart(
    stacked_bars(
        daily_totals(daily, "severity"),
        "severity",
        "New findings per day by severity",
        alt.Color(
            "severity:N",
            title="Severity",
            sort=list(SEVERITY_ORDER),
            scale=alt.Scale(domain=present, range=[SEVERITY_COLOUR[s] for s in present]),
        ),
    ),
    width="stretch",
)

with st.expander("Daily numbers"):
    st.dataframe(daily, hide_index=True, width="stretch")
