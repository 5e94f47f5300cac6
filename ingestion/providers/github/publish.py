"""What the bot writes on a PR: the one summary comment (found by a hidden marker, created or
edited in place) and inline comments on exact lines, posted as a review with event COMMENT.

Warden never approves and never requests changes: `REVIEW_EVENT` is the only event it sends.
Each inline comment carries a hidden marker with its finding's fingerprint, so a finding
already commented on (by any earlier run) is never posted again.
"""

from __future__ import annotations

from typing import Any

from ingestion.providers.base import (
    ExistingComment,
    InlineComment,
    PublishedInline,
    PublishResult,
    inline_fingerprint,
    inline_marker,
)
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


#: the only review event Warden sends: a comment, never APPROVE or REQUEST_CHANGES
REVIEW_EVENT = "COMMENT"
RIGHT_SIDE = "RIGHT"


def inline_review_body(count: int) -> str:
    return (
        f"Warden left {count} inline comment(s) on lines this pull request adds. "
        "The Warden summary comment lists every finding."
    )


def existing_inline_comments(
    client: GitHubClient, repository: str, number: int
) -> dict[str, dict[str, Any]]:
    """Fingerprint -> the review comment that already carries it (first one wins)."""
    found: dict[str, dict[str, Any]] = {}
    for raw in client.paginate(f"{repo_path(repository)}/pulls/{int(number)}/comments"):
        if isinstance(raw, dict) and (fp := inline_fingerprint(raw.get("body"))):
            found.setdefault(fp, raw)
    return found


def _published(fp: str, action: str, raw: dict[str, Any]) -> PublishedInline:
    review_id = raw.get("pull_request_review_id")
    return PublishedInline(
        fingerprint=fp,
        action=action,
        comment_id=str(raw["id"]),
        review_id=str(review_id) if review_id is not None else None,
        url=raw.get("html_url") or "",
    )


def publish_inline_comments(
    client: GitHubClient,
    repository: str,
    number: int,
    head_sha: str,
    comments: list[InlineComment],
) -> list[PublishedInline]:
    """One review (event COMMENT) with the comments whose fingerprint is not on the PR yet."""
    existing = existing_inline_comments(client, repository, number)
    results = [
        _published(c.fingerprint, "exists", existing[c.fingerprint])
        for c in comments
        if c.fingerprint in existing
    ]
    fresh = list({c.fingerprint: c for c in comments if c.fingerprint not in existing}.values())
    if not fresh:
        return results
    payload = {
        "commit_id": head_sha,
        "event": REVIEW_EVENT,
        "body": inline_review_body(len(fresh)),
        "comments": [
            {
                "path": c.path,
                "line": int(c.line),
                "side": RIGHT_SIDE,
                "body": f"{c.body}\n\n{inline_marker(c.fingerprint)}",
            }
            for c in fresh
        ],
    }
    review = client.post_json(f"{repo_path(repository)}/pulls/{int(number)}/reviews", payload)
    posted = existing_inline_comments(client, repository, number)
    for comment in fresh:
        raw = posted.get(comment.fingerprint)
        if raw is not None:
            results.append(_published(comment.fingerprint, "created", raw))
        else:  # listed later than written (eventual consistency): the review still exists
            results.append(
                PublishedInline(
                    comment.fingerprint,
                    "created",
                    review_id=str(review.get("id")),
                    url=review.get("html_url") or "",
                )
            )
    return results
