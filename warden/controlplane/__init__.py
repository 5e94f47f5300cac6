"""The control plane: tenants, users, integrations, repositories, inbox, cursors, audit.

Attributes are resolved lazily so that importing a row type (e.g. `rows.IntegrationRow`)
does not pull SQLAlchemy and Alembic into processes that never open the control plane.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warden.controlplane.engine import connect_control_plane
    from warden.controlplane.store import ControlPlane

__all__ = ["ControlPlane", "connect_control_plane"]


def __getattr__(name: str) -> Any:
    if name == "ControlPlane":
        from warden.controlplane.store import ControlPlane

        return ControlPlane
    if name == "connect_control_plane":
        from warden.controlplane.engine import connect_control_plane

        return connect_control_plane
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
