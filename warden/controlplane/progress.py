"""Progress state: sync cursors, the review ledger (idempotent reviews) and finding triage."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from warden.clock import utcnow
from warden.controlplane import schema as t
from warden.controlplane.base import StoreBase
from warden.controlplane.rows import ReviewLedgerRow


class ProgressStore(StoreBase):
    """Where each tenant's pipeline is: cursors, reviews published, findings dismissed."""

    # --- sync cursors ----------------------------------------------------------------
    def get_cursor(
        self, tenant_id: str, integration_id: int, scope: str, entity: str
    ) -> str | None:
        query = sa.select(t.sync_cursors.c.cursor_value).where(
            t.sync_cursors.c.tenant_id == tenant_id,
            t.sync_cursors.c.integration_id == integration_id,
            t.sync_cursors.c.scope == scope,
            t.sync_cursors.c.entity == entity,
        )
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()

    def set_cursor(
        self, tenant_id: str, integration_id: int, scope: str, entity: str, value: str
    ) -> None:
        key = sa.and_(
            t.sync_cursors.c.tenant_id == tenant_id,
            t.sync_cursors.c.integration_id == integration_id,
            t.sync_cursors.c.scope == scope,
            t.sync_cursors.c.entity == entity,
        )
        with self.engine.begin() as conn:
            changed = conn.execute(
                t.sync_cursors.update().where(key).values(cursor_value=value, updated_at=utcnow())
            ).rowcount
            if not changed:
                conn.execute(
                    t.sync_cursors.insert().values(
                        tenant_id=tenant_id,
                        integration_id=integration_id,
                        scope=scope,
                        entity=entity,
                        cursor_value=value,
                        updated_at=utcnow(),
                    )
                )

    # --- review ledger (idempotency of reviews and comments) -------------------------
    def get_review(self, tenant_id: str, review_key: str) -> ReviewLedgerRow | None:
        query = sa.select(t.reviews).where(
            t.reviews.c.tenant_id == tenant_id, t.reviews.c.review_key == review_key
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        return ReviewLedgerRow(
            **{k: v for k, v in row.items() if k not in ("created_at", "published_at")}
        )

    def record_review(
        self, tenant_id: str, review_key: str, pr_key: str, head_sha: str, run_id: str
    ) -> None:
        with self.engine.begin() as conn:
            exists = conn.execute(
                sa.select(t.reviews.c.review_key).where(
                    t.reviews.c.tenant_id == tenant_id, t.reviews.c.review_key == review_key
                )
            ).scalar()
            if exists is None:
                conn.execute(
                    t.reviews.insert().values(
                        tenant_id=tenant_id,
                        review_key=review_key,
                        pr_key=pr_key,
                        head_sha=head_sha,
                        run_id=run_id,
                        status="reviewed",
                        created_at=utcnow(),
                    )
                )

    def mark_review_published(
        self,
        tenant_id: str,
        review_key: str,
        comment_id: str | None,
        actor: str,
        target: str,
        after: dict[str, Any],
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                t.reviews.update()
                .where(t.reviews.c.tenant_id == tenant_id, t.reviews.c.review_key == review_key)
                .values(status="published", comment_id=comment_id, published_at=utcnow())
            )
            self._audit(conn, tenant_id, actor, "review.published", target, after=after)

    # --- triage ----------------------------------------------------------------------
    def dismiss_finding(
        self, tenant_id: str, pr_key: str, fingerprint: str, actor: str, reason: str
    ) -> None:
        key = sa.and_(
            t.finding_triage.c.tenant_id == tenant_id,
            t.finding_triage.c.pr_key == pr_key,
            t.finding_triage.c.fingerprint == fingerprint,
        )
        with self.engine.begin() as conn:
            conn.execute(t.finding_triage.delete().where(key))
            conn.execute(
                t.finding_triage.insert().values(
                    tenant_id=tenant_id,
                    pr_key=pr_key,
                    fingerprint=fingerprint,
                    decision="dismissed",
                    actor=actor,
                    reason=reason,
                    decided_at=utcnow(),
                )
            )
            self._audit(
                conn,
                tenant_id,
                actor,
                "finding.dismissed",
                f"finding:{pr_key}:{fingerprint}",
                after={"reason": reason},
            )

    def dismissed_fingerprints(self, tenant_id: str, pr_key: str) -> set[str]:
        query = sa.select(t.finding_triage.c.fingerprint).where(
            t.finding_triage.c.tenant_id == tenant_id,
            t.finding_triage.c.pr_key == pr_key,
            t.finding_triage.c.decision == "dismissed",
        )
        with self.engine.connect() as conn:
            return set(conn.execute(query).scalars())
