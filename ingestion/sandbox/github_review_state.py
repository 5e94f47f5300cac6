"""The fake GitHub's pull-request reviews and review comments, and where a line sits in a diff.

GitHub accepts a review comment only on a line the diff shows: `side: RIGHT` is a line of
the new file that is added or context in a hunk, `side: LEFT` a line of the old file that is
removed or context. `DiffLines` answers that for one file's `patch`, with the deprecated
`position` (lines below the first `@@`) and the `diff_hunk` GitHub returns with a comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Side = Literal["LEFT", "RIGHT"]
ReviewState = Literal["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "PENDING"]
EVENT_STATES: dict[str | None, ReviewState] = {
    "APPROVE": "APPROVED",
    "REQUEST_CHANGES": "CHANGES_REQUESTED",
    "COMMENT": "COMMENTED",
    None: "PENDING",
}
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class DiffPosition:
    position: int  # 1 = the line just below the first `@@`
    diff_hunk: str  # from the hunk's header down to this line


class DiffLines:
    """Which (side, line) pairs of one file's patch a comment can be placed on."""

    def __init__(self, patch: str) -> None:
        self._where: dict[tuple[Side, int], tuple[int, int]] = {}
        self._lines = lines = patch.split("\n")
        old = new = 0
        hunk_start = 0
        for index, text in enumerate(lines):
            header = _HUNK.match(text)
            if header:
                old, new, hunk_start = int(header[1]), int(header[3]), index
                continue
            marker = text[:1]
            here = (hunk_start, index)
            if marker == "+":
                self._where[("RIGHT", new)] = here
                new += 1
            elif marker == "-":
                self._where[("LEFT", old)] = here
                old += 1
            elif marker == " ":
                self._where[("RIGHT", new)] = here
                self._where[("LEFT", old)] = here
                old, new = old + 1, new + 1

    def locate(self, side: Side, line: int) -> DiffPosition | None:
        found = self._where.get((side, line))
        if found is None:
            return None
        hunk_start, index = found
        return DiffPosition(index, "\n".join(self._lines[hunk_start : index + 1]))


@dataclass
class StoredReview:
    id: int
    repository: str
    number: int
    body: str
    state: ReviewState
    commit_id: str
    user_login: str
    submitted_at: datetime | None


@dataclass(frozen=True)
class NewReviewComment:
    """A validated comment of a create-review request, placed on its diff line."""

    path: str
    line: int
    side: Side
    start_line: int | None
    start_side: Side | None
    body: str
    position: int
    diff_hunk: str


@dataclass
class StoredReviewComment:
    id: int
    review_id: int
    repository: str
    number: int
    commit_id: str
    comment: NewReviewComment
    user_login: str
    created_at: datetime
    updated_at: datetime
