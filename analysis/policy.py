"""Review policy: what is worth a comment. Pure decisions, stable hash."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from warden.records import Finding, Severity, sha256_hex


class ReviewPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    severity_threshold: Severity = Severity.medium
    min_confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    max_comments: int = Field(default=10, ge=0, le=100)
    require_linked_ticket: bool = False

    @classmethod
    def from_repository_policy(cls, policy: dict[str, Any] | None) -> ReviewPolicy:
        """Build from a repository's `review_policy` JSON.

        Keys may use `_` or `-`. Keys this policy does not own are ignored (the same JSON
        may carry settings for other parts); invalid values raise a pydantic
        ValidationError naming the field.
        """
        known = set(cls.model_fields)
        values = {
            key.replace("-", "_"): value
            for key, value in (policy or {}).items()
            if key.replace("-", "_") in known
        }
        return cls.model_validate(values)

    def policy_hash(self) -> str:
        """Stable across processes and key order: sha256 of the canonical JSON."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return sha256_hex("review-policy", canonical)


def is_reportable(finding: Finding, policy: ReviewPolicy) -> bool:
    """Worth a comment: not suppressed, severe enough, confident enough."""
    return (
        not finding.suppressed
        and finding.severity.rank >= policy.severity_threshold.rank
        and finding.confidence >= policy.min_confidence
    )


#: the same weights the risk mart uses (docs: mart_pr_risk)
SEVERITY_WEIGHT = {
    Severity.info: 0.0,
    Severity.low: 1.0,
    Severity.medium: 3.0,
    Severity.high: 7.0,
    Severity.critical: 10.0,
}


def priority(finding: Finding) -> tuple[float, int, float]:
    """Ranking key for the comment (higher first): severity weight x confidence, then severity."""
    weighted = SEVERITY_WEIGHT[finding.severity] * finding.confidence
    return (weighted, finding.severity.rank, finding.confidence)
