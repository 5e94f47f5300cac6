from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from warden.landing import LandingWriter, landing_schema, read_landing, read_records
from warden.records import Finding, FindingCategory, Severity, Ticket
from warden.tenancy import TenantScope

NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def ticket(tenant: str, key: str, title: str) -> Ticket:
    return Ticket(
        tenant_id=tenant,
        ticket_key=key,
        provider="folder",
        title=title,
        acceptance_criteria=["returns 423 when locked"],
        updated_at=NOW,
    )


def test_rows_keep_raw_payload_and_lineage(tmp_path: Path) -> None:
    scope = TenantScope.for_tenant(tmp_path, "acme")
    path = LandingWriter(scope, "folder-1").write(
        [ticket("acme", "ENG-1", "Lockout")], [{"raw": True}], batch_id="b1", ingested_at=NOW
    )
    assert path == scope.landing_dir / "tickets" / "date=2026-10-01" / "b1.parquet"
    frame = pl.read_parquet(path)
    row = frame.row(0, named=True)
    assert row["raw_payload"] == '{"raw": true}'
    assert row["normaliser_version"] == "folder-1"
    assert row["acceptance_criteria"] == '["returns 423 when locked"]'
    assert frame.schema["ingested_at"] == pl.Datetime("us", "UTC")
    assert not list(path.parent.glob("*.tmp"))


def test_same_batch_id_overwrites_instead_of_duplicating(tmp_path: Path) -> None:
    scope = TenantScope.for_tenant(tmp_path, "acme")
    writer = LandingWriter(scope, "v1")
    writer.write([ticket("acme", "ENG-1", "a")], batch_id="run-7", ingested_at=NOW)
    writer.write([ticket("acme", "ENG-1", "a")], batch_id="run-7", ingested_at=NOW)
    assert read_landing(scope, Ticket).height == 1


def test_refuses_records_of_another_tenant(tmp_path: Path) -> None:
    scope = TenantScope.for_tenant(tmp_path, "acme")
    with pytest.raises(ValueError, match="globex"):
        LandingWriter(scope, "v1").write([ticket("globex", "ENG-1", "x")])
    assert not scope.landing_dir.exists() or not list(scope.landing_dir.rglob("*.parquet"))


def test_refuses_batch_ids_that_could_escape_the_folder(tmp_path: Path) -> None:
    scope = TenantScope.for_tenant(tmp_path, "acme")
    writer = LandingWriter(scope, "v1")
    with pytest.raises(ValueError):
        writer.write([ticket("acme", "ENG-1", "x")], batch_id="../escape")


def test_read_records_returns_latest_version_per_key(tmp_path: Path) -> None:
    scope = TenantScope.for_tenant(tmp_path, "acme")
    writer = LandingWriter(scope, "v1")
    writer.write(
        [ticket("acme", "ENG-1", "old"), ticket("acme", "ENG-2", "other")], ingested_at=NOW
    )
    writer.write([ticket("acme", "ENG-1", "new")], ingested_at=datetime(2026, 10, 2, tzinfo=UTC))
    records = {t.ticket_key: t for t in read_records(scope, Ticket, ["ticket_key"])}
    assert records["ENG-1"].title == "new"
    assert records["ENG-2"].acceptance_criteria == ["returns 423 when locked"]


def test_schema_is_explicit_even_for_all_null_columns(tmp_path: Path) -> None:
    scope = TenantScope.for_tenant(tmp_path, "acme")
    finding = Finding(
        tenant_id="acme",
        run_id="r",
        pr_key="github:PullRequest:a/b#1",
        repository="a/b",
        number=1,
        head_sha="abc",
        category=FindingCategory.standards,
        rule_id="x",
        severity=Severity.low,
        confidence=0.5,
        message="m",
        evidence="e",
        fingerprint="f",
    )
    path = LandingWriter(scope, "v1").write([finding])
    schema = pl.read_parquet_schema(path)
    expected = landing_schema(Finding)
    assert schema["start_line"] == pl.Int64 and schema["cwe"] == pl.String
    assert set(schema) == set(expected)
