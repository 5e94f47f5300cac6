"""A stand-in PullRequest for reviews without a code host (`--diff`, `warden scan`)."""

from __future__ import annotations

from warden.clock import utcnow
from warden.records import PullRequest, pull_request_key, sha256_hex

LOCAL_PROVIDER = "local"
LOCAL_NUMBER = 1


def local_pull_request(
    tenant_id: str,
    *,
    repository: str,
    title: str,
    digest: str,
    body: str = "",
    head_ref: str = "local",
    author: str = "local",
) -> PullRequest:
    """A PR keyed `local:PullRequest:<repository>#1` whose head SHA derives from `digest`
    (the reviewed text), so the same input gives the same head and the same fingerprints."""
    now = utcnow()
    return PullRequest(
        tenant_id=tenant_id,
        pr_key=pull_request_key(LOCAL_PROVIDER, repository, LOCAL_NUMBER),
        provider=LOCAL_PROVIDER,
        repository=repository,
        number=LOCAL_NUMBER,
        title=title.strip() or head_ref,
        body=body,
        author=author or "local",
        state="open",
        base_ref="base",
        head_ref=head_ref,
        base_sha=sha256_hex("base", digest)[:40],
        head_sha=sha256_hex("head", digest)[:40],
        created_at=now,
        updated_at=now,
    )
