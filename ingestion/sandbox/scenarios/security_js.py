"""JavaScript (Express) changes with a real vulnerability."""

from __future__ import annotations

from ingestion.sandbox.scenarios import (
    SECURITY,
    ScenarioChange,
    ScenarioContext,
    TicketSpec,
    follow_up,
    lead_in,
)
from ingestion.sandbox.scenarios.diffs import FileChange, modified


def _route_change(
    ctx: ScenarioContext,
    *,
    name: str,
    slug: str,
    title: str,
    ticket: TicketSpec,
    path: str,
    at: int,
    before: list[str],
    vulnerable: list[str],
    fixed: list[str],
) -> ScenarioChange:
    def build(is_fixed: bool, shift: int) -> tuple[FileChange, ...]:
        added = lead_in(shift, "//") + (fixed if is_fixed else vulnerable)
        change = modified(
            path,
            at=at,
            before=before,
            removed=[],
            added=added,
            after=["", "module.exports = router;"],
        )
        return (change,)

    revisions, categories = follow_up(ctx.rng, build, SECURITY)
    body = f"{ticket.description} Adds `{path}`."
    return ScenarioChange(name, "javascript", slug, title, body, ticket, revisions, categories)


def child_process_exec(ctx: ScenarioContext) -> ScenarioChange:
    return _route_change(
        ctx,
        name="js_command_injection",
        slug="branch-history-endpoint",
        title="Show recent commits of a branch",
        ticket=TicketSpec(
            "Branch history",
            "Show the last commits of a branch.",
            ("The page lists the last 20 commits of the chosen branch",),
        ),
        path="src/routes/history.js",
        at=1,
        before=[
            "const { exec } = require('child_process');",
            "const router = require('express').Router();",
            "",
        ],
        vulnerable=[
            "router.get('/history', (req, res) => {",
            "  exec(`git log -n 20 --oneline ${req.query.branch}`, (err, stdout) => {",
            "    res.type('text/plain').send(stdout);",
            "  });",
            "});",
        ],
        fixed=[
            "router.get('/history', (req, res) => {",
            "  execFile('git', ['log', '-n', '20', '--oneline', '--', String(req.query.branch)],",
            "    (err, stdout) => res.type('text/plain').send(stdout));",
            "});",
        ],
    )


def js_eval(ctx: ScenarioContext) -> ScenarioChange:
    return _route_change(
        ctx,
        name="js_eval",
        slug="calculator-widget",
        title="Evaluate calculator widget expressions on the server",
        ticket=TicketSpec(
            "Calculator widget",
            "Dashboards can embed a calculator.",
            ("The widget shows the result of the expression the user typed",),
        ),
        path="src/routes/calc.js",
        at=1,
        before=["const router = require('express').Router();", ""],
        vulnerable=[
            "router.post('/calc', (req, res) => {",
            "  const result = eval(req.body.expression);",
            "  res.json({ result });",
            "});",
        ],
        fixed=[
            "router.post('/calc', (req, res) => {",
            "  const result = evaluateArithmetic(String(req.body.expression));",
            "  res.json({ result });",
            "});",
        ],
    )


def reflected_xss(ctx: ScenarioContext) -> ScenarioChange:
    return _route_change(
        ctx,
        name="js_reflected_xss",
        slug="greeting-page",
        title="Greet returning visitors by name",
        ticket=TicketSpec(
            "Personal greeting",
            "Returning visitors see their name.",
            ("The landing page greets the visitor by the name in the link",),
        ),
        path="src/routes/greet.js",
        at=1,
        before=["const router = require('express').Router();", ""],
        vulnerable=[
            "router.get('/hello', (req, res) => {",
            "  res.send('<h1>Hello ' + req.query.name + '</h1>');",
            "});",
        ],
        fixed=[
            "router.get('/hello', (req, res) => {",
            "  res.render('hello', { name: req.query.name });",
            "});",
        ],
    )


def js_sql_concat(ctx: ScenarioContext) -> ScenarioChange:
    return _route_change(
        ctx,
        name="js_sql_injection",
        slug="order-detail-endpoint",
        title="Order detail endpoint",
        ticket=TicketSpec(
            "Order detail",
            "Customers can open one order.",
            ("A customer can open the detail page of one of their orders",),
        ),
        path="src/routes/orders.js",
        at=1,
        before=["const db = require('../db');", "const router = require('express').Router();", ""],
        vulnerable=[
            "router.get('/orders/:id', async (req, res) => {",
            "  const rows = await db.query('SELECT * FROM orders WHERE id = ' + req.params.id);",
            "  res.json(rows[0]);",
            "});",
        ],
        fixed=[
            "router.get('/orders/:id', async (req, res) => {",
            "  const rows = await db.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);",
            "  res.json(rows[0]);",
            "});",
        ],
    )


SCENARIOS = {
    "js_command_injection": child_process_exec,
    "js_eval": js_eval,
    "js_reflected_xss": reflected_xss,
    "js_sql_injection": js_sql_concat,
}
