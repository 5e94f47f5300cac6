"""Identifiers chosen through an allow-list: ORDER BY columns and directions looked up in a
literal table (object, `Map`, frozen object), accepted by a membership test (`includes`,
`has`, `in`, `Object.hasOwn`, `indexOf`), an equality test, or a `switch` on literal labels
are one of the file's literals. A table filled at run time, a test on another variable, a
branch that keeps the raw value, or a check without an exit are still injection."""

import pytest

from tests.analysis.security.review import review, rule_lines

OPEN = [
    "const express = require('express');",
    "const { pool } = require('../db');",
    "const router = express.Router();",
    "const COLUMNS = ['placed_at', 'amount_cents', 'state'];",
    "const ORDERABLE = new Set(['placed_at', 'amount_cents']);",
    "const BY_KEY = { placed: 'placed_at', amount: 'amount_cents' };",
    "const SORT_MAP = new Map([['placed', 'placed_at'], ['amount', 'amount_cents']]);",
    "const FROZEN = Object.freeze({ placed: 'placed_at', amount: 'amount_cents' });",
    "router.get('/invoices', async (req, res) => {",
]
QUERY = "  const [rows] = await pool.query(`SELECT * FROM invoices ORDER BY ${col} ${dir}`);"
CLOSE = ["  res.json(rows);", "});"]


def _findings(build, body, *, content=True):
    code = [*OPEN, *body, QUERY, *CLOSE]
    found = rule_lines(review(build, "src/routes/invoices.js", code, content=content))
    return found, len(OPEN) + len(body) + 1


SAFE_DIR = "  const dir = 'DESC';"

NEAR_MISSES = [
    # lookups in literal tables: an element, or the literal fallback
    ["  const col = BY_KEY[req.query.sort] ?? 'placed_at';", SAFE_DIR],
    ["  const col = FROZEN[req.query.sort] || 'placed_at';", SAFE_DIR],
    ["  const col = SORT_MAP.get(req.query.sort) ?? 'placed_at';", SAFE_DIR],
    ["  const col = COLUMNS.find((c) => c === req.query.sort) ?? 'placed_at';", SAFE_DIR],
    # membership tests choosing the value
    ["  const { sort } = req.query;", "  const col = COLUMNS.includes(sort) ? sort : 'state';",
     SAFE_DIR],
    ["  const col = ORDERABLE.has(req.query.sort) ? req.query.sort : 'placed_at';", SAFE_DIR],
    ["  const col = !COLUMNS.includes(req.query.sort) ? 'state' : req.query.sort;", SAFE_DIR],
    ["  const col = ['a', 'b'].includes(req.query.sort) ? req.query.sort : 'a';", SAFE_DIR],
    # membership tests with an early exit, or as an assertion
    ["  const col = req.query.sort;", "  if (!ORDERABLE.has(col)) return res.status(400).end();",
     SAFE_DIR],
    ["  const col = req.query.sort;", "  if (COLUMNS.indexOf(col) === -1) throw new Error('col');",
     SAFE_DIR],
    ["  const col = req.query.sort;", "  if (!(col in BY_KEY)) return res.sendStatus(400);",
     SAFE_DIR],
    ["  const col = req.query.sort;",
     "  if (!Object.hasOwn(FROZEN, col)) return res.sendStatus(400);", SAFE_DIR],
    ["  const col = req.query.sort;",
     "  if (!Object.keys(BY_KEY).includes(col)) return res.sendStatus(400);", SAFE_DIR],
    ["  const col = req.query.sort;", "  assert(COLUMNS.includes(col));", SAFE_DIR],
    # equality with literals
    ["  const col = 'state';", "  const dir = req.query.dir === 'asc' ? 'ASC' : 'DESC';"],
    ["  const col = 'state';", "  const d = String(req.query.dir).toUpperCase();",
     "  const dir = d === 'ASC' || d === 'DESC' ? d : 'DESC';"],
    ["  const col = 'state';", "  const dir = req.query.dir;",
     "  if (dir !== 'ASC' && dir !== 'DESC') return res.status(400).end();"],
    # switch statements: a mapping, a case clause, a default that exits
    ["  let col;", "  switch (req.query.sort) {", "    case 'amount': col = 'amount_cents'; break;",
     "    default: col = 'placed_at';", "  }", SAFE_DIR],
    ["  const col = req.query.sort;", "  switch (col) {", "    case 'state':",
     "    case 'placed_at':", "      break;", "    default:", "      return res.sendStatus(400);",
     "  }", SAFE_DIR],
]  # fmt: skip


@pytest.mark.parametrize("body", NEAR_MISSES)
def test_identifier_chosen_through_an_allow_list_stays_quiet(build, body):
    found, _ = _findings(build, body)
    assert found == [], found


