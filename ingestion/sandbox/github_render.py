"""Render the fake GitHub's JSON, starting from the contract's own examples.

Each body begins as a deep copy of the published example for that operation
(shared/contracts/github/rest/*.json), with identities, URLs and state substituted, so
the shapes stay exactly GitHub's. Tests validate every rendered body against the schemas.
"""

from __future__ import annotations

import base64
import copy
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from ingestion.sandbox.contracts import rest_operation
from ingestion.sandbox.github_store import PullState, StoredComment
from ingestion.sandbox.scenarios.diffs import FileChange

_EXAMPLE_OWNER = "octocat"
_EXAMPLE_REPO = "octocat/Hello-World"


@dataclass(frozen=True)
class Roots:
    """URL roots of one instance: `api` like https://host/acme/api/v3, `web` like .../acme."""

    api: str
    web: str


def _example(operation: str, status: str = "200") -> Any:
    response = rest_operation(operation)["responses"][status]
    return response["content"]["application/json"]["examples"]["default"]["value"]


@cache
def _templates() -> dict[str, Any]:
    pull = _example("pulls.get")
    return {
        "pull": pull,
        "pull_simple": _example("pulls.list")[0],
        "repo": pull["base"]["repo"],
        "user": pull["user"],
        "comment": _example("issues.create-comment", "201"),
        "rate_limit": _example("rate-limit.get"),
    }


def _replace_strings(node: Any, replacements: list[tuple[str, str]]) -> Any:
    if isinstance(node, dict):
        return {key: _replace_strings(value, replacements) for key, value in node.items()}
    if isinstance(node, list):
        return [_replace_strings(value, replacements) for value in node]
    if isinstance(node, str):
        for old, new in replacements:
            node = node.replace(old, new)
    return node


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stable_id(*parts: object) -> int:
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:5], "big")


def node_id(kind: str, number: int) -> str:
    return base64.b64encode(f"{kind}:{number}".encode()).decode()


def render_user(login: str, roots: Roots, *, kind: str = "User") -> dict[str, Any]:
    user = _replace_strings(
        _templates()["user"],
        [
            (f"https://api.github.com/users/{_EXAMPLE_OWNER}", f"{roots.api}/users/{login}"),
            (f"https://github.com/{_EXAMPLE_OWNER}", f"{roots.web}/{login}"),
            ("https://github.com/images/error/octocat_happy.gif", f"{roots.web}/avatars/{login}"),
        ],
    )
    user_id = stable_id("user", login)
    user.update(login=login, id=user_id, node_id=node_id("User", user_id), type=kind)
    return user


def render_repository(repository: str, roots: Roots) -> dict[str, Any]:
    owner, name = repository.split("/", 1)
    host = roots.web.split("://", 1)[-1]
    repo = _replace_strings(
        _templates()["repo"],
        [
            (f"https://api.github.com/repos/{_EXAMPLE_REPO}", f"{roots.api}/repos/{repository}"),
            (f"https://github.com/{_EXAMPLE_REPO}", f"{roots.web}/{repository}"),
            (f"git:github.com/{_EXAMPLE_REPO}", f"git:{host}/{repository}"),
            (f"git@github.com:{_EXAMPLE_REPO}", f"git@{host}:{repository}"),
            (f"git:git.example.com/{_EXAMPLE_REPO}", f"git:{host}/mirror/{repository}"),
            ("https://api.github.com", roots.api),
            ("https://github.com", roots.web),
        ],
    )
    repo_id = stable_id("repo", roots.api, repository)
    repo.update(
        id=repo_id,
        node_id=node_id("Repository", repo_id),
        name=name,
        full_name=repository,
        owner=render_user(owner, roots, kind="Organization"),
        private=True,
        description=f"{repository} (sandbox)",
        default_branch="main",
        topics=[],
    )
    repo.pop("temp_clone_token", None)  # optional and per-user: not served
    return repo


def _branch(label_owner: str, ref: str, sha: str, repo: dict[str, Any], roots: Roots) -> dict:
    return {
        "label": f"{label_owner}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": render_user(label_owner, roots, kind="Organization"),
        "repo": repo,
    }


