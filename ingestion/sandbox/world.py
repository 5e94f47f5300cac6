"""A deterministic fixture world: two tenants whose repositories, PR numbers and ticket keys
collide on purpose, dozens of PRs each over 60 simulated days, tickets and docs.

    world = build_world(now=datetime(2026, 9, 30, tzinfo=UTC), seed=7)
    world.write_folders(tmp_path)           # {tenant: (tickets_dir, docs_dir)}
    world.events()                          # opened / synchronize / closed, in time order
    world.expected_labels()                 # (tenant, pr_key) -> scenario + categories
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ingestion.sandbox.scenarios import ScenarioChange, ScenarioContext, all_scenarios
from ingestion.sandbox.world_docs import TENANT_RULES, tenant_documents, write_tenant_folders
from ingestion.sandbox.world_model import (
    Revision,
    WorldEvent,
    WorldPullRequest,
    WorldTenant,
    WorldTicket,
)

SPAN = timedelta(days=60)
TICKET_PREFIX = "ENG"  # both tenants use it: equal keys, different tickets


@dataclass(frozen=True)
class TenantBlueprint:
    tenant_id: str
    company: str
    py_root: str
    repositories: dict[str, str]  # full name -> language
    authors: tuple[str, ...]


BLUEPRINTS = (
    TenantBlueprint(
        "acme",
        "Acme",
        "services",
        {"platform/api": "python", "platform/web": "javascript", "acme/billing": "python"},
        ("alice-dev", "bob-ops", "carol-sec", "dan-frontend"),
    ),
    TenantBlueprint(
        "globex",
        "Globex",
        "src",
        {"platform/api": "python", "platform/web": "javascript", "globex/data-pipeline": "python"},
        ("hank-scorpio", "marge-eng", "frank-qa", "lisa-sre"),
    ),
)


@dataclass(frozen=True)
class ExpectedLabel:
    scenario: str
    expected_categories: frozenset[str]  # for the latest head
    by_head_sha: dict[str, frozenset[str]]


@dataclass(frozen=True)
class World:
    now: datetime
    seed: int
    tenants: dict[str, WorldTenant]

    @property
    def start(self) -> datetime:
        """Before the first event: `SandboxGitHub(world, as_of=world.start)` starts empty."""
        return self.now - SPAN - timedelta(days=1)

    def pull_requests(self, tenant_id: str | None = None) -> list[WorldPullRequest]:
        chosen = [self.tenants[tenant_id]] if tenant_id else list(self.tenants.values())
        return [pr for tenant in chosen for pr in tenant.pull_requests]

    def pull_request(self, tenant_id: str, repository: str, number: int) -> WorldPullRequest:
        for pr in self.tenants[tenant_id].pull_requests:
            if pr.repository == repository and pr.number == number:
                return pr
        raise KeyError(f"{tenant_id}: no PR {repository}#{number}")

    def events(self, until: datetime | None = None) -> list[WorldEvent]:
        """Every PR event up to `until` (default: all), ordered by time then identity."""
        found: list[WorldEvent] = []
        for pr in self.pull_requests():
            key = (pr.tenant_id, pr.repository, pr.number)
            found.append(WorldEvent(pr.created_at, *key, "opened", 0))
            for index, revision in enumerate(pr.revisions[1:], start=1):
                found.append(WorldEvent(revision.pushed_at, *key, "synchronize", index))
            if pr.closed_at is not None:
                found.append(WorldEvent(pr.closed_at, *key, "closed", len(pr.revisions) - 1))
        order = {"opened": 0, "synchronize": 1, "closed": 2}
        found.sort(key=lambda e: (e.at, e.tenant_id, e.repository, e.number, order[e.action]))
        return [event for event in found if until is None or event.at <= until]

    def expected_labels(self) -> dict[tuple[str, str], ExpectedLabel]:
        return {
            (pr.tenant_id, pr.pr_key): ExpectedLabel(
                pr.scenario,
                pr.expected_categories,
                {rev.head_sha: rev.expected_categories for rev in pr.revisions},
            )
            for pr in self.pull_requests()
        }

    def write_folders(self, root: Path) -> dict[str, tuple[Path, Path]]:
        """Write each tenant's tickets and docs folders under `root`."""
        return {
            tid: write_tenant_folders(tenant, Path(root)) for tid, tenant in self.tenants.items()
        }


