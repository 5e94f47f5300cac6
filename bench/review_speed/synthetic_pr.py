"""A synthetic ~5,000-line pull request: realistic mixed Python / JavaScript / Go / Java
service code with a handful of planted issues. Deterministic (seeded), so runs compare.
"""

from __future__ import annotations

import random
from pathlib import Path

TARGET_LINES = 5_000
SEED = 20260901
_ENTITIES = ("order", "invoice", "customer", "shipment", "payment", "coupon", "review", "ticket")


def _python_module(entity: str, rng: random.Random, planted: bool) -> list[str]:
    cls = entity.capitalize()
    lines = [
        f'"""{cls} service: persistence and HTTP handlers."""',
        "",
        "import logging",
        "import sqlite3",
        "from dataclasses import dataclass",
        "",
        "from flask import Blueprint, jsonify, request",
        "",
        f'bp = Blueprint("{entity}s", __name__)',
        "log = logging.getLogger(__name__)",
        "",
        "",
        "@dataclass",
        f"class {cls}:",
        "    id: int",
        "    name: str",
        "    amount_cents: int",
        "",
    ]
    for i in range(rng.randint(7, 9)):
        field = rng.choice(("status", "owner", "region", "currency", "channel"))
        lines += [
            "",
            f"def load_{entity}_by_{field}_{i}(conn: sqlite3.Connection, value: str) -> list[{cls}]:",  # noqa: E501 (generated code)
            f'    """All {entity}s whose {field} equals value, newest first."""',
            "    rows = conn.execute(",
            f'        "SELECT id, name, amount_cents FROM {entity}s WHERE {field} = ? "',
            '        "ORDER BY id DESC LIMIT 100",',
            "        (value,),",
            "    ).fetchall()",
            f"    result = [{cls}(*row) for row in rows]",
            f'    log.info("loaded %d {entity}s", len(result))',
            "    return result",
            "",
            "",
            f'@bp.get("/{entity}s/{field}/{i}")',
            f"def list_{entity}s_{field}_{i}():",
            f'    value = request.args.get("{field}", "")',
            '    conn = sqlite3.connect("app.db")',
            f"    items = load_{entity}_by_{field}_{i}(conn, value)",
            '    return jsonify([{"id": x.id, "name": x.name} for x in items])',
        ]
    if planted:
        lines += [
            "",
            "",
            f'@bp.get("/{entity}s/search")',
            f"def search_{entity}s():",
            '    term = request.args["q"]',
            '    conn = sqlite3.connect("app.db")',
            f"    rows = conn.execute(f\"SELECT id FROM {entity}s WHERE name = '{{term}}'\").fetchall()",  # noqa: E501 (generated code)
            "    return jsonify(rows)",
        ]
    return lines


def _javascript_module(entity: str, rng: random.Random, planted: bool) -> list[str]:
    lines = [
        "'use strict';",
        "",
        "const express = require('express');",
        "const { pool } = require('../db');",
        "",
        "const router = express.Router();",
    ]
    for i in range(rng.randint(8, 10)):
        lines += [
            "",
            f"async function fetch{entity.capitalize()}Page{i}(offset, limit) {{",
            "  const { rows } = await pool.query(",
            f"    'SELECT id, name FROM {entity}s ORDER BY id LIMIT $1 OFFSET $2',",
            "    [limit, offset],",
            "  );",
            "  return rows.map((row) => ({ id: row.id, name: row.name }));",
            "}",
            "",
            f"router.get('/{entity}s/page/{i}', async (req, res, next) => {{",
            "  try {",
            "    const offset = Number.parseInt(req.query.offset || '0', 10);",
            f"    const items = await fetch{entity.capitalize()}Page{i}(offset, 50);",
            "    res.json({ items });",
            "  } catch (err) {",
            "    next(err);",
            "  }",
            "});",
        ]
    if planted:
        lines += [
            "",
            f"router.get('/{entity}s/render', (req, res) => {{",
            "  res.send('<h1>' + req.query.title + '</h1>');",
            "});",
        ]
    return [*lines, "", "module.exports = router;"]


