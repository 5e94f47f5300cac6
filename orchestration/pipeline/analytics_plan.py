"""Pure helpers for the analytics path: dbt vars and the landing watermark that debounces builds."""

from __future__ import annotations

from typing import Any

from warden.tenancy import TenantScope


def dbt_build_vars(scope: TenantScope) -> dict[str, Any]:
    """The --vars of a tenant's dbt build: its id and its landing root, nothing else."""
    return {"tenant_id": scope.tenant_id, "landing_root": str(scope.landing_dir)}


def dbt_build_env(scope: TenantScope) -> dict[str, str]:
    """Environment of a tenant's dbt build: the DuckDB file it may write."""
    return {"WARDEN_DBT_DATABASE": str(scope.warehouse_path)}


def landing_watermark(scope: TenantScope) -> str:
    """Changes whenever a landing file is added or replaced: `<files>:<newest mtime ns>`."""
    if not scope.landing_dir.exists():
        return "0:0"
    newest = 0
    count = 0
    for path in scope.landing_dir.glob("*/date=*/*.parquet"):
        count += 1
        newest = max(newest, path.stat().st_mtime_ns)
    return f"{count}:{newest}"
