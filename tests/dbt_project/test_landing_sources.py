"""The dbt landing sources declare exactly the columns and types the landing writer writes."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml

from warden import records
from warden.landing import landing_schema

SOURCES_YML = (
    Path(__file__).resolve().parents[2]
    / "dbt_project"
    / "models"
    / "staging"
    / "_landing__sources.yml"
)
STAGED_RECORDS = [
    records.PullRequest,
    records.ChangedFile,
    records.Ticket,
    records.Document,
    records.PrTicketLink,
    records.ReviewRun,
    records.Finding,
    records.PostedComment,
    records.CriterionVerdictRecord,
]


def _duckdb_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.Datetime):
        assert dtype.time_zone == "UTC"
        return "timestamp with time zone"
    return {pl.String: "varchar", pl.Int64: "bigint", pl.Float64: "double", pl.Boolean: "boolean"}[
        type(dtype)
    ]


def _declared_tables() -> dict[str, dict]:
    document = yaml.safe_load(SOURCES_YML.read_text())
    (landing,) = [s for s in document["sources"] if s["name"] == "landing"]
    return {table["name"]: table for table in landing["tables"]}


def test_every_staged_record_type_has_a_landing_source() -> None:
    assert set(_declared_tables()) == {r.landing_entity for r in STAGED_RECORDS}


@pytest.mark.parametrize("record_type", STAGED_RECORDS, ids=lambda r: r.__name__)
def test_source_columns_match_the_landing_schema(record_type: type[records.Record]) -> None:
    table = _declared_tables()[record_type.landing_entity]
    declared = [(c["name"], c["data_type"]) for c in table["columns"]]
    expected = [(name, _duckdb_type(dtype)) for name, dtype in landing_schema(record_type).items()]
    assert declared == expected


def test_every_staging_model_reads_its_landing_entity_through_the_macro() -> None:
    staging = SOURCES_YML.parent
    for entity in _declared_tables():
        sql = (staging / f"stg_landing__{entity}.sql").read_text()
        assert f"landing_relation('{entity}')" in sql
        assert "read_parquet" not in sql
