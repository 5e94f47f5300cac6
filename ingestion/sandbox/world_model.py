"""The fixture world's data: tenants, repositories, PRs with revisions, tickets, docs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from ingestion.sandbox.scenarios import TicketSpec
from ingestion.sandbox.scenarios.diffs import FileChange
from warden.records import pull_request_key

WorldAction = Literal["opened", "synchronize", "closed"]


@dataclass(frozen=True)
class Revision:
    head_sha: str
    pushed_at: datetime
    files: tuple[FileChange, ...]
    expected_categories: frozenset[str]


@dataclass(frozen=True)
class WorldPullRequest:
    tenant_id: str
    repository: str
    number: int
    title: str
    body: str
    author: str
    head_ref: str
    base_ref: str
    base_sha: str
    created_at: datetime
    revisions: tuple[Revision, ...]
    closed_at: datetime | None
    merged: bool
    scenario: str
    ticket_keys: tuple[str, ...]

    @property
    def pr_key(self) -> str:
        return pull_request_key("github", self.repository, self.number)

    @property
    def latest(self) -> Revision:
        return self.revisions[-1]

    @property
    def expected_categories(self) -> frozenset[str]:
        """What a correct review of the latest head reports."""
        return self.latest.expected_categories

    @property
    def updated_at(self) -> datetime:
        return self.closed_at or self.latest.pushed_at


@dataclass(frozen=True)
class WorldTicket:
    key: str
    spec: TicketSpec
    updated: datetime


@dataclass(frozen=True)
class WorldDocument:
    filename: str  # relative to the docs folder
    text: str


@dataclass(frozen=True)
class WorldTenant:
    tenant_id: str
    api_token: str  # the sandbox instance's token (a fixture, not a real credential)
    webhook_secret: str  # signs this tenant's sandbox webhook deliveries
    repositories: tuple[str, ...]
    pull_requests: tuple[WorldPullRequest, ...]
    tickets: tuple[WorldTicket, ...]
    documents: tuple[WorldDocument, ...]
    rule_ids: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class WorldEvent:
    """One webhook-worthy moment: a PR opened, pushed to again, or closed."""

    at: datetime
    tenant_id: str
    repository: str
    number: int
    action: WorldAction
    revision: int  # index into the PR's revisions that is current after this event
