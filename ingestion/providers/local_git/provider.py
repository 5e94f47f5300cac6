"""LocalGitProvider: every local branch ahead of the base branch is an open PR."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from ingestion.providers.base import Capability, Fetched, ProviderError, ScmProvider
from ingestion.providers.local_git.files import fetch_changed_files
from ingestion.providers.local_git.git import ensure_repository, git_text, resolve_commit
from ingestion.providers.local_git.pulls import (
    PROVIDER,
    derived_number,
    fetch_pull_request,
    repository_name,
)
from ingestion.providers.registry import ProviderContext, register
from warden.records import ChangedFile, PullRequest

DEFAULT_BASE = "main"


class LocalGitProvider(ScmProvider):
    """Reads PRs (`base..branch`) and their files from a repository on disk; no network."""

    name: ClassVar[str] = PROVIDER
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.read_pull_requests, Capability.read_files}
    )

    def __init__(self, tenant_id: str, repo_path: str | Path, base: str = DEFAULT_BASE) -> None:
        self.tenant_id = tenant_id
        self.repo = ensure_repository(repo_path)
        self.base = base
        self.repository = repository_name(self.repo)

    def _check_repository(self, repository: str) -> None:
        if repository != self.repository:
            raise ProviderError(
                f"local repository is {self.repository!r}, not {repository!r}", status_code=404
            )

    def head_branches(self) -> list[str]:
        """Local branches other than the base that have commits the base does not."""
        base_sha = resolve_commit(self.repo, self.base)
        out = git_text(self.repo, "for-each-ref", "--format=%(refname:short)", "refs/heads/")
        branches = []
        for branch in out.splitlines():
            if not branch or branch == self.base:
                continue
            ahead = git_text(self.repo, "rev-list", "--count", f"{base_sha}..refs/heads/{branch}")
            if int(ahead.strip()) > 0:
                branches.append(branch)
        return branches

    def list_pull_requests(
        self, repository: str, *, updated_since: datetime | None = None
    ) -> list[Fetched[PullRequest]]:
        self._check_repository(repository)
        pulls = []
        for branch in self.head_branches():
            record, raw = fetch_pull_request(self.tenant_id, self.repo, self.base, branch)
            if updated_since is None or record.updated_at >= updated_since:
                pulls.append(Fetched(record=record, raw=raw))
        return pulls

    def get_pull_request(self, repository: str, number: int) -> Fetched[PullRequest]:
        self._check_repository(repository)
        for branch in self.head_branches():
            if derived_number(branch) == number:
                record, raw = fetch_pull_request(self.tenant_id, self.repo, self.base, branch)
                return Fetched(record=record, raw=raw)
        raise ProviderError(f"no local pull request #{number} in {repository}", status_code=404)

    def list_changed_files(self, pull_request: PullRequest) -> list[Fetched[ChangedFile]]:
        self._check_repository(pull_request.repository)
        return [
            Fetched(record=record, raw=raw)
            for record, raw in fetch_changed_files(self.tenant_id, pull_request, self.repo)
        ]


@register("scm", PROVIDER)
def build_local_git_provider(context: ProviderContext) -> LocalGitProvider:
    config: dict[str, Any] = context.integration.config
    path = config.get("path")
    if not isinstance(path, str) or not path:
        raise ProviderError("local_git integration needs config {'path': <repository dir>}")
    return LocalGitProvider(context.tenant_id, path, base=str(config.get("base", DEFAULT_BASE)))
