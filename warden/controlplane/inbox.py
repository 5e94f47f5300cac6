"""The webhook inbox: deliveries stored once, processed by runs, quarantined with a reason."""

from __future__ import annotations

import hashlib
from datetime import datetime

import sqlalchemy as sa

from warden.clock import utcnow
from warden.controlplane.audit import append_audit, as_utc
from warden.controlplane.rows import DeliveryRow
from warden.controlplane.schema import webhook_deliveries
from warden.errors import NotFoundError
from warden.records import AuditEvent

PENDING = "pending"
PROCESSED = "processed"
QUARANTINED = "quarantined"


def _row(mapping: sa.RowMapping) -> DeliveryRow:
    data = dict(mapping)
    data["received_at"] = as_utc(data["received_at"])
    data.pop("processed_at", None)
    return DeliveryRow(**data)


class Inbox:
    """Inbox operations over the control-plane engine."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def record(
        self,
        *,
        tenant_id: str,
        integration_id: int,
        provider: str,
        delivery_id: str,
        event: str,
        action: str | None,
        payload: bytes,
        received_at: datetime | None = None,
    ) -> tuple[int, bool]:
        """Store a delivery once. Returns (seq, created); a repeated delivery id is a no-op."""
        values = {
            "tenant_id": tenant_id,
            "integration_id": integration_id,
            "provider": provider,
            "delivery_id": delivery_id,
            "event": event,
            "action": action,
            "received_at": received_at or utcnow(),
            "payload_sha256": hashlib.sha256(payload).hexdigest(),
            "payload": payload.decode("utf-8"),
            "status": PENDING,
            "attempts": 0,
        }
        key = sa.and_(
            webhook_deliveries.c.tenant_id == tenant_id,
            webhook_deliveries.c.integration_id == integration_id,
            webhook_deliveries.c.delivery_id == delivery_id,
        )
        with self._engine.begin() as conn:
            existing = conn.execute(sa.select(webhook_deliveries.c.seq).where(key)).scalar()
            if existing is not None:
                return int(existing), False
            try:
                with conn.begin_nested():
                    result = conn.execute(webhook_deliveries.insert().values(**values))
            except sa.exc.IntegrityError:
                # a concurrent receiver stored the same delivery first
                seq = conn.execute(sa.select(webhook_deliveries.c.seq).where(key)).scalar_one()
                return int(seq), False
            return int(result.inserted_primary_key[0]), True

    def pending_by_tenant(self) -> dict[str, int]:
        """{tenant_id: highest pending seq} for every tenant with pending deliveries."""
        query = (
            sa.select(webhook_deliveries.c.tenant_id, sa.func.max(webhook_deliveries.c.seq))
            .where(webhook_deliveries.c.status == PENDING)
            .group_by(webhook_deliveries.c.tenant_id)
        )
        with self._engine.connect() as conn:
            return {tenant: int(seq) for tenant, seq in conn.execute(query)}

    def pending(self, tenant_id: str, up_to_seq: int | None = None) -> list[DeliveryRow]:
        query = sa.select(webhook_deliveries).where(
            webhook_deliveries.c.tenant_id == tenant_id,
            webhook_deliveries.c.status == PENDING,
        )
        if up_to_seq is not None:
            query = query.where(webhook_deliveries.c.seq <= up_to_seq)
        with self._engine.connect() as conn:
            return [
                _row(m) for m in conn.execute(query.order_by(webhook_deliveries.c.seq)).mappings()
            ]

    def list(
        self, tenant_id: str, status: str | None = None, limit: int = 200
    ) -> list[DeliveryRow]:
        query = sa.select(webhook_deliveries).where(webhook_deliveries.c.tenant_id == tenant_id)
        if status:
            query = query.where(webhook_deliveries.c.status == status)
        query = query.order_by(webhook_deliveries.c.seq.desc()).limit(limit)
        with self._engine.connect() as conn:
            return [_row(m) for m in conn.execute(query).mappings()]

    def get(self, tenant_id: str, seq: int) -> DeliveryRow:
        query = sa.select(webhook_deliveries).where(
            webhook_deliveries.c.tenant_id == tenant_id, webhook_deliveries.c.seq == seq
        )
        with self._engine.connect() as conn:
            mapping = conn.execute(query).mappings().first()
        if mapping is None:
            raise NotFoundError(f"no delivery {seq} for tenant {tenant_id!r}")
        return _row(mapping)

    def mark_processed(self, tenant_id: str, seqs: list[int]) -> int:
        """Mark pending deliveries processed (only the caller's tenant's); returns rows changed."""
        if not seqs:
            return 0
        with self._engine.begin() as conn:
            result = conn.execute(
                webhook_deliveries.update()
                .where(
                    webhook_deliveries.c.tenant_id == tenant_id,
                    webhook_deliveries.c.seq.in_(seqs),
                    webhook_deliveries.c.status == PENDING,
                )
                .values(status=PROCESSED, processed_at=utcnow())
            )
            return result.rowcount

    def record_attempt(self, tenant_id: str, seqs: list[int]) -> None:
        if not seqs:
            return
        with self._engine.begin() as conn:
            conn.execute(
                webhook_deliveries.update()
                .where(
                    webhook_deliveries.c.tenant_id == tenant_id,
                    webhook_deliveries.c.seq.in_(seqs),
                )
                .values(attempts=webhook_deliveries.c.attempts + 1)
            )

    def quarantine(self, tenant_id: str, seq: int, reason: str, actor: str) -> None:
        """Set a delivery aside with its reason; it stays replayable."""
        with self._engine.begin() as conn:
            changed = conn.execute(
                webhook_deliveries.update()
                .where(webhook_deliveries.c.tenant_id == tenant_id, webhook_deliveries.c.seq == seq)
                .values(status=QUARANTINED, last_error=reason[:2000])
            ).rowcount
            if not changed:
                raise NotFoundError(f"no delivery {seq} for tenant {tenant_id!r}")
            append_audit(
                conn,
                AuditEvent(
                    tenant_id=tenant_id,
                    actor=actor,
                    action="delivery.quarantined",
                    target=f"webhook_delivery:{seq}",
                    after={"reason": reason[:500]},
                    at=utcnow(),
                ),
            )

    def replay(self, tenant_id: str, seq: int, actor: str) -> DeliveryRow:
        """Put a quarantined (or processed) delivery back to pending."""
        with self._engine.begin() as conn:
            before = conn.execute(
                sa.select(webhook_deliveries.c.status).where(
                    webhook_deliveries.c.tenant_id == tenant_id, webhook_deliveries.c.seq == seq
                )
            ).scalar()
            if before is None:
                raise NotFoundError(f"no delivery {seq} for tenant {tenant_id!r}")
            conn.execute(
                webhook_deliveries.update()
                .where(webhook_deliveries.c.tenant_id == tenant_id, webhook_deliveries.c.seq == seq)
                .values(status=PENDING)
            )
            append_audit(
                conn,
                AuditEvent(
                    tenant_id=tenant_id,
                    actor=actor,
                    action="delivery.replayed",
                    target=f"webhook_delivery:{seq}",
                    before={"status": before},
                    after={"status": PENDING},
                    at=utcnow(),
                ),
            )
        return self.get(tenant_id, seq)
