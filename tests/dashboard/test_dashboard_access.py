"""Membership decides which tenants the dashboard user may see."""

from __future__ import annotations

import pytest

from dashboard.access import Viewer, choose_tenant, load_viewer, open_control_plane, tenant_view


def test_choose_tenant_accepts_only_allowed_ids() -> None:
    allowed = ("acme", "initech")
    assert choose_tenant("initech", allowed) == "initech"
    assert choose_tenant("globex", allowed) == "acme"
    assert choose_tenant(None, allowed) == "acme"
    assert choose_tenant("acme", ()) is None


def test_tenant_view_refuses_a_tenant_outside_membership(serving_world) -> None:
    viewer = Viewer(email=serving_world.analyst, tenant_ids=(serving_world.member_tenant,))
    with pytest.raises(PermissionError):
        tenant_view(serving_world.settings, viewer, serving_world.other_tenant)
    view = tenant_view(serving_world.settings, viewer, serving_world.member_tenant)
    assert view.scope.serving_path.is_file()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("analyst", ("acme",)), ("newcomer", ("initech",)), ("outsider", ())],
)
def test_load_viewer_reads_memberships_from_the_control_plane(serving_world, who, expected):
    email = getattr(serving_world, who)
    settings = serving_world.settings.model_copy(update={"dashboard_user": email.upper()})
    control_plane = open_control_plane(settings.resolved_control_plane_url)
    try:
        viewer = load_viewer(settings, control_plane)
    finally:
        control_plane.dispose()
    assert viewer == Viewer(email=email, tenant_ids=expected)
    assert viewer.has_access is bool(expected)
