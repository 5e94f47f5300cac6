"""The fixture world: deterministic, colliding across tenants, realistic diffs, folders."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import yaml

from ingestion.sandbox.world import World, build_world

HUNK = re.compile(r"^@@ -(\d+),(\d+) \+(\d+),(\d+) @@")


def test_same_inputs_build_the_same_world(world: World) -> None:
    again = build_world(world.now, seed=world.seed)
    assert again.expected_labels() == world.expected_labels()
    assert [e.at for e in again.events()] == [e.at for e in world.events()]
    other = build_world(world.now, seed=world.seed + 1)
    assert other.expected_labels() != world.expected_labels()


def test_tenants_collide_on_repositories_numbers_and_ticket_keys(world: World) -> None:
    acme, globex = world.tenants["acme"], world.tenants["globex"]
    assert "platform/api" in acme.repositories and "platform/api" in globex.repositories
    acme_ids = {(p.repository, p.number) for p in acme.pull_requests}
    globex_ids = {(p.repository, p.number) for p in globex.pull_requests}
    assert len(acme_ids & globex_ids) >= 5
    assert {t.key for t in acme.tickets} & {t.key for t in globex.tickets}
    assert acme.api_token != globex.api_token and acme.webhook_secret != globex.webhook_secret


def test_prs_span_sixty_days_and_reference_tickets(world: World) -> None:
    for pr in world.pull_requests():
        assert world.now - timedelta(days=61) <= pr.created_at <= pr.updated_at <= world.now
        assert all(key in pr.head_ref for key in pr.ticket_keys)
        assert re.fullmatch(r"[A-Z][A-Z0-9]{1,9}-\d{1,6}", pr.ticket_keys[0])
    assert len(world.pull_requests("acme")) >= 24
    events = world.events()
    assert events == sorted(events, key=lambda e: e.at)


def test_every_category_and_follow_up_push_is_represented(world: World) -> None:
    categories = Counter(
        c for pr in world.pull_requests() for r in pr.revisions for c in r.expected_categories
    )
    assert {"security", "requirement_drift", "standards"} <= set(categories)
    assert any(not pr.expected_categories for pr in world.pull_requests())
    fixed = [
        pr
        for pr in world.pull_requests()
        if len(pr.revisions) > 1
        and pr.revisions[0].expected_categories
        and not pr.latest.expected_categories
    ]
    assert fixed, "some PRs get a second push that fixes the problem"


def test_hunk_headers_agree_with_their_lines(world: World) -> None:
    for pr in world.pull_requests():
        for revision in pr.revisions:
            for change in revision.files:
                if change.patch is None:
                    continue
                header, *lines = change.patch.split("\n")
                _, old_count, _, new_count = map(int, HUNK.match(header).groups())
                assert old_count == sum(1 for line in lines if line[0] in " -")
                assert new_count == sum(1 for line in lines if line[0] in " +")
                assert change.additions == sum(1 for line in lines if line[0] == "+")


def test_folders_hold_tickets_and_rules_that_match_the_standards_prs(
    world: World, tmp_path
) -> None:
    folders = world.write_folders(tmp_path)
    for tenant_id, (tickets_dir, docs_dir) in folders.items():
        ticket_files = sorted(tickets_dir.glob("*.md"))
        assert len(ticket_files) == len(world.tenants[tenant_id].tickets)
        text = ticket_files[0].read_text()
        front = yaml.safe_load(text.split("---")[1])
        assert set(front) == {"key", "title", "status", "updated"}
        assert "## Acceptance criteria\n- [ ] " in text
        docs = "\n".join(p.read_text() for p in docs_dir.rglob("*.md"))
        assert "kind: threat_model" in docs
        rules = [
            yaml.safe_load(block) for block in re.findall(r"```warden-rule\n(.*?)```", docs, re.S)
        ]
        assert {r["id"] for r in rules} == set(world.tenants[tenant_id].rule_ids)
        for pr in world.pull_requests(tenant_id):
            added = [
                line[1:]
                for f in pr.revisions[0].files
                if f.patch
                for line in f.patch.split("\n")
                if line.startswith("+")
            ]
            hits = any(re.search(r["forbid"], line) for r in rules for line in added)
            assert hits == ("standards" in pr.revisions[0].expected_categories), pr.scenario
