"""Quarantine for source payloads that are not inbox deliveries (e.g. a malformed ticket file).

Each rejected payload is kept, with its reason, under the tenant's quarantine directory and
audited; fixing the source and re-syncing replays it. Inbox deliveries are quarantined in
the control plane instead (`Inbox.quarantine`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from warden.clock import utcnow
from warden.records import sha256_hex
from warden.tenancy import TenantScope


def quarantine_payload(
    scope: TenantScope, entity: str, source: str, reason: str, payload: str
) -> tuple[Path, bool]:
    """Keep a rejected payload with its reason; returns (path, newly quarantined).

    Idempotent per (entity, source, payload): the same bad payload is kept once."""
    directory = scope.quarantine_dir / entity
    directory.mkdir(parents=True, exist_ok=True)
    name = sha256_hex(entity, source, payload)[:24]
    target = directory / f"{name}.json"
    if target.exists():
        return target, False
    document = {
        "tenant_id": scope.tenant_id,
        "entity": entity,
        "source": source,
        "reason": reason,
        "payload": payload,
        "quarantined_at": utcnow().isoformat(),
    }
    temporary = target.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(document, indent=2), encoding="utf-8")
    os.replace(temporary, target)
    return target, True


def list_quarantined(scope: TenantScope) -> list[dict[str, str]]:
    if not scope.quarantine_dir.exists():
        return []
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(scope.quarantine_dir.glob("*/*.json"))
    ]
