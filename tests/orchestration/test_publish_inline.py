"""The publish step against the sandbox GitHub: the summary plus inline comments for the top
findings; after a push, a finding that survives is never posted inline again, only new ones."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr

from analysis.composer import parse_state
from ingestion.providers.base import inline_fingerprint
from ingestion.providers.github.client import GitHubClient
from ingestion.providers.github.provider import GitHubProvider
from ingestion.sandbox.scenarios.diffs import FileChange, hunk
from ingestion.sandbox.server import SandboxGitHub
from ingestion.sandbox.world import World, build_world
from ingestion.sandbox.world_model import Revision, WorldEvent, WorldPullRequest
from orchestration.pipeline.inbox_batch import PrEvent
from orchestration.pipeline.providers import tenant_providers
from orchestration.pipeline.publish_step import publish_reviews
from orchestration.pipeline.review_step import review_events
from warden.records import REVIEW_COMMENT_MARKER

REPO, NUMBER, PATH = "platform/api", 5, "services/users/repository.py"
OPENED = datetime(2026, 9, 10, 22, 0, tzinfo=UTC)  # after revision 0, before the push


@pytest.fixture
def world() -> World:
    return build_world(datetime(2026, 9, 30, 12, 0, tzinfo=UTC), seed=7)


@pytest.fixture
def sandbox(world: World) -> Iterator[SandboxGitHub]:
    with SandboxGitHub(world, as_of=OPENED) as running:
        yield running


class _OnePull:
    """Stands in for the world when the sandbox is moved to a hand-made revision."""

    def __init__(self, pull: WorldPullRequest) -> None:
        self._pull = pull

    def pull_request(self, tenant_id: str, repository: str, number: int) -> WorldPullRequest:
        return self._pull


def _push_with_a_new_finding(sandbox: SandboxGitHub, world: World) -> None:
    pull = world.pull_request("acme", REPO, NUMBER)
    lines = [
        " ",
        " class UserRepository:",
        "     def __init__(self, connection):",
        "+        self.connection = connection",
        "+",
        "+    def find_by_username(self, value):",
        "+        cursor = self.connection.cursor()",
        "+        cursor.execute(f\"SELECT id, name FROM users WHERE username = '{value}'\")",
        "+        return cursor.fetchone()",
        "+",
        "+    def ping(self, url):",
        "+        return requests.get(url, verify=False)",
        " ",
        "     def count(self):",
    ]
    change = FileChange(PATH, "modified", hunk(41, 41, lines), additions=9, deletions=0)
    revision = Revision(
        "c" * 40, pull.latest.pushed_at + timedelta(hours=1), (change,), frozenset()
    )
    moved = dataclasses.replace(pull, revisions=(*pull.revisions, revision))
    event = WorldEvent(
        revision.pushed_at, "acme", REPO, NUMBER, "synchronize", len(moved.revisions) - 1
    )
    sandbox.store.apply_event(_OnePull(moved), event)  # type: ignore[arg-type]


@pytest.fixture
def setup(sandbox, world, control_plane, settings, scope_factory, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SANDBOX_TOKEN_ACME", world.tenants["acme"].api_token)
    control_plane.create_tenant("acme", "Acme", "test")
    integration = control_plane.add_integration(
        "acme",
        name="github",
        kind="scm",
        provider="github",
        config={"base_url": sandbox.instance_url("acme")},
        credential_ref="env:SANDBOX_TOKEN_ACME",
        webhook_secret_ref=None,
        actor="test",
    )
    control_plane.enable_repository("acme", "github", REPO, None, "test")
    return integration, scope_factory("acme")


def _review_and_publish(sandbox, world, control_plane, settings, integration, scope, seq):  # type: ignore[no-untyped-def]
    client = GitHubClient(
        sandbox.instance_url("acme"), SecretStr(world.tenants["acme"].api_token), max_retries=0
    )
    provider = GitHubProvider("acme", client)
    pr = provider.get_pull_request(REPO, NUMBER).record
    files = [f.record for f in provider.list_changed_files(pr)]
    provider.close()
    event = PrEvent(
        pull_request=pr,
        integration_id=integration.integration_id,
        trigger="webhook",
        delivery_seq=seq,
        raw_payload="{}",
        normaliser_version="test",
    )
    results = review_events(control_plane, scope, [event], {pr.pr_key: files}, {})
    with tenant_providers(control_plane, settings, "acme") as providers:
        posted = publish_reviews(
            control_plane, scope, providers, results, files_by_pr={pr.pr_key: files}
        )
    return results[0].outcome, posted


def _summary(sandbox: SandboxGitHub) -> str:
    bodies = [c.body for c in sandbox.store.issue_comments("acme", REPO, NUMBER)]
    return next(body for body in bodies if REVIEW_COMMENT_MARKER in body)


def _inline(sandbox: SandboxGitHub) -> list[tuple[str | None, int]]:
    stored = sandbox.store.review_comments("acme", REPO, NUMBER)
    return [(inline_fingerprint(c.comment.body), c.comment.line) for c in stored]


def test_summary_and_inline_then_only_new_fingerprints_after_pushes(
    sandbox, world, control_plane, settings, setup
):  # type: ignore[no-untyped-def]
    integration, scope = setup
    args = (sandbox, world, control_plane, settings, integration, scope)
    outcome, posted = _review_and_publish(*args, seq=1)
    sql = next(f for f in outcome.reportable if f.cwe == "CWE-89")
    assert posted[0].action == "created"
    assert _inline(sandbox) == [(sql.fingerprint, sql.start_line)]
    review = sandbox.store.reviews("acme", REPO, NUMBER)[0]
    assert review.state == "COMMENTED" and review.commit_id == outcome.findings[0].head_sha
    assert parse_state(_summary(sandbox)).inline == [sql.fingerprint]

    # push 1: lines move down, the finding survives; the lost state must not cause a repeat
    pushed = world.pull_request("acme", REPO, NUMBER).latest.pushed_at
    sandbox.store.apply_event(world, WorldEvent(pushed, "acme", REPO, NUMBER, "synchronize", 1))
    summary = sandbox.store.issue_comments("acme", REPO, NUMBER)[0]
    sandbox.store.edit_comment("acme", summary.id, f"{REVIEW_COMMENT_MARKER}\nedited by hand")
    moved, _ = _review_and_publish(*args, seq=2)
    moved_sql = next(f for f in moved.reportable if f.cwe == "CWE-89")
    assert moved_sql.fingerprint == sql.fingerprint and moved_sql.start_line != sql.start_line
    assert len(sandbox.store.reviews("acme", REPO, NUMBER)) == 1  # nothing new inline
    assert parse_state(_summary(sandbox)).inline == [sql.fingerprint]  # remembered again

    # push 2: a new finding appears next to the surviving one; only it goes inline
    _push_with_a_new_finding(sandbox, world)
    latest, _ = _review_and_publish(*args, seq=3)
    new = [f for f in latest.reportable if f.fingerprint != sql.fingerprint and f.file_path]
    assert new, "the new TLS finding must be reported"
    reviews = sandbox.store.reviews("acme", REPO, NUMBER)
    assert [r.state for r in reviews] == ["COMMENTED", "COMMENTED"]
    fingerprints = [fp for fp, _ in _inline(sandbox)]
    assert fingerprints.count(sql.fingerprint) == 1
    assert set(fingerprints) == {sql.fingerprint, *(f.fingerprint for f in new)}
    assert set(parse_state(_summary(sandbox)).inline) == set(fingerprints)
