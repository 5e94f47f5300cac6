"""Shared fixtures: the fixture world and a running sandbox GitHub (real HTTP, 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from ingestion.sandbox.server import SandboxGitHub
from ingestion.sandbox.world import World, build_world

WORLD_NOW = datetime(2026, 9, 30, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def world() -> World:
    return build_world(WORLD_NOW, seed=7)


@pytest.fixture
def sandbox(world: World) -> Iterator[SandboxGitHub]:
    with SandboxGitHub(world) as running:
        yield running
