"""Canonical records: the contract between vendors and everything else.

Vendor payloads are normalised once, in `ingestion/providers/<vendor>/normalize.py`,
into these models. Landing stores them (beside the raw payload), analysis reads them,
dbt types and deduplicates them. Every record carries `tenant_id`.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from warden.tenancy import TENANT_SLUG


class Record(BaseModel):
    """Base of every canonical record: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: the landing entity (folder name) rows of this record type are written to
    landing_entity: ClassVar[str] = ""

    tenant_id: str = Field(pattern=TENANT_SLUG.pattern)


#: hidden marker that identifies Warden's own summary comment on a PR (edited in place)
REVIEW_COMMENT_MARKER = "<!-- warden:review -->"


def pull_request_key(provider: str, repository: str, number: int) -> str:
    """Deterministic PR id: `<provider>:PullRequest:<owner/repo>#<number>` (scoped by tenant)."""
    return f"{provider}:PullRequest:{repository}#{number}"


class Severity(StrEnum):
    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {
    Severity.info: 0,
    Severity.low: 1,
    Severity.medium: 2,
    Severity.high: 3,
    Severity.critical: 4,
}


class FindingCategory(StrEnum):
    security = "security"
    requirement_drift = "requirement_drift"
    standards = "standards"


class PullRequest(Record):
    landing_entity: ClassVar[str] = "pull_requests"

    pr_key: str
    provider: str
    repository: str = Field(description="owner/name")
    number: int = Field(ge=1)
    title: str
    body: str = ""
    author: str
    state: Literal["open", "closed", "merged"]
    draft: bool = False
    base_ref: str
    head_ref: str
    base_sha: str
    head_sha: str
    url: str = ""
    created_at: datetime
    updated_at: datetime
    merged_at: datetime | None = None
    additions: int = 0
    deletions: int = 0
    changed_files: int = 0


class PullRequestRevision(Record):
    """One head SHA of a PR: what a review is keyed on."""

    landing_entity: ClassVar[str] = "pull_request_revisions"

    pr_key: str
    repository: str
    number: int
    head_sha: str
    base_sha: str
    observed_at: datetime


class ChangedFile(Record):
    landing_entity: ClassVar[str] = "changed_files"

    pr_key: str
    repository: str
    number: int
    head_sha: str
    path: str
    previous_path: str | None = None
    status: Literal["added", "modified", "removed", "renamed", "copied", "changed", "unchanged"]
    additions: int = 0
    deletions: int = 0
    patch: str | None = Field(
        default=None, description="unified diff hunk(s); None if binary/too large"
    )
    content: str | None = Field(default=None, description="file at head, when fetched")


class Ticket(Record):
    landing_entity: ClassVar[str] = "tickets"

    ticket_key: str = Field(description="e.g. ENG-123")
    provider: str
    title: str
    description: str = ""
    status: str = ""
    acceptance_criteria: list[str] = Field(default_factory=list)
    url: str = ""
    updated_at: datetime


class DocumentSection(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    heading: str
    level: int = Field(ge=0, le=6)
    anchor: str
    text: str


class Document(Record):
    landing_entity: ClassVar[str] = "documents"

    doc_id: str
    provider: str
    title: str
    path: str = ""
    url: str = ""
    kind: str = Field(default="doc", description="adr | threat_model | design | standard | doc")
    sections: list[DocumentSection] = Field(default_factory=list)
    updated_at: datetime


class PrTicketLink(Record):
    landing_entity: ClassVar[str] = "pr_ticket_links"

    pr_key: str
    repository: str
    number: int
    ticket_key: str
    source: Literal["branch", "title", "body", "manual"]


class Finding(Record):
    landing_entity: ClassVar[str] = "findings"

    run_id: str
    pr_key: str
    repository: str
    number: int
    head_sha: str
    category: FindingCategory
    rule_id: str
    cwe: str | None = Field(default=None, description="e.g. CWE-89")
    severity: Severity
    confidence: float = Field(ge=0.0, le=1.0)
    file_path: str | None = None
    start_line: int | None = None
    end_line: int | None = None
    message: str
    evidence: str = Field(description="the code line (masked), the criterion, or the doc section")
    evidence_source: str = Field(default="", description="e.g. 'docs/adr/0003.md#layering'")
    suggested_fix: str = ""
    fingerprint: str
    suppressed: bool = False


class CriterionVerdictRecord(Record):
    """A review run's verdict on one acceptance criterion of a ticket linked to the PR."""

    landing_entity: ClassVar[str] = "criterion_verdicts"

    run_id: str
    pr_key: str
    repository: str
    number: int
    head_sha: str
    ticket_key: str
    criterion: str
    verdict: Literal["met", "not_met", "needs_human"]
    reason: str
    evidence: list[str] = Field(
        default_factory=list, description="`path:line` of supporting or contradicting code"
    )
    source: Literal["deterministic", "llm"] = "deterministic"
    pr_updated_at: datetime = Field(description="event time of the reviewed revision")


class ReviewRun(Record):
    landing_entity: ClassVar[str] = "review_runs"

    run_id: str
    review_key: str = Field(description="hash of (pr, head sha, engine version, policy hash)")
    pr_key: str
    repository: str
    number: int
    head_sha: str
    trigger: Literal["webhook", "poll", "manual"]
    engine_version: str
    policy_hash: str
    llm_model: str | None = None
    prompt_version: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    llm_cost_usd: float = 0.0
    llm_latency_ms: int = 0
    llm_status: str | None = Field(default=None, description="ok|error|off|skipped_budget|...")
    files_reviewed: int = 0
    files_skipped: int = 0
    status: Literal["reviewed", "error"]
    error: str | None = None
    findings_count: int = 0
    reportable_count: int = 0
    pr_updated_at: datetime = Field(description="event time of the reviewed revision")
    started_at: datetime
    finished_at: datetime


class PostedComment(Record):
    landing_entity: ClassVar[str] = "posted_comments"

    run_id: str
    pr_key: str
    repository: str
    number: int
    head_sha: str
    provider: str
    action: Literal["created", "updated", "unchanged", "none"]
    comment_id: str | None = None
    url: str | None = None
    body_sha256: str | None = None
    open_fingerprints: list[str] = Field(default_factory=list)
    resolved_fingerprints: list[str] = Field(default_factory=list)
    #: findings that also have an inline review comment on their line
    inline_fingerprints: list[str] = Field(default_factory=list)
    posted_at: datetime


class TriageDecision(Record):
    landing_entity: ClassVar[str] = "triage_decisions"

    pr_key: str
    fingerprint: str
    decision: Literal["dismissed", "accepted", "reopened"]
    actor: str
    reason: str = ""
    decided_at: datetime


class AuditEvent(BaseModel):
    """An append-only audit record (control plane), optionally scoped to a tenant."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tenant_id: str | None = None
    actor: str
    action: str
    target: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    at: datetime


def sha256_hex(*parts: str) -> str:
    """Stable hash of string parts (used for ids and keys)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()
