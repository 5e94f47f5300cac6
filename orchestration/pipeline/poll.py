"""Safety-net polling: PRs updated since the cursor (minus an overlap) become inbox deliveries.

Polled PRs go through the same inbox as webhooks, so a PR seen by both is reviewed once
(the review key is the same) and nothing here needs its own landing or review logic.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from ingestion.providers.base import Capability
from orchestration.pipeline.providers import tenant_providers
from warden.controlplane import ControlPlane
from warden.settings import Settings

log = logging.getLogger(__name__)
CURSOR_ENTITY = "pull_requests"


def poll_window_start(cursor: str | None, overlap: timedelta) -> datetime | None:
    """Where a poll starts: the cursor minus the overlap window (None: from the beginning)."""
    if not cursor:
        return None
    return datetime.fromisoformat(cursor) - overlap


def poll_tenant(control_plane: ControlPlane, settings: Settings, tenant_id: str) -> int:
    """Record poll deliveries for every enabled repository; returns how many were new."""
    overlap = timedelta(minutes=settings.poll_overlap_minutes)
    created = 0
    with tenant_providers(control_plane, settings, tenant_id) as providers:
        for repository in control_plane.list_repositories(tenant_id):
            provider = providers.by_integration_id(repository.integration_id)
            if not provider.supports(Capability.read_pull_requests):
                continue
            cursor = control_plane.get_cursor(
                tenant_id, repository.integration_id, repository.full_name, CURSOR_ENTITY
            )
            since = poll_window_start(cursor, overlap)
            fetched = provider.list_pull_requests(repository.full_name, updated_since=since)
            for item in fetched:
                pr = item.record
                delivery_id = f"poll:{pr.pr_key}@{pr.head_sha}:{pr.updated_at.isoformat()}"
                _, is_new = control_plane.inbox.record(
                    tenant_id=tenant_id,
                    integration_id=repository.integration_id,
                    provider=provider.name,
                    delivery_id=delivery_id[:100],
                    event="pull_request",
                    action="poll",
                    payload=json.dumps(item.raw).encode("utf-8"),
                )
                created += int(is_new)
            if fetched:
                newest = max(item.record.updated_at for item in fetched)
                control_plane.set_cursor(
                    tenant_id,
                    repository.integration_id,
                    repository.full_name,
                    CURSOR_ENTITY,
                    newest.isoformat(),
                )
    log.info("poll of %s recorded %s new deliveries", tenant_id, created)
    return created
