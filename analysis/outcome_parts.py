"""Parts of a review outcome besides findings: criterion verdicts, coverage, LLM usage."""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from analysis.context import ReviewContext


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CriterionVerdict(_Part):
    """Whether one atomic acceptance criterion of a linked ticket is met by the change."""

    ticket_key: str
    criterion: str
    verdict: Literal["met", "not_met", "needs_human"]
    reason: str
    #: what supports the verdict: `path:line` of added lines or tests, or the contradicting code
    evidence: list[str] = Field(default_factory=list)
    source: Literal["deterministic", "llm"] = "deterministic"


class SkippedFile(_Part):
    path: str
    reason: str  # generated | vendored | binary | too_large | lockfile | budget


class Coverage(_Part):
    files_total: int
    files_reviewed: int
    skipped: list[SkippedFile] = Field(default_factory=list)

    def summary_line(self) -> str | None:
        """e.g. 'reviewed 37 of 40 files; 3 generated files skipped' (None if nothing skipped)."""
        if not self.skipped:
            return None
        counts: dict[str, int] = {}
        for item in self.skipped:
            counts[item.reason] = counts.get(item.reason, 0) + 1
        parts = [
            f"{n} {reason.replace('_', ' ')} file{'s' if n != 1 else ''}"
            for reason, n in sorted(counts.items())
        ]
        return (
            f"reviewed {self.files_reviewed} of {self.files_total} files; "
            f"{', '.join(parts)} skipped"
        )


class LlmUsage(_Part):
    """What the LLM reviewer cost and did for one review run (recorded on ReviewRun)."""

    status: Literal["ok", "error", "off", "skipped_budget", "invalid_output"]
    model: str | None = None
    prompt_version: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_creation_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: int = 0
    detail: str = ""


@runtime_checkable
class ReportsVerdicts(Protocol):
    """A reviewer that judges acceptance criteria (deterministic or LLM)."""

    def verdicts(self, context: ReviewContext) -> list[CriterionVerdict]: ...


@runtime_checkable
class ReportsUsage(Protocol):
    """A reviewer that spends a metered resource (the LLM)."""

    def usage(self) -> LlmUsage | None: ...
