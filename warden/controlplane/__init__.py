"""The control plane: tenants, users, integrations, repositories, inbox, cursors, audit."""

from warden.controlplane.engine import connect_control_plane
from warden.controlplane.store import ControlPlane

__all__ = ["ControlPlane", "connect_control_plane"]
