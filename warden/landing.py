"""Landing writer: canonical records + raw payloads -> append-only parquet per tenant.

Layout: `<tenant>/landing/<entity>/date=YYYY-MM-DD/<batch_id>.parquet`. Files are written
to a temporary name and renamed, so readers never see half a file; a batch id that is
deterministic for a unit of work makes a re-run overwrite its own file instead of
duplicating it. Every row keeps the raw vendor payload, the normaliser version and the
ingestion time beside the canonical columns.
"""

from __future__ import annotations

import json
import os
import re
import types
import typing
import uuid
from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import BaseModel

from warden.clock import utcnow
from warden.records import Record
from warden.tenancy import TenantScope

BATCH_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$")
LINEAGE_COLUMNS: dict[str, pl.DataType] = {
    "raw_payload": pl.String(),
    "normaliser_version": pl.String(),
    "ingested_at": pl.Datetime("us", "UTC"),
    "batch_id": pl.String(),
}


def _polars_type(annotation: Any) -> pl.DataType:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _polars_type(args[0]) if len(args) == 1 else pl.String()
    if origin is typing.Literal:
        return pl.String()
    if origin in (list, dict, tuple, set):
        return pl.String()  # stored as JSON text
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return pl.Boolean()
        if issubclass(annotation, Enum):
            return pl.String()
        if issubclass(annotation, int):
            return pl.Int64()
        if issubclass(annotation, float):
            return pl.Float64()
        if issubclass(annotation, datetime):
            return pl.Datetime("us", "UTC")
        if issubclass(annotation, BaseModel):
            return pl.String()
    return pl.String()


def landing_schema(record_type: type[Record]) -> dict[str, pl.DataType]:
    """The parquet schema of a record type's landing files (canonical + lineage columns)."""
    schema = {
        name: _polars_type(field.annotation) for name, field in record_type.model_fields.items()
    }
    return {**schema, **LINEAGE_COLUMNS}


def _cell(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, default=str, sort_keys=True)
    return value


def _raw_text(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, bytes):
        return raw.decode("utf-8", errors="replace")
    if isinstance(raw, str):
        return raw
    return json.dumps(raw, default=str, sort_keys=True)


class LandingWriter:
    """Writes one tenant's landing files; refuses records of another tenant."""

    def __init__(self, scope: TenantScope, normaliser_version: str) -> None:
        self.scope = scope
        self.normaliser_version = normaliser_version

    def write(
        self,
        records: Sequence[Record],
        raw_payloads: Sequence[Any] | None = None,
        *,
        batch_id: str | None = None,
        ingested_at: datetime | None = None,
    ) -> Path | None:
        """Write `records` (all of one type) as one parquet file; returns its path."""
        if not records:
            return None
        record_type = type(records[0])
        if any(type(r) is not record_type for r in records):
            raise TypeError("a landing batch holds records of one type")
        if not record_type.landing_entity:
            raise TypeError(f"{record_type.__name__} has no landing entity")
        foreign = {r.tenant_id for r in records} - {self.scope.tenant_id}
        if foreign:
            raise ValueError(
                f"records of tenant(s) {sorted(foreign)} cannot land in {self.scope.tenant_id!r}"
            )
        if raw_payloads is not None and len(raw_payloads) != len(records):
            raise ValueError("raw_payloads must align with records")
        batch_id = batch_id or uuid.uuid4().hex
        if not BATCH_ID.fullmatch(batch_id):
            raise ValueError(f"invalid batch id {batch_id!r}")
        ingested_at = ingested_at or utcnow()

        rows = []
        for index, record in enumerate(records):
            row = {name: _cell(value) for name, value in record.model_dump(mode="python").items()}
            row["raw_payload"] = _raw_text(raw_payloads[index]) if raw_payloads else None
            row["normaliser_version"] = self.normaliser_version
            row["ingested_at"] = ingested_at
            row["batch_id"] = batch_id
            rows.append(row)
        frame = pl.DataFrame(rows, schema=landing_schema(record_type), orient="row")

        directory = self.scope.landing_entity_dir(record_type.landing_entity, ingested_at.date())
        directory.mkdir(parents=True, exist_ok=True)
        final = directory / f"{batch_id}.parquet"
        temporary = directory / f".{batch_id}.{uuid.uuid4().hex}.parquet.tmp"
        try:
            frame.write_parquet(temporary, compression="zstd")
            os.replace(temporary, final)
        finally:
            if temporary.exists():
                temporary.unlink()
        return final


def landing_glob(scope: TenantScope, entity: str) -> str:
    """The glob matching every landing file of `entity` for this tenant."""
    return str(scope.landing_entity_dir(entity) / "**" / "*.parquet")


def read_landing(scope: TenantScope, record_type: type[Record]) -> pl.DataFrame:
    """Every landed row of a record type for this tenant (empty frame with schema if none)."""
    directory = scope.landing_entity_dir(record_type.landing_entity)
    files = sorted(directory.glob("date=*/*.parquet")) if directory.exists() else []
    if not files:
        return pl.DataFrame(schema=landing_schema(record_type))
    return pl.read_parquet(files, missing_columns="insert")


def _is_json_field(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_json_field(a) for a in typing.get_args(annotation) if a is not type(None))
    if origin in (list, dict, tuple, set):
        return True
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


RecordT = typing.TypeVar("RecordT", bound=Record)


def read_records(
    scope: TenantScope, record_type: type[RecordT], key_fields: Sequence[str]
) -> list[RecordT]:
    """Landed records of a type, deduplicated to the latest ingested version per key."""
    frame = read_landing(scope, record_type)
    if frame.is_empty():
        return []
    latest = frame.sort("ingested_at").unique(
        subset=list(key_fields), keep="last", maintain_order=True
    )
    json_fields = {
        name for name, field in record_type.model_fields.items() if _is_json_field(field.annotation)
    }
    records = []
    for row in latest.iter_rows(named=True):
        data = {name: row.get(name) for name in record_type.model_fields}
        for name in json_fields:
            if isinstance(data.get(name), str):
                data[name] = json.loads(data[name])
        records.append(record_type.model_validate(data))
    return records
