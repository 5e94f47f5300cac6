"""The provider interface: what an integration can do, declared as capability flags.

A provider is built for one tenant's integration (see `registry.build_provider`). Callers
ask `provider.supports(Capability.X)` before using an optional method; methods a provider
does not support raise `UnsupportedCapabilityError`, never pass silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

from warden.errors import WardenError
from warden.records import REVIEW_COMMENT_MARKER, ChangedFile, Document, PullRequest, Record, Ticket

R = TypeVar("R", bound=Record)

REVIEW_MARKER = REVIEW_COMMENT_MARKER
#: hidden marker carrying a finding's fingerprint in each inline comment Warden posts
_INLINE_MARKER = re.compile(r"<!-- warden:inline (?P<fp>[0-9a-f]{64}) -->")


def inline_marker(fingerprint: str) -> str:
    """The hidden marker appended to an inline comment about `fingerprint`."""
    if not re.fullmatch(r"[0-9a-f]{64}", fingerprint):
        raise ValueError("a fingerprint is 64 lowercase hex characters")
    return f"<!-- warden:inline {fingerprint} -->"


def inline_fingerprint(body: str | None) -> str | None:
    """The fingerprint an inline comment's marker names (None: not a Warden inline comment)."""
    match = _INLINE_MARKER.search(body or "")
    return match.group("fp") if match else None


class Capability(StrEnum):
    read_pull_requests = "read_pull_requests"
    read_files = "read_files"  # changed files with patches (and content at head)
    publish_review = "publish_review"  # create/update the bot's summary comment
    publish_inline = "publish_inline"  # review comments on exact lines
    receive_webhooks = "receive_webhooks"
    read_tickets = "read_tickets"
    read_documents = "read_documents"


class UnsupportedCapabilityError(WardenError):
    """A provider was asked for something it does not declare."""


class ProviderError(WardenError):
    """A vendor call failed after retries; the message never contains credentials."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass(frozen=True)
class Fetched(Generic[R]):
    """A canonical record together with the raw vendor payload it came from."""

    record: R
    raw: Any


@dataclass(frozen=True)
class ExistingComment:
    comment_id: str
    body: str
    url: str = ""


@dataclass(frozen=True)
class PublishResult:
    action: str  # created | updated | unchanged
    comment_id: str
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class InlineComment:
    """A comment on one line the pull request added (the new file's line number)."""

    path: str
    line: int
    body: str
    fingerprint: str


@dataclass(frozen=True)
class PublishedInline:
    fingerprint: str
    action: str  # created | exists (an earlier inline comment carries this fingerprint)
    comment_id: str | None = None
    review_id: str | None = None
    url: str = ""


class Provider:
    """Base of every provider. Subclasses set `name`, `kind` and `capabilities`."""

    name: ClassVar[str] = ""
    kind: ClassVar[str] = ""  # scm | tracker | docs | notifier
    capabilities: ClassVar[frozenset[Capability]] = frozenset()

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def _unsupported(self, capability: Capability) -> UnsupportedCapabilityError:
        return UnsupportedCapabilityError(f"provider {self.name!r} cannot {capability.value}")

    def close(self) -> None:
        """Release clients; providers without resources need not override."""


class ScmProvider(Provider):
    """Source-control providers (GitHub, GitLab, local git)."""

    kind: ClassVar[str] = "scm"

    def list_pull_requests(
        self, repository: str, *, updated_since: datetime | None = None
    ) -> list[Fetched[PullRequest]]:
        raise self._unsupported(Capability.read_pull_requests)

    def get_pull_request(self, repository: str, number: int) -> Fetched[PullRequest]:
        raise self._unsupported(Capability.read_pull_requests)

    def list_changed_files(self, pull_request: PullRequest) -> list[Fetched[ChangedFile]]:
        raise self._unsupported(Capability.read_files)

    def find_review_comment(self, pull_request: PullRequest) -> ExistingComment | None:
        raise self._unsupported(Capability.publish_review)

    def publish_review(self, pull_request: PullRequest, body: str) -> PublishResult:
        """Create the bot's summary comment, or edit it in place (found by REVIEW_MARKER)."""
        raise self._unsupported(Capability.publish_review)

    def publish_inline(
        self, pull_request: PullRequest, comments: list[InlineComment]
    ) -> list[PublishedInline]:
        """Post `comments` on their lines as one non-blocking review (never an approval or a
        change request). A comment whose fingerprint is already on the PR is not posted
        again: it comes back with action `exists`."""
        raise self._unsupported(Capability.publish_inline)


class TicketSource(Provider):
    kind: ClassVar[str] = "tracker"

    def list_tickets(self, *, updated_since: datetime | None = None) -> list[Fetched[Ticket]]:
        raise self._unsupported(Capability.read_tickets)


class DocumentSource(Provider):
    kind: ClassVar[str] = "docs"

    def list_documents(self, *, updated_since: datetime | None = None) -> list[Fetched[Document]]:
        raise self._unsupported(Capability.read_documents)
