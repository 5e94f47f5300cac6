"""Step 1 of the review path: a tenant's pending inbox deliveries -> PR events to review."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ingestion.events import normalize_delivery
from warden.controlplane import ControlPlane
from warden.errors import NormalisationError
from warden.records import PullRequest

log = logging.getLogger(__name__)


class PrEvent(BaseModel):
    """A pull request to (re)review, with where it came from."""

    model_config = ConfigDict(frozen=True)

    pull_request: PullRequest
    integration_id: int
    trigger: Literal["webhook", "poll", "manual"]
    delivery_seq: int
    raw_payload: str
    normaliser_version: str


@dataclass
class InboxBatch:
    events: list[PrEvent] = field(default_factory=list)  # newest revision per PR: reviewed
    all_events: list[PrEvent] = field(default_factory=list)  # every revision seen: landed
    quarantined: dict[int, str] = field(default_factory=dict)
    ignored: list[int] = field(default_factory=list)


def collect_pr_events(
    control_plane: ControlPlane, tenant_id: str, seqs: list[int], actor: str = "pipeline"
) -> InboxBatch:
    """Normalise the given pending deliveries of one tenant.

    Malformed deliveries are quarantined with their reason (and stay replayable); events
    Warden does not act on, or for repositories not enabled, are ignored. When a PR appears
    several times, the newest revision wins.
    """
    batch = InboxBatch()
    wanted = set(seqs)
    deliveries = [d for d in control_plane.inbox.pending(tenant_id) if d.seq in wanted]
    control_plane.inbox.record_attempt(tenant_id, [d.seq for d in deliveries])
    enabled = {(r.integration_id, r.full_name) for r in control_plane.list_repositories(tenant_id)}
    latest: dict[str, PrEvent] = {}
    for delivery in deliveries:
        try:
            normalised = normalize_delivery(
                tenant_id, delivery.provider, delivery.event, delivery.action, delivery.payload
            )
        except NormalisationError as exc:
            control_plane.inbox.quarantine(tenant_id, delivery.seq, str(exc), actor)
            batch.quarantined[delivery.seq] = str(exc)
            log.warning("quarantined delivery %s of %s: %s", delivery.seq, tenant_id, exc)
            continue
        if normalised is None:
            batch.ignored.append(delivery.seq)
            continue
        pull_request = normalised.pull_request
        if (delivery.integration_id, pull_request.repository) not in enabled:
            batch.ignored.append(delivery.seq)
            continue
        event = PrEvent(
            pull_request=pull_request,
            integration_id=delivery.integration_id,
            trigger="poll" if delivery.action == "poll" else "webhook",
            delivery_seq=delivery.seq,
            raw_payload=delivery.payload,
            normaliser_version=normalised.normaliser_version,
        )
        batch.all_events.append(event)
        current = latest.get(pull_request.pr_key)
        if current is None or (pull_request.updated_at, delivery.seq) >= (
            current.pull_request.updated_at,
            current.delivery_seq,
        ):
            latest[pull_request.pr_key] = event
    batch.events = sorted(latest.values(), key=lambda e: e.delivery_seq)
    return batch
