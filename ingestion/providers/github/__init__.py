"""GitHub provider: client (HTTP) -> pulls (fetch) -> normalize (raw -> canonical) -> publish."""

from ingestion.providers.github import provider as provider
from ingestion.providers.github.provider import GitHubProvider

__all__ = ["GitHubProvider"]
