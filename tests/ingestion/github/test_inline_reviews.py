"""Inline review comments: the sandbox's review endpoints follow GitHub's contracts, and the
provider posts one COMMENT review on RIGHT-side lines, never the same fingerprint twice."""

from __future__ import annotations

import httpx
from pydantic import SecretStr

from ingestion.providers.base import InlineComment, inline_fingerprint
from ingestion.providers.github.client import GitHubApiError, GitHubClient
from ingestion.providers.github.provider import GitHubProvider
from ingestion.sandbox.contracts import validate_rest_response
from ingestion.sandbox.server import SandboxGitHub
from ingestion.sandbox.world import World

REPO, NUMBER = (
    "platform/api",
    5,
)  # sql_injection_fstring: `cursor.execute(f"...")` added at 52 (head)
SQL_LINE = 52
FP1, FP2 = "1" * 64, "2" * 64


def auth(world: World) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tenants['acme'].api_token}"}


def provider_for(sandbox: SandboxGitHub, world: World) -> GitHubProvider:
    client = GitHubClient(
        sandbox.instance_url("acme"),
        SecretStr(world.tenants["acme"].api_token),
        timeout=5.0,
        max_retries=0,
    )
    return GitHubProvider("acme", client)


def test_create_review_and_listings_match_the_contracts(sandbox: SandboxGitHub, world: World):
    root = f"{sandbox.instance_url('acme')}/repos/{REPO}/pulls/{NUMBER}"
    created = httpx.post(
        f"{root}/reviews",
        json={
            "event": "COMMENT",
            "body": "two notes",
            "comments": [
                {
                    "path": "services/users/repository.py",
                    "line": SQL_LINE,
                    "side": "RIGHT",
                    "body": "added line",
                },
                {"path": "services/users/repository.py", "line": 42, "body": "context line"},
            ],
        },
        headers=auth(world),
    )
    assert created.status_code == 200, created.text
    validate_rest_response("pulls.create-review", created.json())
    assert created.json()["state"] == "COMMENTED"
    reviews = httpx.get(f"{root}/reviews", headers=auth(world))
    validate_rest_response("pulls.list-reviews", reviews.json())
    assert [r["id"] for r in reviews.json()] == [created.json()["id"]]
    comments = httpx.get(f"{root}/comments", headers=auth(world))
    validate_rest_response("pulls.list-review-comments", comments.json())
    listed = comments.json()
    assert [(c["line"], c["side"]) for c in listed] == [(SQL_LINE, "RIGHT"), (42, "RIGHT")]
    assert all(c["pull_request_review_id"] == created.json()["id"] for c in listed)
    assert listed[0]["diff_hunk"].startswith("@@ -41,5 +41,15 @@")
    assert listed[0]["diff_hunk"].endswith("username = '{value}'\")")


def test_a_line_outside_the_diff_refuses_the_whole_review(sandbox: SandboxGitHub, world: World):
    root = f"{sandbox.instance_url('acme')}/repos/{REPO}/pulls/{NUMBER}"
    payload = {
        "event": "COMMENT",
        "body": "b",
        "comments": [
            {"path": "services/users/repository.py", "line": SQL_LINE, "body": "ok"},
            {"path": "services/users/repository.py", "line": 3, "body": "not in the diff"},
        ],
    }
    refused = httpx.post(f"{root}/reviews", json=payload, headers=auth(world))
    assert refused.status_code == 422
    validate_rest_response("pulls.create-review", refused.json(), 422)
    assert refused.json()["errors"] == ["Line could not be resolved"]
    wrong_side = {**payload, "comments": [{**payload["comments"][0], "side": "LEFT"}]}
    assert httpx.post(f"{root}/reviews", json=wrong_side, headers=auth(world)).status_code == 422
    unknown_path = {**payload, "comments": [{"path": "nope.py", "line": 1, "body": "x"}]}
    assert httpx.post(f"{root}/reviews", json=unknown_path, headers=auth(world)).status_code == 422
    bad_event = {"event": "MERGE", "body": "x"}
    assert httpx.post(f"{root}/reviews", json=bad_event, headers=auth(world)).status_code == 422
    no_body = {"event": "COMMENT", "comments": []}
    assert httpx.post(f"{root}/reviews", json=no_body, headers=auth(world)).status_code == 422
    assert sandbox.store.reviews("acme", REPO, NUMBER) == []


def test_pending_review_comments_are_not_listed(sandbox: SandboxGitHub, world: World):
    root = f"{sandbox.instance_url('acme')}/repos/{REPO}/pulls/{NUMBER}"
    pending = httpx.post(
        f"{root}/reviews",
        json={
            "comments": [{"path": "services/users/repository.py", "line": SQL_LINE, "body": "x"}]
        },
        headers=auth(world),
    )
    assert pending.status_code == 200 and pending.json()["state"] == "PENDING"
    assert "submitted_at" not in pending.json()
    assert httpx.get(f"{root}/comments", headers=auth(world)).json() == []


def test_provider_posts_one_comment_review_on_the_right_side_and_never_twice(
    sandbox: SandboxGitHub, world: World
):
    provider = provider_for(sandbox, world)
    pr = provider.get_pull_request(REPO, NUMBER).record
    first = provider.publish_inline(
        pr,
        [
            InlineComment("services/users/repository.py", SQL_LINE, "SQL injection", FP1),
            InlineComment("services/users/repository.py", SQL_LINE, "same finding again", FP1),
        ],
    )
    assert [(p.fingerprint, p.action) for p in first] == [(FP1, "created")]
    again = provider.publish_inline(
        pr,
        [
            InlineComment("services/users/repository.py", SQL_LINE, "SQL injection", FP1),
            InlineComment("services/users/repository.py", SQL_LINE - 1, "another", FP2),
        ],
    )
    assert sorted((p.fingerprint, p.action) for p in again) == [(FP1, "exists"), (FP2, "created")]
    assert next(p for p in again if p.fingerprint == FP1).comment_id == first[0].comment_id
    reviews = sandbox.store.reviews("acme", REPO, NUMBER)
    assert [r.state for r in reviews] == ["COMMENTED", "COMMENTED"]  # never APPROVED/CHANGES
    assert all(r.commit_id == pr.head_sha for r in reviews)
    stored = sandbox.store.review_comments("acme", REPO, NUMBER)
    assert [inline_fingerprint(c.comment.body) for c in stored] == [FP1, FP2]
    assert {c.comment.side for c in stored} == {"RIGHT"}
    assert provider.publish_inline(pr, []) == []
    provider.close()


def test_a_refused_inline_review_raises_a_provider_error(sandbox: SandboxGitHub, world: World):
    provider = provider_for(sandbox, world)
    pr = provider.get_pull_request(REPO, NUMBER).record
    try:
        provider.publish_inline(pr, [InlineComment("services/users/repository.py", 2, "x", FP1)])
    except GitHubApiError as error:
        assert error.status_code == 422
    else:
        raise AssertionError("a comment outside the diff must be refused")
    finally:
        provider.close()
