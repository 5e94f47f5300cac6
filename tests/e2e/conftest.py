"""Whole-flow fixtures: sandbox GitHub + world, webhook receiver, provisioned tenants, Dagster."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from ingestion.sandbox.server import SandboxGitHub
from ingestion.sandbox.world import World, build_world
from ingestion.webhooks.app import create_webhook_app
from ingestion.webhooks.server import ReceiverThread
from orchestration.demo.provision import env_names, provision_world
from orchestration.runtime import Runtime
from warden.settings import Settings

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
MEMBER = "analyst@acme.example"


@dataclass
class Platform:
    settings: Settings
    runtime: Runtime
    world: World
    sandbox: SandboxGitHub
    receiver_url: str
    instance: dg.DagsterInstance


@pytest.fixture
def platform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Platform]:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("WARDEN_DATA_DIR", str(data_dir))
    monkeypatch.setenv("WARDEN_DASHBOARD_USER", MEMBER)
    world = build_world(NOW, seed=1, prs_per_tenant=8)  # plants secrets in both tenants
    for tenant_id in world.tenants:
        for name in env_names(tenant_id):
            monkeypatch.delenv(name, raising=False)
    runtime = Runtime(Settings(data_dir=data_dir, _env_file=None))  # type: ignore[call-arg]
    with SandboxGitHub(world, as_of=world.start) as sandbox:
        provision_world(
            runtime.control_plane, world, sandbox, tmp_path / "sources", member_email=MEMBER
        )
        app = create_webhook_app(runtime.control_plane, runtime.settings)
        (tmp_path / "dagster").mkdir()
        with (
            ReceiverThread(app) as receiver,
            dg.instance_for_test(temp_dir=str(tmp_path / "dagster")) as instance,
        ):
            yield Platform(
                runtime.settings,
                runtime,
                world,
                sandbox,
                receiver.url + "/webhooks/{tenant}/github",
                instance,
            )
    for tenant_id in world.tenants:
        for name in env_names(tenant_id):
            os.environ.pop(name, None)
    runtime.control_plane.dispose()