def test_switch_case_clause_holds_its_literal_label(build):
    body = [
        "  const col = 'placed_at';",
        "  const dir = 'ASC';",
        "  switch (req.query.sort) {",
        "    case 'state':",
        "    case 'amount_cents':",
        "      await pool.query(`SELECT * FROM invoices ORDER BY ${req.query.sort}`);",
        "      break;",
        "    default:",
        "      await pool.query(`SELECT * FROM invoices ORDER BY ${req.query.sort} DESC`);",
        "  }",
    ]
    found, _ = _findings(build, body)
    assert found == [("sql-injection", len(OPEN) + 9)], found


def test_enum_values_are_a_literal_table(build):
    code = [
        "import { Router } from 'express';",
        "import { pool } from '../db';",
        "enum SortColumn { Placed = 'placed_at', Amount = 'amount_cents' }",
        "export const router = Router();",
        "router.get('/invoices', async (req, res) => {",
        "  const col = req.query.sort as string;",
        "  if (!Object.values(SortColumn).includes(col as SortColumn)) {",
        "    return res.status(400).json({ error: 'sort' });",
        "  }",
        "  const [rows] = await pool.query(`SELECT * FROM invoices ORDER BY ${col}`);",
        "  res.json(rows);",
        "});",
    ]
    assert rule_lines(review(build, "src/routes/invoices.ts", code)) == []


POSITIVES = [
    # the raw value, or the raw value as the fallback of a lookup
    ["  const col = req.query.sort;", SAFE_DIR],
    ["  const col = BY_KEY[req.query.sort] ?? req.query.sort;", SAFE_DIR],
    # the branch that keeps the value is the one where the test failed
    ["  const { sort } = req.query;", "  const col = COLUMNS.includes(sort) ? 'state' : sort;",
     SAFE_DIR],
    # collections filled at run time are not allow-lists
    ["  const allowed = await loadColumns();", "  const col = req.query.sort;",
     "  if (!allowed.includes(col)) return res.sendStatus(400);", SAFE_DIR],
    ["  let allowed = ['state'];", "  const col = req.query.sort;",
     "  if (!allowed.includes(col)) return res.sendStatus(400);", SAFE_DIR],
    ["  const allowed = new Set(req.body.columns);", "  const col = req.query.sort;",
     "  if (!allowed.has(col)) return res.sendStatus(400);", SAFE_DIR],
    ["  const allowed = [req.query.extra, 'state'];", "  const col = req.query.sort;",
     "  if (!allowed.includes(col)) return res.sendStatus(400);", SAFE_DIR],
    ["  const lookup = new Map(Object.entries(req.body));",
     "  const col = lookup.get(req.query.sort) ?? 'state';", SAFE_DIR],
    # a table name the file also binds to request data
    ["  const COLUMNS = req.body.columns;", "  const col = req.query.sort;",
     "  if (!COLUMNS.includes(col)) return res.sendStatus(400);", SAFE_DIR],
    # the test is on another value, or does not leave the handler
    ["  const col = req.query.sort;", "  const other = req.query.other;",
     "  if (!COLUMNS.includes(other)) return res.sendStatus(400);", SAFE_DIR],
    ["  const col = req.query.sort;", "  if (!COLUMNS.includes(col)) console.warn('odd sort');",
     SAFE_DIR],
    # direction: only the inequality branch keeps the raw value
    ["  const col = 'state';",
     "  const dir = req.query.dir !== 'asc' ? req.query.dir : 'DESC';"],
    # switch: a default that does not exit, a non-literal label, a default falling through
    ["  const col = req.query.sort;",
     "  switch (col) { case 'state': break; default: console.warn('odd'); }", SAFE_DIR],
    ["  const col = req.query.sort;",
     "  switch (col) { case 'state': case OTHER: break; default: return res.sendStatus(400); }",
     SAFE_DIR],
    ["  let col = 'state';", "  switch (req.query.sort) {", "    default:", "    case 'amount':",
     "      col = req.query.sort;", "  }", SAFE_DIR],
]  # fmt: skip


@pytest.mark.parametrize("body", POSITIVES)
def test_value_not_pinned_to_a_literal_is_injection(build, body):
    found, query_line = _findings(build, body)
    assert found == [("sql-injection", query_line)], found


@pytest.mark.parametrize("content", [True, False], ids=["head", "patch-only"])
def test_allow_lists_hold_on_the_head_file_and_on_the_patch(build, content):
    safe, _ = _findings(build, NEAR_MISSES[8], content=content)
    unsafe, line = _findings(build, POSITIVES[3], content=content)
    assert (safe, unsafe) == ([], [("sql-injection", line)])