def render_pull(state: PullState, roots: Roots, *, simple: bool = False) -> dict[str, Any]:
    """`pull-request` (GET one) or `pull-request-simple` (list) for the PR's current state."""
    pr, revision = state.pr, state.current
    full = pr.repository
    template = _templates()["pull_simple" if simple else "pull"]
    body = _replace_strings(
        template,
        [
            (
                f"https://api.github.com/repos/{_EXAMPLE_REPO}/pulls/1347",
                f"{roots.api}/repos/{full}/pulls/{pr.number}",
            ),
            (
                f"https://api.github.com/repos/{_EXAMPLE_REPO}/issues/1347",
                f"{roots.api}/repos/{full}/issues/{pr.number}",
            ),
            (
                f"https://github.com/{_EXAMPLE_REPO}/pull/1347",
                f"{roots.web}/{full}/pull/{pr.number}",
            ),
            (f"https://api.github.com/repos/{_EXAMPLE_REPO}", f"{roots.api}/repos/{full}"),
        ],
    )
    repo = render_repository(full, roots)
    owner = full.split("/", 1)[0]
    pr_id = stable_id("pull", roots.api, full, pr.number)
    merged_at = iso(state.closed_at) if state.merged else None
    body.update(
        id=pr_id,
        node_id=node_id("PullRequest", pr_id),
        number=pr.number,
        state=state.state,
        locked=False,
        title=pr.title,
        user=render_user(pr.author, roots),
        body=pr.body,
        labels=[],
        milestone=None,
        active_lock_reason=None,
        created_at=iso(pr.created_at),
        updated_at=iso(state.updated_at),
        closed_at=iso(state.closed_at),
        merged_at=merged_at,
        merge_commit_sha=(revision.head_sha[::-1] if state.merged else None),
        assignee=None,
        assignees=[],
        requested_reviewers=[],
        requested_teams=[],
        statuses_url=f"{roots.api}/repos/{full}/statuses/{revision.head_sha}",
        head=_branch(owner, pr.head_ref, revision.head_sha, repo, roots),
        base=_branch(owner, pr.base_ref, pr.base_sha, repo, roots),
        author_association="MEMBER",
        auto_merge=None,
        draft=False,
    )
    if not simple:
        body.update(
            merged=state.merged,
            mergeable=None if state.state == "closed" else True,
            rebaseable=None if state.state == "closed" else True,
            mergeable_state="unknown" if state.state == "closed" else "clean",
            merged_by=render_user(pr.author, roots) if state.merged else None,
            comments=0,
            review_comments=0,
            maintainer_can_modify=False,
            commits=state.revision + 1,
            additions=sum(f.additions for f in revision.files),
            deletions=sum(f.deletions for f in revision.files),
            changed_files=len(revision.files),
        )
    return body


def render_file(change: FileChange, repository: str, head_sha: str, roots: Roots) -> dict:
    """A `diff-entry`; `patch` is left out when the change has none (binary/too large)."""
    entry: dict[str, Any] = {
        "sha": hashlib.sha1(
            f"{head_sha}:{change.path}".encode(), usedforsecurity=False
        ).hexdigest(),
        "filename": change.path,
        "status": change.status,
        "additions": change.additions,
        "deletions": change.deletions,
        "changes": change.additions + change.deletions,
        "blob_url": f"{roots.web}/{repository}/blob/{head_sha}/{change.path}",
        "raw_url": f"{roots.web}/{repository}/raw/{head_sha}/{change.path}",
        "contents_url": f"{roots.api}/repos/{repository}/contents/{change.path}?ref={head_sha}",
    }
    if change.patch is not None:
        entry["patch"] = change.patch
    if change.previous_path is not None:
        entry["previous_filename"] = change.previous_path
    return entry


def render_comment(comment: StoredComment, roots: Roots) -> dict[str, Any]:
    body = copy.deepcopy(_templates()["comment"])
    full = comment.repository
    body.update(
        id=comment.id,
        node_id=node_id("IssueComment", comment.id),
        url=f"{roots.api}/repos/{full}/issues/comments/{comment.id}",
        html_url=f"{roots.web}/{full}/pull/{comment.number}#issuecomment-{comment.id}",
        body=comment.body,
        user=render_user(comment.user_login, roots, kind="Bot"),
        created_at=iso(comment.created_at),
        updated_at=iso(comment.updated_at),
        issue_url=f"{roots.api}/repos/{full}/issues/{comment.number}",
        author_association="NONE",
    )
    return body


def render_rate_limit(remaining: int, limit: int, reset: int) -> dict[str, Any]:
    body = copy.deepcopy(_templates()["rate_limit"])
    core = {"limit": limit, "used": limit - remaining, "remaining": remaining, "reset": reset}
    body["resources"]["core"] = core
    body["rate"] = dict(core)
    return body


def error_body(message: str, status: int) -> dict[str, str]:
    """GitHub's `basic-error` shape."""
    return {
        "message": message,
        "documentation_url": "https://docs.github.com/rest",
        "status": str(status),
    }
