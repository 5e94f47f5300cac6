"""Changed files of a local PR: status, renames, per-file unified patch, content at head."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingestion.providers.local_git.git import DIFF, ensure_repository, git_text, run_git
from warden.records import ChangedFile, PullRequest

MAX_CONTENT_BYTES = 1024 * 1024
_STATUS = {
    "A": "added",
    "M": "modified",
    "D": "removed",
    "R": "renamed",
    "C": "copied",
    "T": "changed",
}


@dataclass(frozen=True)
class _Entry:
    code: str
    path: str
    previous_path: str | None


def _name_status(repo: Path, span: str) -> list[_Entry]:
    out = git_text(repo, *DIFF, "--name-status", "-z", span, "--")
    tokens = out.split("\0")
    entries: list[_Entry] = []
    i = 0
    while i < len(tokens) and tokens[i]:
        code = tokens[i]
        if code[0] in "RC":
            entries.append(_Entry(code, tokens[i + 2], tokens[i + 1]))
            i += 3
        else:
            entries.append(_Entry(code, tokens[i + 1], None))
            i += 2
    return entries


def _numstat(repo: Path, span: str) -> dict[str, tuple[int | None, int | None]]:
    """{path at head: (additions, deletions)}; None counts mean a binary file."""
    out = git_text(repo, *DIFF, "--numstat", "-z", span, "--")
    tokens = out.split("\0")
    stats: dict[str, tuple[int | None, int | None]] = {}
    i = 0
    while i < len(tokens) and tokens[i]:
        added, deleted, path = tokens[i].split("\t", 2)
        if path:
            i += 1
        else:  # rename/copy: the two paths follow as their own tokens
            path = tokens[i + 2]
            i += 3
        stats[path] = (_count(added), _count(deleted))
    return stats


def _count(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _patch(repo: Path, span: str, entry: _Entry) -> str:
    """The file's unified diff hunks (from the first `@@`), git headers removed."""
    paths = [entry.previous_path, entry.path] if entry.previous_path else [entry.path]
    diff = git_text(repo, *DIFF, "-U3", span, "--", *paths)
    if diff.startswith("@@"):
        return diff
    start = diff.find("\n@@")
    return diff[start + 1 :] if start >= 0 else ""


def _content_at(repo: Path, sha: str, path: str) -> tuple[str | None, str | None]:
    """(text at head, reason it was skipped)."""
    size = int(git_text(repo, "cat-file", "-s", f"{sha}:{path}").strip())
    if size > MAX_CONTENT_BYTES:
        return None, "too_large"
    data = run_git(repo, "cat-file", "blob", f"{sha}:{path}")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return None, "not_utf8"


def fetch_changed_files(
    tenant_id: str, pr: PullRequest, repo_path: str | Path
) -> list[tuple[ChangedFile, dict[str, Any]]]:
    """Each changed file of `pr` (merge base -> head) with the raw git facts behind it."""
    repo = ensure_repository(repo_path)
    span = f"{pr.base_sha}...{pr.head_sha}"
    stats = _numstat(repo, span)
    fetched = []
    for entry in _name_status(repo, span):
        additions, deletions = stats.get(entry.path, (0, 0))
        binary = additions is None or deletions is None
        content, skipped = (None, None)
        if entry.code[0] != "D" and not binary:
            content, skipped = _content_at(repo, pr.head_sha, entry.path)
        record = ChangedFile(
            tenant_id=tenant_id,
            pr_key=pr.pr_key,
            repository=pr.repository,
            number=pr.number,
            head_sha=pr.head_sha,
            path=entry.path,
            previous_path=entry.previous_path,
            status=_STATUS.get(entry.code[0], "changed"),  # type: ignore[arg-type]
            additions=additions or 0,
            deletions=deletions or 0,
            patch=None if binary else _patch(repo, span, entry),
            content=content,
        )
        raw = {
            "status_code": entry.code,
            "path": entry.path,
            "previous_path": entry.previous_path,
            "numstat": [additions, deletions],
            "binary": binary,
            "content_skipped": skipped,
            "span": span,
        }
        fetched.append((record, raw))
    return fetched


def changed_files_between(
    tenant_id: str, pr: PullRequest, repo_path: str | Path
) -> list[ChangedFile]:
    """The files `pr` changes, with per-file patches (None if binary) and content at head."""
    return [record for record, _ in fetch_changed_files(tenant_id, pr, repo_path)]
