"""TenantScope: the one place that turns a tenant id into paths and connections.

Nothing else in Warden builds a tenant path or opens a tenant database. A scope is built
from a validated slug, never from a raw path, so two tenants can never share a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from warden.errors import InvalidTenantError

if TYPE_CHECKING:
    import duckdb

TENANT_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
ENTITY_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def validate_tenant_slug(value: str) -> str:
    """Return `value` if it is a valid tenant slug, else raise InvalidTenantError."""
    if not isinstance(value, str) or not TENANT_SLUG.fullmatch(value):
        raise InvalidTenantError(f"invalid tenant id {value!r}: expected {TENANT_SLUG.pattern}")
    return value


@dataclass(frozen=True)
class TenantScope:
    """A validated tenant id plus the root under which all its files live."""

    tenant_id: str
    tenants_root: Path

    def __post_init__(self) -> None:
        validate_tenant_slug(self.tenant_id)

    @classmethod
    def for_tenant(cls, tenants_root: Path, tenant_id: str) -> TenantScope:
        return cls(tenant_id=validate_tenant_slug(tenant_id), tenants_root=Path(tenants_root))

    # --- paths -----------------------------------------------------------------------
    @property
    def root(self) -> Path:
        return self.tenants_root.resolve() / self.tenant_id

    @property
    def landing_dir(self) -> Path:
        return self.root / "landing"

    @property
    def warehouse_path(self) -> Path:
        return self.root / "warehouse" / "warehouse.duckdb"

    @property
    def serving_path(self) -> Path:
        return self.root / "serving" / "serving.duckdb"

    @property
    def quarantine_dir(self) -> Path:
        return self.root / "quarantine"

    def landing_entity_dir(self, entity: str, day: date | None = None) -> Path:
        """`landing/<entity>/` or `landing/<entity>/date=YYYY-MM-DD/`."""
        if not ENTITY_NAME.fullmatch(entity):
            raise ValueError(f"invalid landing entity name {entity!r}")
        base = self.landing_dir / entity
        return base if day is None else base / f"date={day.isoformat()}"

    def ensure_dirs(self) -> None:
        for path in (
            self.landing_dir,
            self.warehouse_path.parent,
            self.serving_path.parent,
            self.quarantine_dir,
        ):
            path.mkdir(parents=True, exist_ok=True)

    # --- connections -----------------------------------------------------------------
    def connect_serving(self) -> duckdb.DuckDBPyConnection:
        """Read-only connection to the published serving snapshot."""
        if not self.serving_path.exists():
            raise FileNotFoundError(
                f"tenant {self.tenant_id!r} has no serving snapshot yet (run the analytics job)"
            )
        import duckdb

        # ATTACH (not connect) so that a process that already has the file open still sees
        # the newly published snapshot: DuckDB caches database instances per path.
        con = duckdb.connect(":memory:")
        escaped = str(self.serving_path).replace("'", "''")
        con.sql(f"ATTACH '{escaped}' AS serving (READ_ONLY)")
        con.sql("USE serving")
        return con

    def connect_warehouse(self) -> duckdb.DuckDBPyConnection:
        """Read-write connection to the tenant's warehouse; only its dbt build writes."""
        import duckdb

        self.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(self.warehouse_path))
