"""Build, sign and send `pull_request` webhook deliveries for the fixture world.

Payloads start from GitHub's real example (contracts `webhooks/pull_request.opened.payload.json`)
with identities, URLs and state substituted; every payload is validated against
`webhook-schemas/pull_request/<action>.schema.json` before it is sent.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx

from ingestion.sandbox.contracts import load_json, validate_webhook_payload
from ingestion.sandbox.github_render import Roots, iso, node_id, stable_id
from ingestion.sandbox.github_store import GitHubStore
from ingestion.sandbox.world import World
from ingestion.sandbox.world_model import WorldEvent, WorldPullRequest

HOOKSHOT_USER_AGENT = "GitHub-Hookshot/sandbox"
DELIVERY_NAMESPACE = uuid.UUID("6f1c3f0e-5b1a-4c55-9a52-7d1f3c0b9e11")
_EX_OWNER = "Codertocat"
_EX_REPO = "Codertocat/Hello-World"


@dataclass(frozen=True)
class WebhookDelivery:
    tenant_id: str
    event: str
    action: str
    delivery_id: str
    body: bytes  # exactly the bytes that were signed
    headers: dict[str, str]

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.body)


@cache
def _template() -> dict[str, Any]:
    return load_json("webhooks/pull_request.opened.payload.json")


def _swap(node: Any, pairs: list[tuple[str, str]]) -> Any:
    if isinstance(node, dict):
        return {k: _swap(v, pairs) for k, v in node.items()}
    if isinstance(node, list):
        return [_swap(v, pairs) for v in node]
    if isinstance(node, str):
        for old, new in pairs:
            node = node.replace(old, new)
    return node


def _user(login: str, roots: Roots, kind: str = "User") -> dict[str, Any]:
    user = _swap(
        _template()["sender"],
        [
            (f"https://api.github.com/users/{_EX_OWNER}", f"{roots.api}/users/{login}"),
            (f"https://github.com/{_EX_OWNER}", f"{roots.web}/{login}"),
            (
                "https://avatars1.githubusercontent.com/u/21031067?v=4",
                f"{roots.web}/avatars/{login}",
            ),
        ],
    )
    user_id = stable_id("user", login)
    user.update(login=login, id=user_id, node_id=node_id("User", user_id), type=kind)
    return user


def sign(secret: str, body: bytes) -> str:
    """`X-Hub-Signature-256` value: HMAC-SHA256 of the exact body bytes."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def delivery_id(tenant_id: str, pr: WorldPullRequest, action: str, head_sha: str) -> str:
    """Deterministic per (tenant, PR, action, head sha): a replay is the same delivery."""
    name = f"{tenant_id}:{pr.repository}#{pr.number}:{action}:{head_sha}"
    return str(uuid.uuid5(DELIVERY_NAMESPACE, name))


def build_payload(pr: WorldPullRequest, event: WorldEvent, roots: Roots) -> dict[str, Any]:
    """The `pull_request` payload for `event`, validated against the action's schema."""
    full, number = pr.repository, pr.number
    revision = pr.revisions[event.revision]
    payload = _swap(
        copy.deepcopy(_template()),
        [
            (
                f"https://api.github.com/repos/{_EX_REPO}/pulls/2",
                f"{roots.api}/repos/{full}/pulls/{number}",
            ),
            (
                f"https://api.github.com/repos/{_EX_REPO}/issues/2",
                f"{roots.api}/repos/{full}/issues/{number}",
            ),
            (f"https://github.com/{_EX_REPO}/pull/2", f"{roots.web}/{full}/pull/{number}"),
            (f"https://api.github.com/repos/{_EX_REPO}", f"{roots.api}/repos/{full}"),
            (f"https://github.com/{_EX_REPO}", f"{roots.web}/{full}"),
            (f"git://github.com/{_EX_REPO}.git", f"git://{roots.web.split('://')[-1]}/{full}.git"),
            (f"git@github.com:{_EX_REPO}.git", f"git@{roots.web.split('://')[-1]}:{full}.git"),
            ("https://api.github.com", roots.api),
            ("https://github.com", roots.web),
        ],
    )
    owner = full.split("/", 1)[0]
    repo = payload["repository"]
    repo_id = stable_id("repo", roots.api, full)
    repo.update(
        id=repo_id,
        node_id=node_id("Repository", repo_id),
        name=full.split("/", 1)[1],
        full_name=full,
        owner=_user(owner, roots, "Organization"),
        private=True,
        visibility="private",
        default_branch="main",
        created_at=iso(pr.created_at),
        updated_at=iso(revision.pushed_at),
        pushed_at=iso(revision.pushed_at),
    )
    closed = event.action == "closed"
    merged = closed and pr.merged
    pull = payload["pull_request"]
    pr_id = stable_id("pull", roots.api, full, number)
    pull.update(
        id=pr_id,
        node_id=node_id("PullRequest", pr_id),
        number=number,
        state="closed" if closed else "open",
        title=pr.title,
        user=_user(pr.author, roots),
        body=pr.body,
        created_at=iso(pr.created_at),
        updated_at=iso(event.at),
        closed_at=iso(event.at) if closed else None,
        merged_at=iso(event.at) if merged else None,
        merge_commit_sha=revision.head_sha[::-1] if merged else None,
        assignee=None,
        assignees=[],
        requested_reviewers=[],
        requested_teams=[],
        labels=[],
        milestone=None,
        active_lock_reason=None,
        draft=False,
        merged=merged,
        merged_by=_user(pr.author, roots) if merged else None,
        mergeable=None,
        rebaseable=None,
        mergeable_state="unknown",
        author_association="MEMBER",
        statuses_url=f"{roots.api}/repos/{full}/statuses/{revision.head_sha}",
        commits=event.revision + 1,
        changed_files=len(revision.files),
        additions=sum(f.additions for f in revision.files),
        deletions=sum(f.deletions for f in revision.files),
    )
    for side, ref, sha in (
        ("head", pr.head_ref, revision.head_sha),
        ("base", pr.base_ref, pr.base_sha),
    ):
        pull[side].update(
            label=f"{owner}:{ref}",
            ref=ref,
            sha=sha,
            repo=repo,
            user=_user(owner, roots, "Organization"),
        )
    payload.update(action=event.action, number=number, sender=_user(pr.author, roots))
    installation_id = stable_id("installation", pr.tenant_id)
    payload["installation"] = {
        "id": installation_id,
        "node_id": node_id("Installation", installation_id),
    }
    if event.action == "synchronize":
        payload["before"] = pr.revisions[event.revision - 1].head_sha
        payload["after"] = revision.head_sha
    validate_webhook_payload("pull_request", payload)
    return payload


