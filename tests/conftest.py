"""Shared fixtures: a data directory with a migrated control plane, and tenant scopes."""

from __future__ import annotations

from pathlib import Path

import pytest

from warden.controlplane import ControlPlane, connect_control_plane
from warden.settings import Settings
from warden.tenancy import TenantScope

REPO_ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = REPO_ROOT.parent / "shared" / "contracts"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def control_plane(settings: Settings) -> ControlPlane:
    cp = connect_control_plane(settings.resolved_control_plane_url)
    yield cp
    cp.dispose()


@pytest.fixture
def scope_factory(settings: Settings):
    def make(tenant_id: str) -> TenantScope:
        scope = TenantScope.for_tenant(settings.tenants_dir, tenant_id)
        scope.ensure_dirs()
        return scope

    return make