def _go_module(entity: str, rng: random.Random, planted: bool) -> list[str]:
    cls = entity.capitalize()
    lines = [
        f"package {entity}",
        "",
        "import (",
        '\t"database/sql"',
        '\t"encoding/json"',
        '\t"net/http"',
        ")",
        "",
        f"type {cls} struct {{",
        '\tID   int64  `json:"id"`',
        '\tName string `json:"name"`',
        "}",
    ]
    for i in range(rng.randint(6, 8)):
        lines += [
            "",
            f"func List{cls}s{i}(db *sql.DB) http.HandlerFunc {{",
            "\treturn func(w http.ResponseWriter, r *http.Request) {",
            '\t\tregion := r.URL.Query().Get("region")',
            f'\t\trows, err := db.QueryContext(r.Context(), "SELECT id, name FROM {entity}s WHERE region = $1", region)',  # noqa: E501 (generated code)
            "\t\tif err != nil {",
            '\t\t\thttp.Error(w, "query failed", http.StatusInternalServerError)',
            "\t\t\treturn",
            "\t\t}",
            "\t\tdefer rows.Close()",
            f"\t\tvar out []{cls}",
            "\t\tfor rows.Next() {",
            f"\t\t\tvar item {cls}",
            "\t\t\tif err := rows.Scan(&item.ID, &item.Name); err != nil {",
            '\t\t\t\thttp.Error(w, "scan failed", http.StatusInternalServerError)',
            "\t\t\t\treturn",
            "\t\t\t}",
            "\t\t\tout = append(out, item)",
            "\t\t}",
            '\t\tw.Header().Set("Content-Type", "application/json")',
            "\t\t_ = json.NewEncoder(w).Encode(out)",
            "\t}",
            "}",
        ]
    if planted:
        lines += [
            "",
            f"func Delete{cls}(db *sql.DB) http.HandlerFunc {{",
            "\treturn func(w http.ResponseWriter, r *http.Request) {",
            '\t\tid := r.URL.Query().Get("id")',
            f'\t\t_, _ = db.Exec("DELETE FROM {entity}s WHERE id = " + id)',
            "\t}",
            "}",
        ]
    return lines


def _java_module(entity: str, rng: random.Random, planted: bool) -> list[str]:
    cls = entity.capitalize()
    lines = [
        f"package com.example.{entity};",
        "",
        "import java.sql.Connection;",
        "import java.sql.PreparedStatement;",
        "import java.sql.ResultSet;",
        "import java.sql.SQLException;",
        "import java.sql.Statement;",
        "import java.util.ArrayList;",
        "import java.util.List;",
        "",
        f"public class {cls}Repository {{",
        "    private final Connection connection;",
        "",
        f"    public {cls}Repository(Connection connection) {{",
        "        this.connection = connection;",
        "    }",
    ]
    for i in range(rng.randint(6, 8)):
        lines += [
            "",
            f"    public List<String> namesByOwner{i}(String owner) throws SQLException {{",
            "        List<String> names = new ArrayList<>();",
            "        try (PreparedStatement stmt = connection.prepareStatement(",
            f'                "SELECT name FROM {entity}s WHERE owner = ? ORDER BY name")) {{',
            "            stmt.setString(1, owner);",
            "            try (ResultSet rs = stmt.executeQuery()) {",
            "                while (rs.next()) {",
            '                    names.add(rs.getString("name"));',
            "                }",
            "            }",
            "        }",
            "        return names;",
            "    }",
        ]
    if planted:
        lines += [
            "",
            "    public int purge(String status) throws SQLException {",
            "        try (Statement stmt = connection.createStatement()) {",
            f'            return stmt.executeUpdate("DELETE FROM {entity}s WHERE status = \'" + status + "\'");',  # noqa: E501 (generated code)
            "        }",
            "    }",
        ]
    return [*lines, "}"]


_LANGUAGES = (
    ("python", "services/{e}/handlers.py", _python_module),
    ("javascript", "web/routes/{e}.js", _javascript_module),
    ("go", "internal/{e}/handlers.go", _go_module),
    ("java", "src/main/java/com/example/{e}/{E}Repository.java", _java_module),
)


def synthetic_pr_files(target_lines: int = TARGET_LINES, seed: int = SEED) -> dict[str, str]:
    """path -> content, about `target_lines` lines in total (never fewer)."""
    rng = random.Random(seed)
    files: dict[str, str] = {}
    total = 0
    round_no = 0
    while total < target_lines:
        for _lang, pattern, build in _LANGUAGES:
            entity = _ENTITIES[round_no % len(_ENTITIES)]
            suffix = "" if round_no < len(_ENTITIES) else str(round_no // len(_ENTITIES))
            path = pattern.format(e=entity + suffix, E=entity.capitalize() + suffix)
            planted = round_no % 3 == 0
            lines = build(entity + suffix, rng, planted)
            files[path] = "\n".join(lines) + "\n"
            total += len(lines)
            if total >= target_lines:
                break
        round_no += 1
    return files


def write_synthetic_pr(root: Path, files: dict[str, str] | None = None) -> list[Path]:
    """Write the files under `root`; returns their paths."""
    written = []
    for relative, content in (files or synthetic_pr_files()).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