def build_delivery(world: World, event: WorldEvent, secret: str, roots: Roots) -> WebhookDelivery:
    pr = world.pull_request(event.tenant_id, event.repository, event.number)
    payload = build_payload(pr, event, roots)
    body = json.dumps(payload, separators=(",", ":")).encode()
    head_sha = pr.revisions[event.revision].head_sha
    identifier = delivery_id(event.tenant_id, pr, event.action, head_sha)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": HOOKSHOT_USER_AGENT,
        "X-GitHub-Event": "pull_request",
        "X-GitHub-Delivery": identifier,
        "X-GitHub-Hook-ID": str(stable_id("hook", event.tenant_id)),
        "X-GitHub-Hook-Installation-Target-Type": "repository",
        "X-GitHub-Hook-Installation-Target-ID": str(payload["repository"]["id"]),
        "X-Hub-Signature-256": sign(secret, body),
    }
    return WebhookDelivery(event.tenant_id, "pull_request", event.action, identifier, body, headers)


def send_delivery(delivery: WebhookDelivery, url: str, client: httpx.Client) -> httpx.Response:
    """POST the exact signed bytes."""
    return client.post(url, content=delivery.body, headers=delivery.headers)


@dataclass(frozen=True)
class PlayedDelivery:
    event: WorldEvent
    delivery: WebhookDelivery
    status_code: int


def default_roots(tenant_id: str) -> Roots:
    return Roots(
        api=f"https://github.sandbox.invalid/{tenant_id}/api/v3",
        web=f"https://github.sandbox.invalid/{tenant_id}",
    )


class WebhookPlayer:
    """Replay the world's PR events in time order to a webhook receiver.

    `receiver_url` is a template with `{tenant}` (e.g. `http://127.0.0.1:8787/webhooks/{tenant}/github`).
    With a `store`, each event is applied to the fake GitHub first, so the REST API shows
    the PR exactly as the delivery describes it (start the sandbox with `as_of=world.start`).
    """

    def __init__(
        self,
        world: World,
        receiver_url: str,
        *,
        store: GitHubStore | None = None,
        roots: Callable[[str], Roots] = default_roots,
        secrets: Mapping[str, str] | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.world = world
        self.receiver_url = receiver_url
        self.store = store
        self.roots = roots
        self.secrets = (
            dict(secrets)
            if secrets is not None
            else {t.tenant_id: t.webhook_secret for t in world.tenants.values()}
        )
        self._client = client

    def deliveries(self, until: Any = None) -> Iterator[tuple[WorldEvent, WebhookDelivery]]:
        for event in self.world.events(until=until):
            secret = self.secrets[event.tenant_id]
            yield event, build_delivery(self.world, event, secret, self.roots(event.tenant_id))

    def play(self, until: Any = None, *, limit: int | None = None) -> list[PlayedDelivery]:
        played: list[PlayedDelivery] = []
        client = self._client or httpx.Client(timeout=10.0)
        try:
            for event, delivery in self.deliveries(until):
                if limit is not None and len(played) >= limit:
                    break
                if self.store is not None:
                    self.store.apply_event(self.world, event)
                url = self.receiver_url.format(tenant=event.tenant_id)
                response = send_delivery(delivery, url, client)
                played.append(PlayedDelivery(event, delivery, response.status_code))
        finally:
            if self._client is None:
                client.close()
        return played
