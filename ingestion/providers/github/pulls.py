"""Fetch pull requests and their changed files (raw GitHub JSON; normalize.py converts)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ingestion.providers.github.client import GitHubClient

_FULL_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$")


def repo_path(repository: str) -> str:
    """`owner/name` -> `/repos/owner/name`, refusing anything that could escape the path."""
    if not _FULL_NAME.fullmatch(repository) or ".." in repository:
        raise ValueError(f"not a GitHub repository full name: {repository!r}")
    return f"/repos/{repository}"


def _updated_before(raw: Any, watermark: datetime) -> bool:
    updated = raw.get("updated_at") if isinstance(raw, dict) else None
    if not isinstance(updated, str):
        return False  # let the normaliser reject it with a precise reason
    return datetime.fromisoformat(updated.replace("Z", "+00:00")) < watermark


def iter_pull_requests(
    client: GitHubClient,
    repository: str,
    *,
    updated_since: datetime | None = None,
    state: str = "all",
) -> Iterator[dict[str, Any]]:
    """Raw PRs, most recently updated first; stops once `updated_at` < `updated_since`.

    GitHub's pulls list has no `since`: sorting by `updated` descending and stopping at the
    watermark reads only the pages that can hold changes (transport-facts `incremental_sync`).
    """
    params = {"state": state, "sort": "updated", "direction": "desc"}
    for raw in client.paginate(f"{repo_path(repository)}/pulls", params):
        if updated_since is not None and _updated_before(raw, updated_since):
            return
        yield raw


def get_pull_request(client: GitHubClient, repository: str, number: int) -> dict[str, Any]:
    return client.get_json(f"{repo_path(repository)}/pulls/{int(number)}")


def iter_pull_request_files(
    client: GitHubClient, repository: str, number: int
) -> Iterator[dict[str, Any]]:
    """Raw `diff-entry` objects of a PR, all pages (GitHub caps this list at 3000 files)."""
    yield from client.paginate(f"{repo_path(repository)}/pulls/{int(number)}/files")
