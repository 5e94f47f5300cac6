"""A changed file as the detectors see it: language, test-ness, added lines, head lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from analysis.diff import ParsedPatch, parse_patch
from analysis.fingerprint import normalise_content
from warden.records import ChangedFile

_PYTHON = (".py", ".pyi")
_JAVASCRIPT = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts")
_TEST_PATH = re.compile(
    r"(?:^|/)(?:tests?|__tests__|spec|specs|fixtures?|testdata|__mocks__)/"
    r"|(?:^|/)(?:test_[^/]*\.py|[^/]*_test\.py|conftest\.py|[^/]*\.(?:test|spec)\.[jt]sx?)$"
)


def language_of(path: str) -> str:
    """`python`, `javascript` (incl. TypeScript) or `other`."""
    lowered = path.lower()
    if lowered.endswith(_PYTHON):
        return "python"
    if lowered.endswith(_JAVASCRIPT):
        return "javascript"
    return "other"


def is_test_path(path: str) -> bool:
    return bool(_TEST_PATH.search(path))


@dataclass(frozen=True)
class FileView:
    changed: ChangedFile
    patch: ParsedPatch = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "patch", parse_patch(self.changed.patch))

    @property
    def path(self) -> str:
        return self.changed.path

    @property
    def language(self) -> str:
        return language_of(self.path)

    @property
    def is_test(self) -> bool:
        return is_test_path(self.path)

    @cached_property
    def added(self) -> dict[int, str]:
        """New-file line number -> added line text."""
        return self.patch.added_text_by_line()

    @cached_property
    def head_lines(self) -> list[str] | None:
        """The file at head, split into lines, when the content was fetched."""
        if self.changed.content is None:
            return None
        return self.changed.content.splitlines()

    def line_text(self, line: int) -> str:
        if line in self.added:
            return self.added[line]
        lines = self.head_lines
        if lines is not None and 1 <= line <= len(lines):
            return lines[line - 1]
        return ""

    def occurrence(self, line: int) -> int:
        """Index of this line among identical (normalised) lines of the file."""
        target = normalise_content(self.line_text(line))
        lines = self.head_lines
        if lines is not None and 1 <= line <= len(lines):
            before = lines[: line - 1]
        else:
            before = [text for number, text in sorted(self.added.items()) if number < line]
        return sum(1 for text in before if normalise_content(text) == target)
