"""The bot's one summary comment per PR: found by a hidden marker, created or edited in place."""

from __future__ import annotations

from typing import Any

from ingestion.providers.base import ExistingComment, PublishResult
from ingestion.providers.github.client import GitHubClient
from ingestion.providers.github.pulls import repo_path
from warden.records import REVIEW_COMMENT_MARKER


def with_marker(body: str) -> str:
    """The body as posted: it always carries the marker, so the next run can find it."""
    return body if REVIEW_COMMENT_MARKER in body else f"{REVIEW_COMMENT_MARKER}\n{body}"


def _as_existing(raw: dict[str, Any]) -> ExistingComment:
    return ExistingComment(
        comment_id=str(raw["id"]), body=raw.get("body") or "", url=raw.get("html_url") or ""
    )


def find_review_comment(
    client: GitHubClient, repository: str, number: int
) -> ExistingComment | None:
    """The first issue comment on the PR that carries REVIEW_COMMENT_MARKER (all pages)."""
    path = f"{repo_path(repository)}/issues/{int(number)}/comments"
    for raw in client.paginate(path):
        if isinstance(raw, dict) and REVIEW_COMMENT_MARKER in (raw.get("body") or ""):
            return _as_existing(raw)
    return None


def publish_review_comment(
    client: GitHubClient, repository: str, number: int, body: str
) -> PublishResult:
    """Create the summary comment, edit it in place, or leave it when nothing changed."""
    wanted = with_marker(body)
    existing = find_review_comment(client, repository, number)
    if existing is None:
        created = client.post_json(
            f"{repo_path(repository)}/issues/{int(number)}/comments", {"body": wanted}
        )
        return PublishResult("created", str(created["id"]), created.get("html_url") or "")
    if existing.body == wanted:
        return PublishResult("unchanged", existing.comment_id, existing.url)
    comment_id = int(existing.comment_id)
    updated = client.patch_json(
        f"{repo_path(repository)}/issues/comments/{comment_id}", {"body": wanted}
    )
    return PublishResult("updated", str(updated["id"]), updated.get("html_url") or "")
