"""Good changes: parameterised queries, constant commands, code that matches its ticket."""

from __future__ import annotations

from ingestion.sandbox.scenarios import CLEAN, ScenarioChange, ScenarioContext, TicketSpec
from ingestion.sandbox.scenarios.diffs import added_file, binary_file, modified


def _clean(
    name: str, language: str, slug: str, title: str, body: str, ticket: TicketSpec, files: tuple
) -> ScenarioChange:
    return ScenarioChange(name, language, slug, title, body, ticket, (files,), (CLEAN,))


def parameterised_query(ctx: ScenarioContext) -> ScenarioChange:
    path = f"{ctx.py_root}/reports/queries.py"
    return _clean(
        "clean_parameterised_query",
        "python",
        "monthly-revenue-report",
        "Monthly revenue report",
        "Adds the query behind the revenue report.",
        TicketSpec(
            "Monthly revenue report",
            "Finance wants revenue per month.",
            ("The report shows revenue per calendar month for a chosen year",),
        ),
        (
            modified(
                path,
                at=30,
                before=["def revenue_by_month(connection, year):"],
                removed=["    return []"],
                added=[
                    "    cursor = connection.cursor()",
                    "    cursor.execute(",
                    '        "SELECT month, SUM(amount) FROM invoices "',
                    '        "WHERE year = %s GROUP BY month",',
                    "        (year,),",
                    "    )",
                    "    return cursor.fetchall()",
                ],
                after=["", ""],
            ),
        ),
    )


def constant_command(ctx: ScenarioContext) -> ScenarioChange:
    path = f"{ctx.py_root}/ops/version.py"
    return _clean(
        "clean_constant_command",
        "python",
        "expose-build-version",
        "Expose the build version",
        "Shows the git revision on the status page.",
        TicketSpec(
            "Build version on status page",
            "Support asks which build is live.",
            ("The status page shows the deployed git revision",),
        ),
        (
            added_file(
                path,
                [
                    "import subprocess",
                    "",
                    "",
                    "def git_revision():",
                    '    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"],',
                    "                            capture_output=True, text=True, check=True)",
                    "    return result.stdout.strip()",
                ],
            ),
        ),
    )


def lockout_as_specified(ctx: ScenarioContext) -> ScenarioChange:
    wanted = ctx.rng.choice([3, 5])
    path = f"{ctx.py_root}/auth/throttle.py"
    return _clean(
        "clean_matches_ticket",
        "python",
        "throttle-sign-in",
        "Throttle sign-in attempts",
        "Implements the throttle exactly as the ticket says.",
        TicketSpec(
            "Throttle sign-in attempts",
            "Slow down credential stuffing.",
            (f"After {wanted} failed sign-in attempts further attempts wait 60 seconds",),
        ),
        (
            added_file(
                path,
                [
                    f"MAX_ATTEMPTS_BEFORE_DELAY = {wanted}",
                    "DELAY_SECONDS = 60",
                    "",
                    "",
                    "def delay_for(failed_attempts):",
                    "    if failed_attempts >= MAX_ATTEMPTS_BEFORE_DELAY:",
                    "        return DELAY_SECONDS",
                    "    return 0",
                ],
            ),
        ),
    )


def docs_and_assets(ctx: ScenarioContext) -> ScenarioChange:
    return _clean(
        "clean_docs_and_assets",
        "javascript",
        "refresh-readme-logo",
        "Refresh README and logo",
        "Docs only, plus the new logo.",
        TicketSpec(
            "Refresh the README",
            "The setup steps are out of date.",
            ("The README lists the current setup steps",),
        ),
        (
            modified(
                "README.md",
                at=1,
                before=["# Web"],
                removed=["Run `make dev`."],
                added=["Run `npm install` then `npm run dev`.", "", "Requires Node 20."],
                after=[""],
            ),
            binary_file("public/logo.png"),
        ),
    )


def safe_route(ctx: ScenarioContext) -> ScenarioChange:
    return _clean(
        "clean_js_route",
        "javascript",
        "health-endpoint",
        "Add a health endpoint",
        "For the load balancer.",
        TicketSpec(
            "Health endpoint",
            "The load balancer needs a health check.",
            ("GET /healthz returns 200 when the app is up",),
        ),
        (
            added_file(
                "src/routes/health.js",
                [
                    "const router = require('express').Router();",
                    "",
                    "router.get('/healthz', (req, res) => res.status(200).json({ ok: true }));",
                    "",
                    "module.exports = router;",
                ],
            ),
        ),
    )


SCENARIOS = {
    "clean_parameterised_query": parameterised_query,
    "clean_constant_command": constant_command,
    "clean_matches_ticket": lockout_as_specified,
    "clean_docs_and_assets": docs_and_assets,
    "clean_js_route": safe_route,
}
