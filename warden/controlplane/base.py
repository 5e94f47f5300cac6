"""Shared plumbing of the control-plane stores: the engine and in-transaction auditing."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from warden.clock import utcnow
from warden.controlplane.audit import append_audit
from warden.records import AuditEvent


class StoreBase:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def _audit(
        self,
        conn: sa.Connection,
        tenant_id: str | None,
        actor: str,
        action: str,
        target: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        append_audit(
            conn,
            AuditEvent(
                tenant_id=tenant_id,
                actor=actor,
                action=action,
                target=target,
                before=before,
                after=after,
                at=utcnow(),
            ),
        )
