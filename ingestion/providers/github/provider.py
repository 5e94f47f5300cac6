"""GitHubProvider: the ScmProvider for GitHub (github.com or GitHub Enterprise)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import SecretStr

from ingestion.providers.base import (
    Capability,
    ExistingComment,
    Fetched,
    InlineComment,
    PublishedInline,
    PublishResult,
    ScmProvider,
)
from ingestion.providers.github import publish, pulls
from ingestion.providers.github.client import GitHubClient
from ingestion.providers.github.normalize import (
    normalize_changed_file,
    normalize_pull_request,
)
from ingestion.providers.registry import ProviderContext, register
from warden.records import ChangedFile, PullRequest
from warden.secrets import resolve_secret

DEFAULT_BASE_URL = "https://api.github.com"


class GitHubProvider(ScmProvider):
    name: ClassVar[str] = "github"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.read_pull_requests,
            Capability.read_files,
            Capability.publish_review,
            Capability.publish_inline,
            Capability.receive_webhooks,
        }
    )

    def __init__(self, tenant_id: str, client: GitHubClient) -> None:
        self.tenant_id = tenant_id
        self.client = client

    def list_pull_requests(
        self, repository: str, *, updated_since: datetime | None = None
    ) -> list[Fetched[PullRequest]]:
        return [
            Fetched(normalize_pull_request(self.tenant_id, raw, repository=repository), raw)
            for raw in pulls.iter_pull_requests(
                self.client, repository, updated_since=updated_since
            )
        ]

    def get_pull_request(self, repository: str, number: int) -> Fetched[PullRequest]:
        raw = pulls.get_pull_request(self.client, repository, number)
        return Fetched(normalize_pull_request(self.tenant_id, raw, repository=repository), raw)

    def list_changed_files(self, pull_request: PullRequest) -> list[Fetched[ChangedFile]]:
        self._check_tenant(pull_request)
        return [
            Fetched(normalize_changed_file(pull_request, raw), raw)
            for raw in pulls.iter_pull_request_files(
                self.client, pull_request.repository, pull_request.number
            )
        ]

    def find_review_comment(self, pull_request: PullRequest) -> ExistingComment | None:
        self._check_tenant(pull_request)
        return publish.find_review_comment(
            self.client, pull_request.repository, pull_request.number
        )

    def publish_review(self, pull_request: PullRequest, body: str) -> PublishResult:
        self._check_tenant(pull_request)
        return publish.publish_review_comment(
            self.client, pull_request.repository, pull_request.number, body
        )

    def publish_inline(
        self, pull_request: PullRequest, comments: list[InlineComment]
    ) -> list[PublishedInline]:
        self._check_tenant(pull_request)
        if not comments:
            return []
        return publish.publish_inline_comments(
            self.client,
            pull_request.repository,
            pull_request.number,
            pull_request.head_sha,
            comments,
        )

    def close(self) -> None:
        self.client.close()

    def _check_tenant(self, pull_request: PullRequest) -> None:
        if pull_request.tenant_id != self.tenant_id:
            raise ValueError("pull request belongs to another tenant")


def build_client(
    base_url: str, token: SecretStr, *, timeout: float, max_retries: int
) -> GitHubClient:
    return GitHubClient(base_url, token, timeout=timeout, max_retries=max_retries)


@register("scm", "github")
def github_provider_factory(context: ProviderContext) -> GitHubProvider:
    """Config keys: `base_url` (default api.github.com). Token: `integration.credential_ref`."""
    integration = context.integration
    if not integration.credential_ref:
        raise ValueError(f"github integration {integration.name!r} has no credential_ref")
    base_url = str(integration.config.get("base_url") or DEFAULT_BASE_URL)
    client = build_client(
        base_url,
        resolve_secret(integration.credential_ref),
        timeout=context.settings.http_timeout_seconds,
        max_retries=context.settings.http_max_retries,
    )
    return GitHubProvider(context.tenant_id, client)
