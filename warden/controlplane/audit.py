"""Append-only audit log with a hash chain: each event's hash covers the previous one."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa

from warden.controlplane.rows import AuditRow
from warden.controlplane.schema import audit_events
from warden.records import AuditEvent, sha256_hex

GENESIS_HASH = "0" * 64


def _canonical(event: AuditEvent) -> str:
    return json.dumps(event.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything Warden stores is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def append_audit(conn: sa.Connection, event: AuditEvent) -> str:
    """Append `event` inside the caller's transaction and return its hash."""
    last = conn.execute(
        sa.select(audit_events.c.hash)
        .order_by(audit_events.c.seq.desc())
        .limit(1)
        .with_for_update()
    ).scalar_one_or_none()
    prev_hash = last or GENESIS_HASH
    digest = sha256_hex(prev_hash, _canonical(event))
    conn.execute(
        audit_events.insert().values(
            tenant_id=event.tenant_id,
            actor=event.actor,
            action=event.action,
            target=event.target,
            before=event.before,
            after=event.after,
            at=event.at,
            prev_hash=prev_hash,
            hash=digest,
        )
    )
    return digest


def _row(mapping: sa.RowMapping) -> AuditRow:
    data = dict(mapping)
    data["at"] = as_utc(data["at"])
    return AuditRow(**data)


def list_audit(
    conn: sa.Connection, tenant_id: str | None = None, limit: int = 1000
) -> list[AuditRow]:
    query = sa.select(audit_events).order_by(audit_events.c.seq)
    if tenant_id is not None:
        query = query.where(audit_events.c.tenant_id == tenant_id)
    return [_row(m) for m in conn.execute(query.limit(limit)).mappings()]


def verify_chain(conn: sa.Connection) -> int:
    """Recompute the whole chain; return the number of events, raise on the first break."""
    prev_hash = GENESIS_HASH
    count = 0
    for mapping in conn.execute(sa.select(audit_events).order_by(audit_events.c.seq)).mappings():
        row = _row(mapping)
        event = AuditEvent(
            tenant_id=row.tenant_id,
            actor=row.actor,
            action=row.action,
            target=row.target,
            before=row.before,
            after=row.after,
            at=row.at,
        )
        expected = sha256_hex(prev_hash, _canonical(event))
        if row.prev_hash != prev_hash or row.hash != expected:
            raise ValueError(f"audit chain broken at seq {row.seq}")
        prev_hash = row.hash
        count += 1
    return count
