"""Who is looking, and which tenant they may see.

The dashboard acts as `settings.dashboard_user`; the control plane's memberships decide
which tenants that user may open. A tenant id that is not in that list is never used,
whatever the URL or the session says.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from warden.controlplane import ControlPlane, connect_control_plane
from warden.settings import Settings
from warden.tenancy import TenantScope


@dataclass(frozen=True)
class Viewer:
    """The signed-in user and the tenants they are a member of (sorted, validated slugs)."""

    email: str
    tenant_ids: tuple[str, ...]

    @property
    def has_access(self) -> bool:
        return bool(self.tenant_ids)


@dataclass(frozen=True)
class TenantView:
    """What a page needs to read one tenant's data: the scope and who is looking."""

    viewer_email: str
    scope: TenantScope

    @property
    def tenant_id(self) -> str:
        return self.scope.tenant_id

    @property
    def tenants_root(self) -> Path:
        return self.scope.tenants_root


def open_control_plane(url: str) -> ControlPlane:
    """The control plane at `url` (migrated, so a fresh install works)."""
    return connect_control_plane(url)


def load_viewer(settings: Settings, control_plane: ControlPlane) -> Viewer:
    """The configured dashboard user and the tenants their memberships allow."""
    email = settings.dashboard_user.strip().lower()
    tenant_ids = tuple(sorted(set(control_plane.tenants_for_user(email))))
    return Viewer(email=email, tenant_ids=tenant_ids)


def choose_tenant(requested: str | None, allowed: tuple[str, ...]) -> str | None:
    """The tenant to show: `requested` only if it is allowed, else the first allowed one."""
    if requested in allowed:
        return requested
    return allowed[0] if allowed else None


def tenant_view(settings: Settings, viewer: Viewer, tenant_id: str) -> TenantView:
    """A view of `tenant_id` for `viewer`; refuses any tenant the viewer is not a member of."""
    if tenant_id not in viewer.tenant_ids:
        raise PermissionError(f"{viewer.email} is not a member of tenant {tenant_id!r}")
    scope = TenantScope.for_tenant(settings.tenants_dir, tenant_id)
    return TenantView(viewer_email=viewer.email, scope=scope)
