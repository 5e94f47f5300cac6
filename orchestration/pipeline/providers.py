"""Provider instances for one tenant, built once per step and closed after it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ingestion.providers.registry import build_provider
from warden.controlplane import ControlPlane
from warden.settings import Settings


class TenantProviders:
    """Lazily builds and caches a tenant's providers by integration id."""

    def __init__(self, control_plane: ControlPlane, settings: Settings, tenant_id: str) -> None:
        self._control_plane = control_plane
        self._settings = settings
        self._tenant_id = tenant_id
        self._cache: dict[int, object] = {}

    def by_integration_id(self, integration_id: int):  # type: ignore[no-untyped-def]
        if integration_id not in self._cache:
            row = self._control_plane.get_integration_by_id(self._tenant_id, integration_id)
            self._cache[integration_id] = build_provider(self._tenant_id, row, self._settings)
        return self._cache[integration_id]

    def of_kind(self, kind: str) -> list[tuple[int, object]]:
        rows = self._control_plane.list_integrations(self._tenant_id, kind=kind)
        return [
            (row.integration_id, self.by_integration_id(row.integration_id))
            for row in rows
            if row.status == "active"
        ]

    def close(self) -> None:
        for provider in self._cache.values():
            provider.close()  # type: ignore[attr-defined]
        self._cache.clear()


@contextmanager
def tenant_providers(
    control_plane: ControlPlane, settings: Settings, tenant_id: str
) -> Iterator[TenantProviders]:
    providers = TenantProviders(control_plane, settings, tenant_id)
    try:
        yield providers
    finally:
        providers.close()