def _sha(*parts: object) -> str:
    return hashlib.sha1(":".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()


def _seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def _place_ticket_key(rng: random.Random, change: ScenarioChange, key: str) -> tuple[str, str, str]:
    """(branch, title, body): the key always sits in the branch, sometimes in title/body too."""
    kind = "fix" if change.name.startswith(("drift", "clean_matches")) else "feature"
    branch = f"{kind}/{key}-{change.slug}"
    title = f"{key}: {change.title}" if rng.random() < 0.5 else change.title
    body = f"{change.body}\n\nImplements {key}." if rng.random() < 0.6 else change.body
    return branch, title, body


def _build_tenant(blueprint: TenantBlueprint, now: datetime, seed: int, count: int) -> WorldTenant:
    tenant_id = blueprint.tenant_id
    rng = random.Random(f"{seed}:{tenant_id}")
    scenarios = all_scenarios()
    names = sorted(scenarios)
    # every scenario once (when there is room), the rest drawn at random, then shuffled
    order = names[:]
    rng.shuffle(order)
    order = (order + [rng.choice(names) for _ in range(max(0, count - len(names)))])[:count]
    rng.shuffle(order)
    rule_ids = frozenset(TENANT_RULES[tenant_id])
    next_number = dict.fromkeys(blueprint.repositories, 1)
    pull_requests: list[WorldPullRequest] = []
    tickets: list[WorldTicket] = []
    step = SPAN / count
    for index, name in enumerate(order):
        pr_rng = random.Random(f"{seed}:{tenant_id}:{index}")
        ctx = ScenarioContext(tenant_id, pr_rng, blueprint.py_root, rule_ids)
        change = scenarios[name](ctx)
        repos = sorted(r for r, lang in blueprint.repositories.items() if lang == change.language)
        repository = pr_rng.choice(repos)
        number = next_number[repository]
        next_number[repository] += 1
        created = _seconds(now - SPAN + step * (index + pr_rng.random() * 0.8))
        pushed = created
        revisions = []
        for rev_index, (files, categories) in enumerate(
            zip(change.revisions, change.revision_categories, strict=True)
        ):
            if rev_index:
                pushed = _seconds(pushed + timedelta(hours=pr_rng.uniform(2, 20)))
            head = _sha(tenant_id, repository, number, "head", rev_index)
            revisions.append(Revision(head, pushed, files, categories))
        closed_at, merged = None, False
        closing = _seconds(pushed + timedelta(hours=pr_rng.uniform(6, 48)))
        if closing < now - timedelta(hours=1) and pr_rng.random() < 0.7:
            closed_at, merged = closing, pr_rng.random() < 0.8
        key = f"{TICKET_PREFIX}-{10 + index}"
        branch, title, body = _place_ticket_key(pr_rng, change, key)
        if change.ticket is not None:
            tickets.append(WorldTicket(key, change.ticket, created - timedelta(days=1)))
        pull_requests.append(
            WorldPullRequest(
                tenant_id=tenant_id,
                repository=repository,
                number=number,
                title=title,
                body=body,
                author=pr_rng.choice(blueprint.authors),
                head_ref=branch,
                base_ref="main",
                base_sha=_sha(tenant_id, repository, number, "base"),
                created_at=created,
                revisions=tuple(revisions),
                closed_at=closed_at,
                merged=merged,
                scenario=change.name,
                ticket_keys=(key,) if change.ticket is not None else (),
            )
        )
    return WorldTenant(
        tenant_id=tenant_id,
        api_token=f"sandbox-token-{tenant_id}",
        webhook_secret=f"sandbox-webhook-secret-{tenant_id}",
        repositories=tuple(blueprint.repositories),
        pull_requests=tuple(pull_requests),
        tickets=tuple(tickets),
        documents=tenant_documents(tenant_id, blueprint.company),
        rule_ids=rule_ids,
    )


def build_world(now: datetime, seed: int = 7, prs_per_tenant: int = 30) -> World:
    """The same (now, seed, prs_per_tenant) always builds the same world."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if prs_per_tenant < 1:
        raise ValueError("prs_per_tenant must be >= 1")
    tenants = {bp.tenant_id: _build_tenant(bp, now, seed, prs_per_tenant) for bp in BLUEPRINTS}
    return World(now=now, seed=seed, tenants=tenants)
