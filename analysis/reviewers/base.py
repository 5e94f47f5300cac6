"""The Reviewer seam: deterministic detectors and the LLM reviewer plug in the same way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from analysis.context import ReviewContext
from analysis.files import FileView
from warden.records import Finding


@runtime_checkable
class Reviewer(Protocol):
    """Produces findings for a context.

    `hints` are the findings of the reviewers that ran before (the deterministic detectors
    run first), so a later reviewer can confirm, refine or skip them. Findings may carry
    any `run_id`; the engine stamps the run and PR identity on every finding it keeps.
    """

    name: str

    def review(self, context: ReviewContext, hints: list[Finding]) -> list[Finding]: ...


@runtime_checkable
class ReportsNotes(Protocol):
    """Optional: a reviewer that explains what it skipped (e.g. an invalid rule)."""

    def notes(self, context: ReviewContext) -> list[str]: ...


@runtime_checkable
class ReviewsFiles(Protocol):
    """Optional: a reviewer whose findings for a file depend on that file alone.

    Its `review` must equal `review_file` over `context.file_views()` in order; the engine
    may then review the files on several processes (`analysis.file_shards`)."""

    name: str

    def prepare(self, views: Iterable[FileView]) -> None:
        """Load what reviewing these files needs, once, before any worker forks."""
        ...

    def review_file(self, context: ReviewContext, view: FileView) -> list[Finding]: ...
