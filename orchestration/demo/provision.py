"""Provision the demo tenants against the sandbox world: the same CLI-level calls a customer makes.

Credentials go in as references (`env:...`); the values live only in this process's
environment (and its children's), exactly like a deployment's secret store.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ingestion.sandbox.server import SandboxGitHub
from ingestion.sandbox.world import World
from warden.controlplane import ControlPlane


@dataclass(frozen=True)
class ProvisionedTenant:
    tenant_id: str
    token_env: str
    secret_env: str
    repositories: tuple[str, ...]


def env_names(tenant_id: str) -> tuple[str, str]:
    stem = tenant_id.upper().replace("-", "_")
    return f"WARDEN_DEMO_{stem}_GITHUB_TOKEN", f"WARDEN_DEMO_{stem}_WEBHOOK_SECRET"


def provision_world(
    control_plane: ControlPlane,
    world: World,
    sandbox: SandboxGitHub,
    sources_root: Path,
    *,
    member_email: str,
    actor: str = "demo",
) -> dict[str, ProvisionedTenant]:
    """Create every world tenant with GitHub, tickets and docs integrations, repos enabled."""
    folders = world.write_folders(sources_root)
    provisioned: dict[str, ProvisionedTenant] = {}
    for tenant_id, tenant in world.tenants.items():
        token_env, secret_env = env_names(tenant_id)
        os.environ[token_env] = tenant.api_token
        os.environ[secret_env] = tenant.webhook_secret
        tickets_dir, docs_dir = folders[tenant_id]
        control_plane.create_tenant(tenant_id, tenant_id.title(), actor)
        control_plane.add_member(tenant_id, member_email, "analyst", actor)
        control_plane.add_integration(
            tenant_id,
            name="github",
            kind="scm",
            provider="github",
            config={"base_url": sandbox.instance_url(tenant_id)},
            credential_ref=f"env:{token_env}",
            webhook_secret_ref=f"env:{secret_env}",
            actor=actor,
        )
        control_plane.add_integration(
            tenant_id,
            name="tickets",
            kind="tracker",
            provider="folder",
            config={"path": str(tickets_dir)},
            credential_ref=None,
            webhook_secret_ref=None,
            actor=actor,
        )
        control_plane.add_integration(
            tenant_id,
            name="docs",
            kind="docs",
            provider="folder",
            config={"path": str(docs_dir)},
            credential_ref=None,
            webhook_secret_ref=None,
            actor=actor,
        )
        for repository in tenant.repositories:
            control_plane.enable_repository(
                tenant_id,
                "github",
                repository,
                {"severity_threshold": "medium", "max_comments": 10},
                actor,
            )
        provisioned[tenant_id] = ProvisionedTenant(
            tenant_id, token_env, secret_env, tuple(tenant.repositories)
        )
    return provisioned
