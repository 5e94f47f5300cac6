"""Serving snapshots: the read-only copy of a tenant's warehouse that readers open.

After a passing `dbt build`, `publish_serving_snapshot` exports the warehouse's marts (the
base tables of its `main` schema) into a fresh DuckDB file beside `scope.serving_path`,
verifies that file opens read-only, holds every mart and only this tenant's rows, and then
`os.replace`s it onto the serving path. The replace is atomic: a reader that already has the
old file open keeps reading it through its handle, a new connection sees the new snapshot.

Only marts are published (not the staging/intermediate views, which read landing parquet by
absolute path): readers get exactly what they are meant to query, and the snapshot is a
compact file rewritten each time instead of a copy of the warehouse's free blocks.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import duckdb

from warden.errors import WardenError
from warden.tenancy import TenantScope

#: the marts every snapshot must hold (dbt_project/models/marts)
REQUIRED_MARTS: tuple[str, ...] = (
    "dim_repositories",
    "dim_pull_requests",
    "fct_review_runs",
    "fct_findings",
    "mart_pr_risk",
    "mart_findings_daily",
)
MARTS_SCHEMA = "main"
_SOURCE_ALIAS = "warehouse_snapshot_source"


class ServingPublishError(WardenError):
    """The warehouse could not be published (missing, still open, or failed verification)."""


def publish_serving_snapshot(scope: TenantScope) -> Path:
    """Publish the tenant's warehouse marts as its serving snapshot; returns the serving path."""
    warehouse = scope.warehouse_path
    if not warehouse.exists():
        raise ServingPublishError(f"tenant {scope.tenant_id!r} has no warehouse to publish")
    if _wal_path(warehouse).exists():
        raise ServingPublishError(
            f"the warehouse of tenant {scope.tenant_id!r} has a write-ahead log: "
            "a dbt build still holds it or did not finish cleanly"
        )
    target = scope.serving_path
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name}.{uuid.uuid4().hex}.tmp"
    try:
        _export_marts(warehouse, temporary)
        _verify_snapshot(temporary, scope.tenant_id)
        _fsync(temporary)
        os.replace(temporary, target)
        _fsync(target.parent)
    finally:
        for leftover in (temporary, _wal_path(temporary)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return target


def serving_tables(scope: TenantScope) -> list[str]:
    """Names of the tables in the tenant's published serving snapshot, sorted."""
    con = scope.connect_serving()
    try:
        return _table_names(con)
    finally:
        con.close()


def _export_marts(warehouse: Path, destination: Path) -> None:
    con = duckdb.connect(str(destination))
    try:
        try:
            con.sql(f"ATTACH {_literal(str(warehouse))} AS {_SOURCE_ALIAS} (READ_ONLY)")
        except duckdb.Error as error:
            raise ServingPublishError(f"cannot open the warehouse read-only: {error}") from error
        tables = _table_names(con, _SOURCE_ALIAS)
        missing = sorted(set(REQUIRED_MARTS) - set(tables))
        if missing:
            raise ServingPublishError(f"the warehouse lacks marts {missing}: did dbt build pass?")
        for table in tables:
            name = _quote(table)
            con.sql(
                f"CREATE TABLE main.{name} AS SELECT * FROM {_SOURCE_ALIAS}.{MARTS_SCHEMA}.{name}"
            )
        con.sql(f"DETACH {_SOURCE_ALIAS}")
        con.sql("CHECKPOINT")
    finally:
        con.close()


def _verify_snapshot(path: Path, tenant_id: str) -> None:
    """The file opens read-only, holds every mart, and no row of another tenant."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise ServingPublishError(f"the new snapshot does not open read-only: {error}") from error
    try:
        tables = _table_names(con)
        missing = sorted(set(REQUIRED_MARTS) - set(tables))
        if missing:
            raise ServingPublishError(f"the new snapshot lacks marts {missing}")
        for table in REQUIRED_MARTS:
            foreign = con.execute(
                f"SELECT count(*) FROM main.{_quote(table)} WHERE tenant_id IS DISTINCT FROM ?",
                [tenant_id],
            ).fetchall()[0][0]
            if foreign:
                raise ServingPublishError(
                    f"{table} holds {foreign} row(s) of another tenant than {tenant_id!r}"
                )
    finally:
        con.close()


def _table_names(con: duckdb.DuckDBPyConnection, database: str | None = None) -> list[str]:
    """Base tables of the marts schema of `database` (default: the connection's own file)."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() "
        "WHERE database_name = coalesce(?, current_database()) AND schema_name = ? "
        "AND NOT temporary ORDER BY table_name",
        [database, MARTS_SCHEMA],
    ).fetchall()
    return [row[0] for row in rows]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _wal_path(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def _fsync(path: Path) -> None:
    flags = (os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if path.is_dir() else os.O_RDONLY
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
