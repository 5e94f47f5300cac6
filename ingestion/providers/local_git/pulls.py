"""A local "pull request" = `base..head` of a repository on disk; no network.

Pure-ish functions usable without the control plane: `pull_request_from_refs` and
`changed_files_between` (in `files.py`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingestion.providers.local_git.git import (
    DIFF,
    LocalGitError,
    ensure_repository,
    git_text,
    resolve_commit,
)
from warden.records import PullRequest, pull_request_key, sha256_hex

PROVIDER = "local_git"
MAX_DERIVED_NUMBER = 99_999
_FIELD = "\x1f"
_RECORD = "\x1e"
#: git@host:owner/name(.git) or scheme://host/owner/name(.git)
_REMOTE = re.compile(r"[:/](?P<owner>[^/:]+)/(?P<name>[^/]+?)(?:\.git)?/?$")


def derived_number(head_ref: str) -> int:
    """A stable PR number from the head ref's name, 1..99999 (same branch, same number)."""
    return int(sha256_hex(head_ref)[:12], 16) % MAX_DERIVED_NUMBER + 1


def repository_name(repo: Path) -> str:
    """`owner/name` from the `origin` remote when it has one, else the directory name."""
    try:
        url = git_text(repo, "config", "--get", "remote.origin.url").strip()
    except LocalGitError:
        url = ""
    match = _REMOTE.search(url) if url else None
    if match:
        return f"{match['owner']}/{match['name']}"
    return repo.name


def _commits(repo: Path, *revision: str) -> list[dict[str, str]]:
    """Commits of `revision`, newest first: sha, author, author date, committer date, message."""
    fmt = _FIELD.join(["%H", "%an", "%aI", "%cI", "%B"]) + _RECORD
    out = git_text(repo, "log", f"--format={fmt}", *revision, "--")
    commits = []
    for entry in out.split(_RECORD):
        entry = entry.strip("\n")
        if not entry:
            continue
        sha, author, authored, committed, message = entry.split(_FIELD, 4)
        commits.append(
            {
                "sha": sha,
                "author": author,
                "authored_at": authored,
                "committed_at": committed,
                "message": message.strip(),
            }
        )
    return commits


def _utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(UTC)


def _diff_totals(repo: Path, base_sha: str, head_sha: str) -> tuple[int, int, int]:
    additions = deletions = files = 0
    out = git_text(repo, *DIFF, "--numstat", f"{base_sha}...{head_sha}", "--")
    for line in out.splitlines():
        added, deleted, _ = line.split("\t", 2)
        files += 1
        additions += int(added) if added.isdigit() else 0
        deletions += int(deleted) if deleted.isdigit() else 0
    return additions, deletions, files


def pull_request_from_refs(
    tenant_id: str, repo_path: str | Path, base: str, head: str, *, number: int | None = None
) -> PullRequest:
    """The PR `base..head`: title/body from the head commit, dates from the commits."""
    return fetch_pull_request(tenant_id, repo_path, base, head, number=number)[0]


def fetch_pull_request(
    tenant_id: str, repo_path: str | Path, base: str, head: str, *, number: int | None = None
) -> tuple[PullRequest, dict[str, Any]]:
    """The PR and the raw git facts it was built from (for landing)."""
    repo = ensure_repository(repo_path)
    base_sha = resolve_commit(repo, base)
    head_sha = resolve_commit(repo, head)
    head_commit = _commits(repo, "-1", head_sha)[0]
    in_range = _commits(repo, f"{base_sha}..{head_sha}")
    first = in_range[-1] if in_range else head_commit
    title, _, body = head_commit["message"].partition("\n")
    repository = repository_name(repo)
    pr_number = number if number is not None else derived_number(head)
    additions, deletions, files = _diff_totals(repo, base_sha, head_sha)
    record = PullRequest(
        tenant_id=tenant_id,
        pr_key=pull_request_key(PROVIDER, repository, pr_number),
        provider=PROVIDER,
        repository=repository,
        number=pr_number,
        title=title.strip() or head,
        body=body.strip(),
        author=head_commit["author"],
        state="open",
        base_ref=base,
        head_ref=head,
        base_sha=base_sha,
        head_sha=head_sha,
        created_at=_utc(first["authored_at"]),
        updated_at=_utc(head_commit["committed_at"]),
        additions=additions,
        deletions=deletions,
        changed_files=files,
    )
    raw = {
        "repository": repository,
        "base": base,
        "head": head,
        "base_sha": base_sha,
        "head_sha": head_sha,
        "commits": in_range or [head_commit],
    }
    return record, raw
