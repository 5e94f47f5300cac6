"""Parse a unified diff (GitHub `patch` / GitLab `diff`) into hunks and numbered lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$")
_NO_NEWLINE = "\\ No newline at end of file"

LineKind = Literal["added", "removed", "context"]


@dataclass(frozen=True)
class DiffLine:
    """One line of a hunk; `new_line`/`old_line` are 1-based, None on the side it is absent."""

    kind: LineKind
    text: str
    old_line: int | None
    new_line: int | None
    no_newline_at_end: bool = False


@dataclass(frozen=True)
class Hunk:
    old_start: int
    old_count: int
    new_start: int
    new_count: int
    section: str
    lines: tuple[DiffLine, ...]

    @property
    def new_side(self) -> list[DiffLine]:
        """Context and added lines: the hunk as it reads in the new file."""
        return [line for line in self.lines if line.kind != "removed"]


@dataclass(frozen=True)
class ParsedPatch:
    hunks: tuple[Hunk, ...] = field(default_factory=tuple)

    @property
    def added_lines(self) -> list[DiffLine]:
        return [line for hunk in self.hunks for line in hunk.lines if line.kind == "added"]

    @property
    def removed_lines(self) -> list[DiffLine]:
        return [line for hunk in self.hunks for line in hunk.lines if line.kind == "removed"]

    @property
    def added_line_numbers(self) -> frozenset[int]:
        return frozenset(line.new_line for line in self.added_lines if line.new_line is not None)

    def added_text_by_line(self) -> dict[int, str]:
        return {line.new_line: line.text for line in self.added_lines if line.new_line is not None}


class _HunkBuilder:
    def __init__(self, match: re.Match[str]) -> None:
        self.old_start = int(match.group(1))
        self.old_count = int(match.group(2)) if match.group(2) is not None else 1
        self.new_start = int(match.group(3))
        self.new_count = int(match.group(4)) if match.group(4) is not None else 1
        self.section = match.group(5).strip()
        self.old_remaining = self.old_count
        self.new_remaining = self.new_count
        self.next_old = self.old_start
        self.next_new = self.new_start
        self.lines: list[DiffLine] = []

    @property
    def open(self) -> bool:
        return self.old_remaining > 0 or self.new_remaining > 0

    def add(self, raw: str) -> None:
        marker, text = (raw[0], raw[1:]) if raw else (" ", "")
        text = text.removesuffix("\r")
        if marker == "+" and self.new_remaining > 0:
            self.lines.append(DiffLine("added", text, None, self.next_new))
            self.next_new += 1
            self.new_remaining -= 1
        elif marker == "-" and self.old_remaining > 0:
            self.lines.append(DiffLine("removed", text, self.next_old, None))
            self.next_old += 1
            self.old_remaining -= 1
        elif marker == " " and self.old_remaining > 0 and self.new_remaining > 0:
            self.lines.append(DiffLine("context", text, self.next_old, self.next_new))
            self.next_old += 1
            self.next_new += 1
            self.old_remaining -= 1
            self.new_remaining -= 1
        else:
            # counts exhausted or an unknown marker: the hunk body is over
            self.old_remaining = self.new_remaining = 0

    def mark_no_newline(self) -> None:
        if self.lines:
            last = self.lines[-1]
            self.lines[-1] = DiffLine(last.kind, last.text, last.old_line, last.new_line, True)

    def build(self) -> Hunk:
        return Hunk(
            self.old_start,
            self.old_count,
            self.new_start,
            self.new_count,
            self.section,
            tuple(self.lines),
        )


@lru_cache(maxsize=4096)
def parse_patch(patch: str | None) -> ParsedPatch:
    """Parse `patch`; text outside hunks (file headers, `diff --git`) is ignored."""
    if not patch:
        return ParsedPatch()
    hunks: list[Hunk] = []
    current: _HunkBuilder | None = None
    for raw in patch.split("\n"):
        if raw.startswith(_NO_NEWLINE):
            if current is not None:
                current.mark_no_newline()
            continue
        header = _HUNK_HEADER.match(raw)
        if header:
            if current is not None:
                hunks.append(current.build())
            current = _HunkBuilder(header)
            continue
        if current is not None and current.open:
            current.add(raw)
    if current is not None:
        hunks.append(current.build())
    return ParsedPatch(tuple(hunks))
