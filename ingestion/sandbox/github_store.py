"""In-memory state of the fake GitHub: instances, their PRs, comments and injected faults.

One store serves several independent "GitHub instances" (one per tenant), so two
instances can hold the same `owner/name` and PR numbers without seeing each other.
Thread-safe: the app runs in uvicorn's thread while tests inspect from theirs.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from ingestion.sandbox.github_review_state import (
    EVENT_STATES,
    NewReviewComment,
    StoredReview,
    StoredReviewComment,
)
from ingestion.sandbox.world import World
from ingestion.sandbox.world_model import Revision, WorldEvent, WorldPullRequest
from warden.clock import utcnow

BOT_LOGIN = "warden-review[bot]"


@dataclass
class PullState:
    """What the instance shows for one PR right now (revision and state move with events)."""

    pr: WorldPullRequest
    revision: int
    closed_at: datetime | None = None
    merged: bool = False

    @property
    def current(self) -> Revision:
        return self.pr.revisions[self.revision]

    @property
    def state(self) -> Literal["open", "closed"]:
        return "closed" if self.closed_at is not None else "open"

    @property
    def updated_at(self) -> datetime:
        return max(self.current.pushed_at, self.closed_at or self.current.pushed_at)


@dataclass
class StoredComment:
    id: int
    repository: str
    number: int
    body: str
    user_login: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class CommentWrite:
    """A record of every comment write the sandbox accepted (for tests and the demo)."""

    instance: str
    action: Literal["created", "edited"]
    comment_id: int
    repository: str
    number: int
    body: str
    at: datetime


@dataclass(frozen=True)
class Fault:
    status: int
    retry_after: float | None = None
    headers: dict[str, str] = field(default_factory=dict)
    message: str | None = None


@dataclass
class Instance:
    name: str
    token: str
    pulls: dict[tuple[str, int], PullState] = field(default_factory=dict)
    comments: dict[int, StoredComment] = field(default_factory=dict)
    writes: list[CommentWrite] = field(default_factory=list)
    reviews: dict[int, StoredReview] = field(default_factory=dict)
    review_comments: dict[int, StoredReviewComment] = field(default_factory=dict)
    faults: deque[Fault] = field(default_factory=deque)
    requests_made: int = 0


class GitHubStore:
    def __init__(self, clock: Callable[[], datetime] = utcnow) -> None:
        self._lock = threading.RLock()
        self._instances: dict[str, Instance] = {}
        self._next_comment_id = 1_000_001  # ids are unique across instances, like github.com
        self._next_review_id = 80_000_001
        self._next_review_comment_id = 2_000_001
        self._clock = clock

    # -- setup ---------------------------------------------------------------------
    def add_instance(self, name: str, token: str) -> None:
        with self._lock:
            if name in self._instances:
                raise ValueError(f"instance {name!r} exists")
            self._instances[name] = Instance(name, token)

    def instance_names(self) -> list[str]:
        with self._lock:
            return sorted(self._instances)

    def load_world(self, world: World, *, as_of: datetime | None = None) -> None:
        """One instance per tenant (token = the tenant's api_token), PRs as of `as_of`."""
        with self._lock:
            for tenant in world.tenants.values():
                if tenant.tenant_id not in self._instances:
                    self.add_instance(tenant.tenant_id, tenant.api_token)
            for event in world.events(until=as_of):
                self.apply_event(world, event)

    def apply_event(self, world: World, event: WorldEvent) -> None:
        """Make the instance show the PR as it is right after `event`."""
        pr = world.pull_request(event.tenant_id, event.repository, event.number)
        with self._lock:
            instance = self._instance(event.tenant_id)
            key = (pr.repository, pr.number)
            state = instance.pulls.get(key) or PullState(pr, event.revision)
            state.pr, state.revision = pr, event.revision
            if event.action == "closed":
                state.closed_at, state.merged = pr.closed_at, pr.merged
            instance.pulls[key] = state

    # -- reads (the app) -----------------------------------------------------------
    def token_of(self, name: str) -> str | None:
        with self._lock:
            instance = self._instances.get(name)
            return instance.token if instance else None

    def count_request(self, name: str) -> int:
        with self._lock:
            instance = self._instance(name)
            instance.requests_made += 1
            return instance.requests_made

    def requests_made(self, name: str) -> int:
        with self._lock:
            return self._instance(name).requests_made

    def pulls(self, name: str, repository: str) -> list[PullState]:
        with self._lock:
            return [s for (repo, _), s in self._instance(name).pulls.items() if repo == repository]

    def pull(self, name: str, repository: str, number: int) -> PullState | None:
        with self._lock:
            return self._instance(name).pulls.get((repository, number))

    def has_repository(self, name: str, repository: str) -> bool:
        with self._lock:
            return any(repo == repository for repo, _ in self._instance(name).pulls)

    def issue_comments(self, name: str, repository: str, number: int) -> list[StoredComment]:
        with self._lock:
            found = self._instance(name).comments.values()
            return sorted(
                (c for c in found if c.repository == repository and c.number == number),
                key=lambda c: c.id,
            )

    def comment(self, name: str, comment_id: int) -> StoredComment | None:
        with self._lock:
            return self._instance(name).comments.get(comment_id)

    # -- writes (the app) ----------------------------------------------------------
    def create_comment(self, name: str, repository: str, number: int, body: str) -> StoredComment:
        with self._lock:
            instance = self._instance(name)
            now = self._clock()
            comment = StoredComment(
                self._next_comment_id, repository, number, body, BOT_LOGIN, now, now
            )
            self._next_comment_id += 1
            instance.comments[comment.id] = comment
            instance.writes.append(
                CommentWrite(name, "created", comment.id, repository, number, body, now)
            )
            return comment

    def edit_comment(self, name: str, comment_id: int, body: str) -> StoredComment:
        with self._lock:
            instance = self._instance(name)
            comment = instance.comments[comment_id]
            comment.body, comment.updated_at = body, self._clock()
            instance.writes.append(
                CommentWrite(
                    name,
                    "edited",
                    comment.id,
                    comment.repository,
                    comment.number,
                    body,
                    comment.updated_at,
                )
            )
            return comment

    def create_review(
        self,
        name: str,
        repository: str,
        number: int,
        *,
        body: str,
        event: str | None,
        commit_id: str,
        comments: list[NewReviewComment],
    ) -> StoredReview:
        """A review with its comments (all or nothing); PENDING when `event` is None."""
        with self._lock:
            instance = self._instance(name)
            now = self._clock()
            state = EVENT_STATES[event]
            review = StoredReview(
                self._next_review_id,
                repository,
                number,
                body,
                state,
                commit_id,
                BOT_LOGIN,
                None if state == "PENDING" else now,
            )
            self._next_review_id += 1
            instance.reviews[review.id] = review
            for comment in comments:
                stored = StoredReviewComment(
                    self._next_review_comment_id,
                    review.id,
                    repository,
                    number,
                    commit_id,
                    comment,
                    BOT_LOGIN,
                    now,
                    now,
                )
                self._next_review_comment_id += 1
                instance.review_comments[stored.id] = stored
            return review

    def reviews(self, name: str, repository: str, number: int) -> list[StoredReview]:
        """Reviews of one PR in chronological order (all of them, also pending ones)."""
        with self._lock:
            found = self._instance(name).reviews.values()
            return sorted(
                (r for r in found if r.repository == repository and r.number == number),
                key=lambda r: r.id,
            )

    def review_comments(self, name: str, repository: str, number: int) -> list[StoredReviewComment]:
        """Comments of submitted reviews on one PR, ascending by id (pending ones are hidden)."""
        with self._lock:
            instance = self._instance(name)
            return sorted(
                (
                    c
                    for c in instance.review_comments.values()
                    if c.repository == repository
                    and c.number == number
                    and instance.reviews[c.review_id].state != "PENDING"
                ),
                key=lambda c: c.id,
            )

    # -- faults and inspection (tests, demo) ---------------------------------------
    def inject_faults(
        self,
        name: str,
        status: int,
        count: int = 1,
        *,
        retry_after: float | None = None,
        headers: dict[str, str] | None = None,
        message: str | None = None,
    ) -> None:
        """The next `count` API requests to instance `name` fail with `status`."""
        with self._lock:
            instance = self._instance(name)
            for _ in range(count):
                instance.faults.append(Fault(status, retry_after, dict(headers or {}), message))

    def take_fault(self, name: str) -> Fault | None:
        with self._lock:
            faults = self._instance(name).faults
            return faults.popleft() if faults else None

    def comment_writes(self, name: str) -> list[CommentWrite]:
        with self._lock:
            return list(self._instance(name).writes)

    def all_comments(self, name: str) -> list[StoredComment]:
        with self._lock:
            return sorted(self._instance(name).comments.values(), key=lambda c: c.id)

    def _instance(self, name: str) -> Instance:
        instance = self._instances.get(name)
        if instance is None:
            raise KeyError(f"no sandbox GitHub instance {name!r}")
        return instance
