"""Warden dashboard router: who is looking, which tenant, which page.

Launch from the repo root:
    WARDEN_DATA_DIR=.warden WARDEN_DASHBOARD_USER=you@example.com \\
        uv run streamlit run dashboard/streamlit_app.py --client.toolbarMode minimal
"""

from __future__ import annotations

import streamlit as st

from dashboard.access import choose_tenant, load_viewer, open_control_plane, tenant_view
from dashboard.page_context import set_current_view
from dashboard.presentation import DETAIL_URL_PATH, PRIORITISED_URL_PATH, TRENDS_URL_PATH
from warden.controlplane import ControlPlane
from warden.settings import Settings, load_settings

_SETTINGS_KEY = "_warden_settings"


def session_settings() -> Settings:
    """Settings built once per browser session from the environment."""
    if _SETTINGS_KEY not in st.session_state:
        st.session_state[_SETTINGS_KEY] = load_settings()
    return st.session_state[_SETTINGS_KEY]


@st.cache_resource(show_spinner=False)
def shared_control_plane(url: str) -> ControlPlane:
    """One control-plane engine per URL for the whole server process."""
    return open_control_plane(url)


st.set_page_config(page_title="Warden", page_icon=":material/shield:", layout="wide")

settings = session_settings()
viewer = load_viewer(settings, shared_control_plane(settings.resolved_control_plane_url))

navigation = st.navigation(
    [
        st.Page(
            "app_pages/prioritised_prs.py",
            title="Prioritised PRs",
            icon=":material/priority_high:",
            url_path=PRIORITISED_URL_PATH,
            default=True,
        ),
        st.Page(
            "app_pages/pr_detail.py",
            title="PR detail",
            icon=":material/fact_check:",
            url_path=DETAIL_URL_PATH,
        ),
        st.Page(
            "app_pages/trends.py",
            title="Trends",
            icon=":material/trending_up:",
            url_path=TRENDS_URL_PATH,
        ),
    ]
)

with st.sidebar:
    st.markdown("### :material/shield: Warden")
    st.caption(f"Signed in as {viewer.email}")
    selected = None
    if viewer.has_access:
        selected = st.selectbox(
            "Workspace",
            options=viewer.tenant_ids,
            key="tenant",
            bind="query-params",
            help="Only the workspaces you are a member of are listed.",
        )

tenant_id = choose_tenant(selected, viewer.tenant_ids)
if tenant_id is None:
    st.title("Warden")
    st.warning(
        f"**{viewer.email}** is not a member of any workspace yet, so there is no data to "
        "show. Ask a workspace owner to add you.",
        icon=":material/lock:",
    )
    st.stop()

set_current_view(tenant_view(settings, viewer, tenant_id))
navigation.run()
