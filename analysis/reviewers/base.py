"""The Reviewer seam: deterministic detectors and the LLM reviewer plug in the same way."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from analysis.context import ReviewContext
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
