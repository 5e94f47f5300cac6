"""Serving snapshots: verified, marts only, and replaced atomically under open readers.

The warehouses here are real DuckDB files shaped like a finished dbt build (marts as tables in
`main`, staging as views in another schema); tests/dbt_project publishes a real dbt build.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pytest

from warden.serving import (
    REQUIRED_MARTS,
    ServingPublishError,
    publish_serving_snapshot,
    serving_tables,
)
from warden.tenancy import TenantScope


def _write_warehouse(
    scope: TenantScope, version: int, *, marts=REQUIRED_MARTS, tenant_of_rows: str | None = None
) -> None:
    """A warehouse where every mart holds one row tagged with `version`."""
    scope.warehouse_path.unlink(missing_ok=True)
    con = scope.connect_warehouse()
    try:
        tenant = tenant_of_rows or scope.tenant_id
        for mart in marts:
            con.execute(
                f"create table {mart} as select ?::varchar as tenant_id, ?::integer as version",
                [tenant, version],
            )
        con.sql("create schema staging")
        con.sql("create view staging.stg_landing__pull_requests as select 1 as one")
    finally:
        con.close()


def _version(con: duckdb.DuckDBPyConnection) -> int:
    return con.sql("select version from mart_pr_risk").fetchall()[0][0]


@pytest.fixture
def scope(scope_factory) -> TenantScope:
    return scope_factory("acme")


def test_publish_serves_only_the_marts_read_only(scope: TenantScope) -> None:
    _write_warehouse(scope, version=1)
    path = publish_serving_snapshot(scope)
    assert path == scope.serving_path
    assert serving_tables(scope) == sorted(REQUIRED_MARTS)
    con = scope.connect_serving()
    try:
        assert _version(con) == 1
        schemas = {
            s
            for (s,) in con.sql(
                "select schema_name from duckdb_schemas() where database_name = current_database()"
            ).fetchall()
        }
        assert "staging" not in schemas
        with pytest.raises(duckdb.Error):
            con.sql("delete from mart_pr_risk")
    finally:
        con.close()
    assert [p.name for p in scope.serving_path.parent.iterdir()] == [scope.serving_path.name]


def test_republish_replaces_atomically_while_a_reader_holds_the_old_snapshot(
    scope: TenantScope,
) -> None:
    """A reader process (like the dashboard) keeps its handle; a new connection sees v2.

    The reader is another process on purpose: inside one process DuckDB hands a new
    connect() of a path that is still open the already-open database instance.
    """
    _write_warehouse(scope, version=1)
    publish_serving_snapshot(scope)
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, duckdb
            con = duckdb.connect({str(scope.serving_path)!r}, read_only=True)
            def version():
                return con.sql("select version from mart_pr_risk").fetchall()[0][0]
            print(version(), flush=True)
            sys.stdin.readline()
            print(version(), con.sql("select count(*) from fct_findings").fetchall()[0][0],
                  flush=True)
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "1"
        _write_warehouse(scope, version=2)
        publish_serving_snapshot(scope)
        new_reader = scope.connect_serving()
        try:
            assert _version(new_reader) == 2
        finally:
            new_reader.close()
        after, _ = reader.communicate("published\n", timeout=30)
    finally:
        if reader.poll() is None:
            reader.kill()
    assert after.split() == ["1", "1"]  # the old handle still reads the replaced file
    assert reader.returncode == 0


def test_a_failed_publish_leaves_the_current_snapshot_and_no_temp_files(
    scope: TenantScope,
) -> None:
    _write_warehouse(scope, version=1)
    publish_serving_snapshot(scope)
    _write_warehouse(scope, version=2, marts=[m for m in REQUIRED_MARTS if m != "fct_findings"])
    with pytest.raises(ServingPublishError, match="fct_findings"):
        publish_serving_snapshot(scope)
    con = scope.connect_serving()
    try:
        assert _version(con) == 1
    finally:
        con.close()
    assert [p.name for p in scope.serving_path.parent.iterdir()] == [scope.serving_path.name]


def test_publish_refuses_rows_of_another_tenant(scope: TenantScope) -> None:
    _write_warehouse(scope, version=1, tenant_of_rows="globex")
    with pytest.raises(ServingPublishError, match="another tenant"):
        publish_serving_snapshot(scope)
    assert not scope.serving_path.exists()


def test_publish_refuses_a_tenant_without_a_warehouse(scope: TenantScope) -> None:
    with pytest.raises(ServingPublishError, match="no warehouse"):
        publish_serving_snapshot(scope)
    with pytest.raises(FileNotFoundError):
        serving_tables(scope)


def test_publish_refuses_a_warehouse_another_process_holds_open(scope: TenantScope) -> None:
    _write_warehouse(scope, version=1)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, duckdb
            con = duckdb.connect({str(scope.warehouse_path)!r})
            print("open", flush=True)
            sys.stdin.readline()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(ServingPublishError, match="read-only"):
            publish_serving_snapshot(scope)
    finally:
        holder.communicate("done\n", timeout=30)
    assert not scope.serving_path.exists()
    assert publish_serving_snapshot(scope) == scope.serving_path  # fine once released
