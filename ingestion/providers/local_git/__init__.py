"""Local git provider: a PR is `base..head` of a repository on disk (offline demo and tests)."""

from ingestion.providers.local_git.files import changed_files_between, fetch_changed_files
from ingestion.providers.local_git.git import LocalGitError
from ingestion.providers.local_git.provider import LocalGitProvider
from ingestion.providers.local_git.pulls import fetch_pull_request, pull_request_from_refs

__all__ = [
    "LocalGitError",
    "LocalGitProvider",
    "changed_files_between",
    "fetch_changed_files",
    "fetch_pull_request",
    "pull_request_from_refs",
]
