"""Hand-off between the router and the pages: the tenant being viewed and its snapshot.

The router decides (from memberships) which tenant is shown and stores a `TenantView`
for this run; pages read it here and never look at query parameters for the tenant.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from dashboard.access import TenantView
from dashboard.data import snapshot_version

_VIEW_KEY = "_warden_tenant_view"


def set_current_view(view: TenantView) -> None:
    st.session_state[_VIEW_KEY] = view


def current_view() -> TenantView:
    """The tenant view the router chose for this run; stops the page if there is none."""
    view = st.session_state.get(_VIEW_KEY)
    if not isinstance(view, TenantView):
        st.info("Choose a workspace in the sidebar to see its data.")
        st.stop()
    return view


def require_snapshot(view: TenantView) -> int:
    """The serving snapshot version; shows a friendly "no data yet" state when absent."""
    version = snapshot_version(view)
    if version is None:
        st.info(
            f"No data yet for **{view.tenant_id}**. The dashboard shows the published "
            "analytics snapshot; it appears here after the first analytics run completes.",
            icon=":material/hourglass_empty:",
        )
        st.stop()
    return version


def snapshot_caption(view: TenantView, version: int) -> str:
    published = datetime.fromtimestamp(version / 1e9, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"Workspace **{view.tenant_id}** · snapshot published {published}"
