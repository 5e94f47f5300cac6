"""FIXTURE ONLY: a hand-built serving snapshot with exactly the mart columns of the brief.

The real marts are built by dbt and tested under tests/dbt_project and tests/e2e; here two
tenants get serving DuckDB files with COLLIDING repository names and PR numbers, and a real
SQLite control plane where the analyst is a member of exactly one of them. The snapshot
builder lives in `serving_fixture`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.dashboard.serving_fixture import (
    SeedFinding,
    SeedPr,
    SeedVerdict,
    risk_score,
    write_serving_snapshot,
)
from warden.controlplane import connect_control_plane
from warden.settings import Settings, load_settings
from warden.tenancy import TenantScope

MEMBER_TENANT = "acme"
OTHER_TENANT = "globex"
EMPTY_TENANT = "initech"  # a member tenant with no serving snapshot yet
ANALYST = "analyst@acme.test"
NEWCOMER = "newcomer@initech.test"
OUTSIDER = "outsider@nowhere.test"


@dataclass(frozen=True)
class ServingWorld:
    """Paths and facts the dashboard tests assert against."""

    data_dir: Path
    settings: Settings
    member_titles: tuple[str, ...]  # riskiest first
    other_titles: tuple[str, ...]

    member_tenant = MEMBER_TENANT
    other_tenant = OTHER_TENANT
    empty_tenant = EMPTY_TENANT
    analyst = ANALYST  # member of member_tenant only
    newcomer = NEWCOMER  # member of empty_tenant only
    outsider = OUTSIDER  # member of nothing

    @property
    def member_pr_refs(self) -> list[tuple[str, int]]:
        return [(p.repository, p.number) for p in MEMBER_PRS]

    def republish_member_snapshot(self, titles: list[str]) -> None:
        """FIXTURE: replace the member tenant's snapshot with open PRs titled `titles` (an
        older snapshot: no fct_criterion_verdicts table)."""
        scope = TenantScope.for_tenant(self.settings.tenants_dir, MEMBER_TENANT)
        scope.serving_path.unlink()
        prs = [SeedPr("platform/api", 100 + i, title, "open") for i, title in enumerate(titles)]
        write_serving_snapshot(scope, prs, [])


MEMBER_PRS = [
    SeedPr(
        "platform/api",
        12,
        "Acme: raw SQL in account search",
        "open",
        comment_url="https://github.example/platform/api/pull/12#issuecomment-1",
    ),
    SeedPr("platform/api", 7, "Acme: token logged on refresh", "merged"),
    SeedPr("platform/web", 12, "Acme: tidy button styles", "open"),
    SeedPr("platform/web", 3, "Acme: drop legacy banner", "closed"),
]
MEMBER_FINDINGS = [
    SeedFinding(
        "platform/api",
        12,
        "sql-injection",
        "security",
        "critical",
        "User input is concatenated into SQL.",
        'cursor.execute("SELECT * FROM accounts WHERE name = \'" + name + "\'")',
        cwe="CWE-89",
        file_path="api/search.py",
        line=42,
    ),
    SeedFinding(
        "platform/api",
        12,
        "no-print-in-services",
        "standards",
        "low",
        "print() in a service.",
        'print("searching")',
        day_offset=1,
    ),
    SeedFinding(
        "platform/api",
        7,
        "secret-in-log",
        "security",
        "medium",
        "A refresh token is written to the log.",
        "log.info(token)",
        cwe="CWE-532",
        file_path="api/auth.py",
        day_offset=1,
    ),
    SeedFinding(
        "platform/web",
        12,
        "ENG-1-criterion-2",
        "requirement_drift",
        "low",
        "Acceptance criterion 'locked account returns 423' is not covered.",
        "return Response(status=401)",
        file_path="web/login.ts",
        day_offset=2,
    ),
    SeedFinding(
        "platform/web",
        12,
        "css-important",
        "standards",
        "info",
        "Avoid !important.",
        "color: red !important;",
        status="resolved",
        file_path="web/button.css",
        day_offset=2,
    ),
    SeedFinding(
        "platform/web",
        3,
        "old-banner",
        "standards",
        "low",
        "Removed banner still referenced.",
        "<Banner />",
        status="resolved",
        file_path="web/app.tsx",
        day_offset=3,
    ),
]
MEMBER_VERDICTS = [
    SeedVerdict(
        "platform/api",
        12,
        "ENG-1",
        "After 5 failed login attempts the account is locked for 15 minutes",
        "not_met",
        "the criterion says 5 attempts; api/auth.py:12 says 3",
        ("api/auth.py:12: MAX_ATTEMPTS = 3",),
    ),
    SeedVerdict(
        "platform/api",
        12,
        "ENG-1",
        "A locked account returns HTTP 423",
        "met",
        "a test in the change names it",
        ("tests/test_lockout.py:8", "api/auth.py:30"),
    ),
    SeedVerdict(
        "platform/api",
        12,
        "ENG-2",
        "Admins can unlock an account",
        "needs_human",
        "partial evidence: 1/3 terms in the added code",
        source="llm",
    ),
]
OTHER_PRS = [  # same repositories and numbers, far riskier: a leak would top the list
    SeedPr("platform/api", 12, "Globex: SECRET merger pipeline", "open"),
    SeedPr("platform/api", 7, "Globex: SECRET payroll export", "merged"),
    SeedPr("platform/web", 12, "Globex: SECRET launch page", "open"),
]
OTHER_FINDINGS = [
    SeedFinding(
        repo,
        number,
        f"globex-rule-{number}",
        "security",
        "critical",
        "Globex secret finding.",
        "GLOBEX_EVIDENCE_DO_NOT_LEAK",
        confidence=1.0,
    )
    for repo, number in (("platform/api", 12), ("platform/api", 7), ("platform/web", 12))
]


OTHER_VERDICTS = [  # same PR and ticket key as the member's: a leak would show up
    SeedVerdict(
        "platform/api",
        12,
        "ENG-1",
        "GLOBEX criterion: merger stays confidential",
        "not_met",
        "GLOBEX reason",
        ("globex/merger.py:1",),
    )
]


def build_world(data_dir: Path) -> ServingWorld:
    """FIXTURE: two tenants' snapshots, a member tenant without one, a control plane."""
    settings = load_settings(data_dir=data_dir, control_plane_url=None)
    control_plane = connect_control_plane(settings.resolved_control_plane_url)
    try:
        for tenant in (MEMBER_TENANT, OTHER_TENANT, EMPTY_TENANT):
            control_plane.create_tenant(tenant, tenant.title(), actor="fixture")
        control_plane.add_member(MEMBER_TENANT, ANALYST, "analyst", actor="fixture")
        control_plane.add_member(EMPTY_TENANT, NEWCOMER, "viewer", actor="fixture")
        control_plane.ensure_user(OUTSIDER)
    finally:
        control_plane.dispose()
    write_serving_snapshot(
        TenantScope.for_tenant(settings.tenants_dir, MEMBER_TENANT),
        MEMBER_PRS,
        MEMBER_FINDINGS,
        MEMBER_VERDICTS,
    )
    write_serving_snapshot(
        TenantScope.for_tenant(settings.tenants_dir, OTHER_TENANT),
        OTHER_PRS,
        OTHER_FINDINGS,
        OTHER_VERDICTS,
    )
    member_order = sorted(MEMBER_PRS, key=lambda p: -risk_score(p, MEMBER_FINDINGS))
    return ServingWorld(
        data_dir=data_dir,
        settings=settings,
        member_titles=tuple(p.title for p in member_order),
        other_titles=tuple(p.title for p in OTHER_PRS),
    )


@pytest.fixture(scope="session")
def serving_world(tmp_path_factory: pytest.TempPathFactory) -> ServingWorld:
    """The shared, read-only fixture world (tests must not modify it)."""
    return build_world(tmp_path_factory.mktemp("warden-data"))


@pytest.fixture
def fresh_world(tmp_path: Path) -> ServingWorld:
    """A private fixture world a test may modify."""
    return build_world(tmp_path / "data")


@pytest.fixture
def dashboard_env(monkeypatch: pytest.MonkeyPatch, serving_world: ServingWorld):
    """Point the dashboard at the fixture world; call with the user to act as."""

    def act_as(email: str, world: ServingWorld | None = None) -> ServingWorld:
        world = world or serving_world
        monkeypatch.setenv("WARDEN_DATA_DIR", str(world.data_dir))
        monkeypatch.setenv("WARDEN_DASHBOARD_USER", email)
        # explicit, so a developer's .env can never point the app elsewhere
        monkeypatch.setenv("WARDEN_CONTROL_PLANE_URL", world.settings.resolved_control_plane_url)
        return world

    return act_as
