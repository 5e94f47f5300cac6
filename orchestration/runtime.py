"""WardenRuntime: settings, control plane and tenant scopes for one process."""

from __future__ import annotations

from functools import cached_property

from warden.controlplane import ControlPlane, connect_control_plane
from warden.settings import Settings, load_settings
from warden.tenancy import TenantScope


class Runtime:
    """Holds what every step needs; built once per process from Settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @classmethod
    def from_env(cls, data_dir: str | None = None) -> Runtime:
        return cls(load_settings(**({"data_dir": data_dir} if data_dir else {})))

    @cached_property
    def control_plane(self) -> ControlPlane:
        return connect_control_plane(self.settings.resolved_control_plane_url)

    def scope(self, tenant_id: str) -> TenantScope:
        """The tenant's scope; refuses tenants the control plane does not know."""
        self.control_plane.get_tenant(tenant_id)
        scope = TenantScope.for_tenant(self.settings.tenants_dir, tenant_id)
        scope.ensure_dirs()
        return scope
