"""Parse a multi-file unified diff (`git diff`, `git format-patch`, `diff -ruN`) into files.

Hunks are consumed by their line counts, so a removed line that reads `--- x` or a
context line that reads `diff ...` never starts a new file. Each file's `patch` is its hunks
from the first `@@` (the shape GitHub's `patch` field has), so the rest of the engine reads
it like any PR file. Binary files have no patch. `git format-patch` output gives the PR its
title (the `Subject:`) and description.

The content of a file at head is not in a diff. `changed_files_from_diff` reads it from a
directory only when the file there agrees with every added line of the patch (i.e. the
diff is applied in that tree); otherwise the content stays unknown and detectors fall back
to the hunks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from analysis.diff import parse_patch
from warden.errors import WardenError
from warden.records import ChangedFile, PullRequest

Status = Literal["added", "modified", "removed", "renamed", "copied"]
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_GIT_HEADER = re.compile(r'^(?P<a>"(?:[^"\\]|\\.)*"|\S+) (?P<b>"(?:[^"\\]|\\.)*"|\S+)$')
_SUBJECT_PREFIX = re.compile(r"^\[[^\]]*PATCH[^\]]*\]\s*", re.IGNORECASE)
_DEV_NULL = "/dev/null"
_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


class DiffParseError(WardenError, ValueError):
    """The input is not a unified diff Warden can read (the message says where)."""


@dataclass(frozen=True)
class FileDiff:
    path: str
    previous_path: str | None
    status: Status
    patch: str | None  # None for binary files
    additions: int = 0
    deletions: int = 0


@dataclass(frozen=True)
class ParsedDiff:
    files: tuple[FileDiff, ...]
    subject: str = ""
    message: str = ""
    author: str = ""


@dataclass
class _File:
    git: bool
    git_paths: tuple[str, str] | None = None
    old: str | None = None
    new: str | None = None
    seen_paths: bool = False
    status: Status | None = None
    rename_from: str | None = None
    rename_to: str | None = None
    binary: bool = False
    hunks: list[str] = field(default_factory=list)
    additions: int = 0
    deletions: int = 0
    first_hunk: tuple[int, int, int, int] | None = None


def unquote_path(raw: str) -> str:
    """Undo git's C-style quoting (`"caf\\303\\251.py"` -> `café.py`) and drop timestamps."""
    raw = raw.split("\t", 1)[0].rstrip("\r")
    if not (len(raw) >= 2 and raw.startswith('"') and raw.endswith('"')):
        return raw
    out = bytearray()
    body, i = raw[1:-1], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in "01234567" and re.match(r"[0-7]{3}", body[i + 1 : i + 4]):
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
                continue
            out.append(_ESCAPES.get(nxt, ord(nxt)))
            i += 2
            continue
        out += char.encode("utf-8")
        i += 1
    return out.decode("utf-8", errors="replace")


def parse_unified_diff(text: str) -> ParsedDiff:
    """Every file of the diff, in order. Raises DiffParseError on malformed or ambiguous input."""
    lines = text.replace("\r\n", "\n").split("\n")
    files: list[_File] = []
    current: _File | None = None
    subject, author, message_lines, in_message = "", "", [], False
    i = 0
    while i < len(lines):
        line = lines[i]
        if current is None and not files:
            if line.startswith("Subject: "):
                subject, in_message = _SUBJECT_PREFIX.sub("", line[9:]).strip(), True
            elif line.startswith("From: "):
                author = line[6:].split("<", 1)[0].strip().strip('"')
            elif in_message and line.strip() == "---":
                in_message = False
            elif in_message and line.strip():
                message_lines.append(line)
        if line.startswith("diff --git "):
            current = _start(files, _File(git=True, git_paths=_git_paths(line[11:])))
        elif line.startswith("diff ") and (current is None or current.hunks or current.seen_paths):
            current = _start(files, _File(git=False))
        elif line.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            if current is None or current.hunks or current.seen_paths:
                current = _start(files, _File(git=False))
            current.old, current.new = unquote_path(line[4:]), unquote_path(lines[i + 1][4:])
            current.seen_paths = True
            i += 2
            continue
        elif line.startswith("@@") and current is not None and _HUNK.match(line):
            i = _consume_hunk(lines, i, current)
            continue
        elif current is not None and not current.hunks:
            _extended_header(current, line)
        i += 1
    parsed = [_finish(f) for f in files]
    if not parsed and text.strip() and not subject:
        raise DiffParseError("no file changes found: is this a unified diff (git diff / diff -u)?")
    seen: set[str] = set()
    for item in parsed:
        if item.path in seen:
            raise DiffParseError(
                f"{item.path} appears more than once (several patches in one input?); "
                "pass a single combined diff such as `git diff base...head`"
            )
        seen.add(item.path)
    message = "\n".join(message_lines[1:] if message_lines[:1] == [subject] else message_lines)
    return ParsedDiff(tuple(parsed), subject=subject, message=message.strip(), author=author)


def _start(files: list[_File], new: _File) -> _File:
    files.append(new)
    return new


def _git_paths(rest: str) -> tuple[str, str] | None:
    match = _GIT_HEADER.match(rest)
    if match:
        return unquote_path(match["a"]), unquote_path(match["b"])
    half = (len(rest) - 1) // 2  # unquoted names with spaces: `a/x y b/x y`
    if len(rest) % 2 == 1 and rest[half] == " " and rest[:half][2:] == rest[half + 1 :][2:]:
        return rest[:half], rest[half + 1 :]
    return None


