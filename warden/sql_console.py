"""Analysts' read-only SQL over a tenant's serving snapshot."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any

from warden.tenancy import TenantScope

MAX_ROWS = 10_000


def run_readonly_query(scope: TenantScope, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run `query` on the tenant's serving snapshot, opened read-only; returns columns, rows."""
    if not query.strip():
        raise ValueError("empty query")
    con = scope.connect_serving()
    try:
        # no filesystem or network access beyond the snapshot itself
        con.sql("SET enable_external_access = false")
        con.sql("SET lock_configuration = true")
        relation = con.sql(query)
        if relation is None:
            return [], []
        columns = list(relation.columns)
        rows = relation.limit(MAX_ROWS).fetchall()
    finally:
        con.close()
    return columns, rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def format_table(columns: list[str], rows: list[tuple[Any, ...]], fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(
            [dict(zip(columns, row, strict=True)) for row in rows], default=_text, indent=2
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows([[_text(v) for v in row] for row in rows])
        return buffer.getvalue().rstrip("\n")
    cells = [[_text(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
