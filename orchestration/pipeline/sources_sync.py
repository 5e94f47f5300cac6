"""Tickets and documents: sync every tracker/docs integration of a tenant into landing."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from ingestion.providers.base import Capability
from orchestration.pipeline.providers import TenantProviders
from orchestration.pipeline.redaction import redact_raw, redact_record
from warden.controlplane import ControlPlane
from warden.landing import LandingWriter
from warden.quarantine import quarantine_payload
from warden.records import Document, Ticket, sha256_hex
from warden.tenancy import TenantScope

log = logging.getLogger(__name__)

_SOURCES = {
    "tickets": ("tracker", Capability.read_tickets, "list_tickets"),
    "documents": ("docs", Capability.read_documents, "list_documents"),
}


def content_batch_id(entity: str, integration_id: int, versions: list[str]) -> str:
    """Named after what it holds: the same versions re-synced overwrite the same file, and a
    later, smaller incremental batch can never replace an earlier one."""
    return f"{entity}-i{integration_id}-{sha256_hex(*sorted(versions))[:24]}"


def sync_sources(
    entity: str,
    control_plane: ControlPlane,
    scope: TenantScope,
    providers: TenantProviders,
    actor: str = "pipeline",
) -> int:
    """Land new or changed tickets/documents since each integration's cursor; returns count."""
    kind, capability, method = _SOURCES[entity]
    landed = 0
    for integration_id, provider in providers.of_kind(kind):
        if not provider.supports(capability):  # type: ignore[attr-defined]
            continue
        cursor = control_plane.get_cursor(scope.tenant_id, integration_id, "*", entity)
        since = datetime.fromisoformat(cursor) if cursor else None
        fetched = getattr(provider, method)(updated_since=since)
        for rejected in getattr(provider, "rejected", []):
            raw = json.dumps(rejected.raw, sort_keys=True) if rejected.raw is not None else ""
            _, created = quarantine_payload(scope, entity, rejected.source, rejected.reason, raw)
            if created:
                control_plane.record_audit(
                    scope.tenant_id,
                    actor,
                    f"{entity}.quarantined",
                    f"{entity}:{rejected.source}",
                    after={"reason": rejected.reason},
                )
        if fetched:
            writer = LandingWriter(scope, normaliser_version=f"{provider.name}-1")  # type: ignore[attr-defined]
            versions = [f"{_identity(f.record)}@{f.record.updated_at.isoformat()}" for f in fetched]
            writer.write(
                [redact_record(f.record) for f in fetched],
                [redact_raw(f.raw) for f in fetched],
                batch_id=content_batch_id(entity, integration_id, versions),
            )
            newest = max(f.record.updated_at for f in fetched)
            control_plane.set_cursor(
                scope.tenant_id, integration_id, "*", entity, newest.isoformat()
            )
            landed += len(fetched)
    log.info("landed %s %s for %s", landed, entity, scope.tenant_id)
    return landed


def _identity(record: Ticket | Document) -> str:
    return record.ticket_key if isinstance(record, Ticket) else record.doc_id
