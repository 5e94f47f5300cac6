"""ControlPlane: tenants, users, memberships, integrations, repositories, cursors, reviews.

Every state change writes an audit event in the same transaction.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from warden.clock import utcnow
from warden.controlplane import schema as t
from warden.controlplane.audit import as_utc, list_audit, verify_chain
from warden.controlplane.inbox import Inbox
from warden.controlplane.progress import ProgressStore
from warden.controlplane.rows import (
    AuditRow,
    IntegrationRow,
    RepositoryRow,
    TenantRow,
)
from warden.errors import AlreadyExistsError, NotFoundError
from warden.secrets import validate_secret_ref
from warden.tenancy import validate_tenant_slug

INTEGRATION_KINDS = ("scm", "tracker", "docs", "notifier")
ROLES = ("owner", "admin", "analyst", "viewer")


class ControlPlane(ProgressStore):
    """Transactional store of everything that is not analytics data."""

    def __init__(self, engine: sa.Engine) -> None:
        super().__init__(engine)
        self.inbox = Inbox(engine)

    def dispose(self) -> None:
        self.engine.dispose()

    # --- tenants ---------------------------------------------------------------------
    def create_tenant(self, tenant_id: str, name: str, actor: str) -> TenantRow:
        validate_tenant_slug(tenant_id)
        with self.engine.begin() as conn:
            exists = conn.execute(
                sa.select(t.tenants.c.tenant_id).where(t.tenants.c.tenant_id == tenant_id)
            ).scalar()
            if exists:
                raise AlreadyExistsError(f"tenant {tenant_id!r} already exists")
            conn.execute(
                t.tenants.insert().values(
                    tenant_id=tenant_id, name=name, status="active", created_at=utcnow()
                )
            )
            self._audit(
                conn,
                tenant_id,
                actor,
                "tenant.created",
                f"tenant:{tenant_id}",
                after={"name": name},
            )
        return self.get_tenant(tenant_id)

    def get_tenant(self, tenant_id: str) -> TenantRow:
        with self.engine.connect() as conn:
            row = (
                conn.execute(sa.select(t.tenants).where(t.tenants.c.tenant_id == tenant_id))
                .mappings()
                .first()
            )
        if row is None:
            raise NotFoundError(f"unknown tenant {tenant_id!r}")
        return TenantRow(**{**row, "created_at": as_utc(row["created_at"])})

    def list_tenants(self, status: str | None = "active") -> list[TenantRow]:
        query = sa.select(t.tenants).order_by(t.tenants.c.tenant_id)
        if status:
            query = query.where(t.tenants.c.status == status)
        with self.engine.connect() as conn:
            return [
                TenantRow(**{**m, "created_at": as_utc(m["created_at"])})
                for m in conn.execute(query).mappings()
            ]

    def delete_tenant(self, tenant_id: str, actor: str) -> dict[str, int]:
        """Remove every row of the tenant (the audit trail stays), leave a tombstone.

        The tenant id stays reserved (status `deleted`) so it is never reused for someone
        else. Files are removed by the caller through the tenant's scope."""
        self.get_tenant(tenant_id)
        removed: dict[str, int] = {}
        with self.engine.begin() as conn:
            for table in reversed(t.metadata.sorted_tables):
                if table.name in ("tenants", "audit_events") or "tenant_id" not in table.c:
                    continue
                count = conn.execute(table.delete().where(table.c.tenant_id == tenant_id))
                removed[table.name] = count.rowcount
            conn.execute(
                t.tenants.update()
                .where(t.tenants.c.tenant_id == tenant_id)
                .values(status="deleted")
            )
            self._audit(
                conn,
                tenant_id,
                actor,
                "tenant.deleted",
                f"tenant:{tenant_id}",
                after={"rows_removed": removed},
            )
        return removed

    # --- users and memberships -------------------------------------------------------
    def ensure_user(self, email: str, display_name: str = "") -> int:
        email = email.strip().lower()
        with self.engine.begin() as conn:
            user_id = conn.execute(
                sa.select(t.users.c.user_id).where(t.users.c.email == email)
            ).scalar()
            if user_id is None:
                user_id = conn.execute(
                    t.users.insert().values(
                        email=email, display_name=display_name, created_at=utcnow()
                    )
                ).inserted_primary_key[0]
                self._audit(conn, None, "system", "user.created", f"user:{email}")
        return int(user_id)

    def add_member(self, tenant_id: str, email: str, role: str, actor: str) -> None:
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        self.get_tenant(tenant_id)
        user_id = self.ensure_user(email)
        with self.engine.begin() as conn:
            key = sa.and_(
                t.memberships.c.tenant_id == tenant_id, t.memberships.c.user_id == user_id
            )
            before = conn.execute(sa.select(t.memberships.c.role).where(key)).scalar()
            if before is None:
                conn.execute(
                    t.memberships.insert().values(
                        tenant_id=tenant_id, user_id=user_id, role=role, created_at=utcnow()
                    )
                )
            else:
                conn.execute(t.memberships.update().where(key).values(role=role))
            self._audit(
                conn,
                tenant_id,
                actor,
                "membership.set",
                f"user:{email.lower()}",
                before={"role": before} if before else None,
                after={"role": role},
            )

    def tenants_for_user(self, email: str) -> list[str]:
        query = (
            sa.select(t.memberships.c.tenant_id)
            .join(t.users, t.users.c.user_id == t.memberships.c.user_id)
            .join(t.tenants, t.tenants.c.tenant_id == t.memberships.c.tenant_id)
            .where(t.users.c.email == email.strip().lower(), t.tenants.c.status == "active")
            .order_by(t.memberships.c.tenant_id)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    # --- integrations ----------------------------------------------------------------
    def add_integration(
        self,
        tenant_id: str,
        *,
        name: str,
        kind: str,
        provider: str,
        config: dict[str, Any],
        credential_ref: str | None,
        webhook_secret_ref: str | None,
        actor: str,
    ) -> IntegrationRow:
        if kind not in INTEGRATION_KINDS:
            raise ValueError(f"integration kind must be one of {INTEGRATION_KINDS}")
        for ref in (credential_ref, webhook_secret_ref):
            if ref is not None:
                validate_secret_ref(ref)
        self.get_tenant(tenant_id)
        with self.engine.begin() as conn:
            try:
                with conn.begin_nested():
                    conn.execute(
                        t.integrations.insert().values(
                            tenant_id=tenant_id,
                            name=name,
                            kind=kind,
                            provider=provider,
                            config=config,
                            credential_ref=credential_ref,
                            webhook_secret_ref=webhook_secret_ref,
                            status="active",
                            created_at=utcnow(),
                        )
                    )
            except sa.exc.IntegrityError as exc:
                raise AlreadyExistsError(
                    f"integration {name!r} already exists for tenant {tenant_id!r}"
                ) from exc
            self._audit(
                conn,
                tenant_id,
                actor,
                "integration.added",
                f"integration:{name}",
                after={
                    "kind": kind,
                    "provider": provider,
                    "config": config,
                    "credential_ref": credential_ref,
                    "webhook_secret_ref": webhook_secret_ref,
                },
            )
        return self.get_integration(tenant_id, name)

    def get_integration(self, tenant_id: str, name: str) -> IntegrationRow:
        query = sa.select(t.integrations).where(
            t.integrations.c.tenant_id == tenant_id, t.integrations.c.name == name
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            raise NotFoundError(f"unknown integration {name!r} for tenant {tenant_id!r}")
        return IntegrationRow(**{k: v for k, v in row.items() if k != "created_at"})

    def get_integration_by_id(self, tenant_id: str, integration_id: int) -> IntegrationRow:
        query = sa.select(t.integrations).where(
            t.integrations.c.tenant_id == tenant_id,
            t.integrations.c.integration_id == integration_id,
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            raise NotFoundError(f"unknown integration {integration_id} for tenant {tenant_id!r}")
        return IntegrationRow(**{k: v for k, v in row.items() if k != "created_at"})

    def list_integrations(self, tenant_id: str, kind: str | None = None) -> list[IntegrationRow]:
        query = sa.select(t.integrations).where(t.integrations.c.tenant_id == tenant_id)
        if kind:
            query = query.where(t.integrations.c.kind == kind)
        with self.engine.connect() as conn:
            return [
                IntegrationRow(**{k: v for k, v in m.items() if k != "created_at"})
                for m in conn.execute(query.order_by(t.integrations.c.name)).mappings()
            ]

    # --- repositories ----------------------------------------------------------------
    def enable_repository(
        self,
        tenant_id: str,
        integration_name: str,
        full_name: str,
        policy: dict[str, Any] | None,
        actor: str,
    ) -> RepositoryRow:
        integration = self.get_integration(tenant_id, integration_name)
        policy = policy or {}
        with self.engine.begin() as conn:
            key = sa.and_(
                t.repositories.c.tenant_id == tenant_id,
                t.repositories.c.integration_id == integration.integration_id,
                t.repositories.c.full_name == full_name,
            )
            before = conn.execute(sa.select(t.repositories).where(key)).mappings().first()
            if before is None:
                conn.execute(
                    t.repositories.insert().values(
                        tenant_id=tenant_id,
                        integration_id=integration.integration_id,
                        full_name=full_name,
                        enabled=True,
                        review_policy=policy,
                        created_at=utcnow(),
                    )
                )
            else:
                conn.execute(
                    t.repositories.update().where(key).values(enabled=True, review_policy=policy)
                )
            self._audit(
                conn,
                tenant_id,
                actor,
                "repository.enabled",
                f"repository:{full_name}",
                before={"enabled": before["enabled"], "policy": before["review_policy"]}
                if before
                else None,
                after={"enabled": True, "policy": policy},
            )
        return self.get_repository(tenant_id, integration.integration_id, full_name)

    def get_repository(self, tenant_id: str, integration_id: int, full_name: str) -> RepositoryRow:
        query = sa.select(t.repositories).where(
            t.repositories.c.tenant_id == tenant_id,
            t.repositories.c.integration_id == integration_id,
            t.repositories.c.full_name == full_name,
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            raise NotFoundError(f"repository {full_name!r} is not connected for {tenant_id!r}")
        return RepositoryRow(**{k: v for k, v in row.items() if k != "created_at"})

    def list_repositories(self, tenant_id: str, enabled_only: bool = True) -> list[RepositoryRow]:
        query = sa.select(t.repositories).where(t.repositories.c.tenant_id == tenant_id)
        if enabled_only:
            query = query.where(t.repositories.c.enabled.is_(True))
        with self.engine.connect() as conn:
            return [
                RepositoryRow(**{k: v for k, v in m.items() if k != "created_at"})
                for m in conn.execute(query.order_by(t.repositories.c.full_name)).mappings()
            ]

    # --- audit -----------------------------------------------------------------------
    def record_audit(
        self,
        tenant_id: str | None,
        actor: str,
        action: str,
        target: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        with self.engine.begin() as conn:
            self._audit(conn, tenant_id, actor, action, target, before, after)

    def audit_log(self, tenant_id: str | None = None, limit: int = 1000) -> list[AuditRow]:
        with self.engine.connect() as conn:
            return list_audit(conn, tenant_id, limit)

    def verify_audit_chain(self) -> int:
        with self.engine.connect() as conn:
            return verify_chain(conn)