def _extended_header(current: _File, line: str) -> None:
    if line.startswith("new file mode"):
        current.status = "added"
    elif line.startswith("deleted file mode"):
        current.status = "removed"
    elif line.startswith(("rename from ", "copy from ")):
        current.rename_from = unquote_path(line.split(" ", 2)[2])
        current.status = "renamed" if line.startswith("rename") else "copied"
    elif line.startswith(("rename to ", "copy to ")):
        current.rename_to = unquote_path(line.split(" ", 2)[2])
    elif line.startswith("Binary files ") or line.startswith("GIT binary patch"):
        current.binary = True


def _consume_hunk(lines: list[str], start: int, current: _File) -> int:
    match = _HUNK.match(lines[start])
    assert match is not None
    old_start, new_start = int(match[1]), int(match[3])
    old_left = int(match[2]) if match[2] is not None else 1
    new_left = int(match[4]) if match[4] is not None else 1
    if current.first_hunk is None:
        current.first_hunk = (old_start, old_left, new_start, new_left)
    body = [lines[start]]
    i = start + 1
    while old_left > 0 or new_left > 0:
        if i >= len(lines):
            raise DiffParseError(f"truncated hunk in {_name(current)} at line {start + 1}")
        line = lines[i]
        marker = line[:1]
        if marker == "\\":
            pass
        elif marker == "+" and new_left > 0:
            new_left -= 1
            current.additions += 1
        elif marker == "-" and old_left > 0:
            old_left -= 1
            current.deletions += 1
        elif marker in (" ", "") and old_left > 0 and new_left > 0:
            old_left, new_left = old_left - 1, new_left - 1
            line = line or " "
        else:
            raise DiffParseError(
                f"malformed hunk in {_name(current)} at line {i + 1}: {line[:60]!r}"
            )
        body.append(line)
        i += 1
    if i < len(lines) and lines[i].startswith("\\"):
        body.append(lines[i])
        i += 1
    current.hunks.append("\n".join(body))
    return i


def _name(current: _File) -> str:
    return current.new or current.old or "the diff"


def _finish(current: _File) -> FileDiff:
    old, new = _strip_prefixes(current)
    status = current.status
    if current.rename_from and current.rename_to:
        old, new = current.rename_from, current.rename_to
    if status is None:
        status = _plain_status(current, old, new)
    if status == "added":
        old = None
    path = (new if status != "removed" else old) or old or new
    if not path:
        raise DiffParseError("a file section of the diff names no file")
    previous = old if status in ("renamed", "copied") and old != path else None
    patch = None if current.binary and not current.hunks else "\n".join(current.hunks)
    return FileDiff(path, previous, status, patch, current.additions, current.deletions)


def _plain_status(current: _File, old: str | None, new: str | None) -> Status:
    first = current.first_hunk
    only = len(current.hunks) == 1 and first is not None
    if old is None or (only and first is not None and first[0] == 0 and first[1] == 0):
        return "added"
    if new is None or (only and first is not None and first[2] == 0 and first[3] == 0):
        return "removed"
    return "modified"


def _strip_prefixes(current: _File) -> tuple[str | None, str | None]:
    """Paths without the `a/` `b/` (or `old/` `new/`) prefixes; None for /dev/null."""
    old = None if current.old == _DEV_NULL else current.old
    new = None if current.new == _DEV_NULL else current.new
    if current.git_paths is not None:
        a, b = current.git_paths
        prefixed = re.match(r"^\w/", a) and re.match(r"^\w/", b) and a[0] != b[0]
        if old is None and new is None and not current.seen_paths:
            old, new = a, b
        if prefixed:
            return _drop_first(old), _drop_first(new)
        return old, new
    if old and new:
        old_parts, new_parts = PurePosixPath(old).parts, PurePosixPath(new).parts
        if len(old_parts) > 1 and len(new_parts) > 1 and old_parts[0] != new_parts[0]:
            return _drop_first(old), _drop_first(new)
        return old, new
    lone = old or new or ""
    if lone.startswith(("a/", "b/")):
        return _drop_first(old), _drop_first(new)
    return old, new


def _drop_first(path: str | None) -> str | None:
    if path is None:
        return None
    parts = PurePosixPath(path).parts
    return PurePosixPath(*parts[1:]).as_posix() if len(parts) > 1 else path


def read_applied_content(root: Path, item: FileDiff, max_bytes: int) -> str | None:
    """The file under `root` when it is what the patch produced, else None."""
    relative = PurePosixPath(item.path)
    if item.status == "removed" or item.patch is None:
        return None
    if relative.is_absolute() or ".." in relative.parts:
        return None
    candidate = root / relative
    try:
        if candidate.is_symlink() or not candidate.is_file():
            return None
        if candidate.stat().st_size > max_bytes:
            return None
        text = candidate.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    head = text.splitlines()
    for added in parse_patch(item.patch).added_lines:
        number = added.new_line or 0
        if number < 1 or number > len(head) or head[number - 1].rstrip("\r") != added.text:
            return None
    return text


def changed_files_from_diff(
    parsed: ParsedDiff,
    pull_request: PullRequest,
    *,
    root: Path | None = None,
    max_content_bytes: int = 1024 * 1024,
) -> list[ChangedFile]:
    """ChangedFile records of `pull_request`; content read from `root` only when it matches."""
    return [
        ChangedFile(
            tenant_id=pull_request.tenant_id,
            pr_key=pull_request.pr_key,
            repository=pull_request.repository,
            number=pull_request.number,
            head_sha=pull_request.head_sha,
            path=item.path,
            previous_path=item.previous_path,
            status=item.status,
            additions=item.additions,
            deletions=item.deletions,
            patch=item.patch,
            content=read_applied_content(root, item, max_content_bytes) if root else None,
        )
        for item in parsed.files
    ]
