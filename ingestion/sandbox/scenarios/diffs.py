"""Build GitHub-style `patch` text (unified diff hunks without file headers)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileChange:
    """One changed file of a revision, as GitHub's `diff-entry` would describe it."""

    path: str
    status: str  # added | modified | removed | renamed
    patch: str | None
    additions: int
    deletions: int
    previous_path: str | None = None


def hunk(old_start: int, new_start: int, lines: list[str]) -> str:
    """`lines` start with ' ', '-' or '+'; the header counts come from them."""
    old_count = sum(1 for line in lines if line[:1] in (" ", "-"))
    new_count = sum(1 for line in lines if line[:1] in (" ", "+"))
    header = f"@@ -{old_start},{old_count} +{new_start},{new_count} @@"
    return "\n".join([header, *lines])


def modified(
    path: str,
    *,
    at: int,
    before: list[str],
    removed: list[str],
    added: list[str],
    after: list[str],
    shift: int = 0,
) -> FileChange:
    """A one-hunk modification: context, removed lines, added lines, context.

    `at` is the old line number of the first context line; `shift` moves the new side
    down (lines added above this hunk by an earlier hunk).
    """
    lines = (
        [f" {line}" for line in before]
        + [f"-{line}" for line in removed]
        + [f"+{line}" for line in added]
        + [f" {line}" for line in after]
    )
    return FileChange(path, "modified", hunk(at, at + shift, lines), len(added), len(removed))


def added_file(path: str, content: list[str]) -> FileChange:
    lines = [f"+{line}" for line in content]
    return FileChange(path, "added", hunk(0, 1, lines), len(content), 0)


def binary_file(path: str) -> FileChange:
    """GitHub omits `patch` for binary files."""
    return FileChange(path, "added", None, 0, 0)
