"""Local git provider against real repositories built in tmp_path."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingestion.providers.base import Capability, ProviderError
from ingestion.providers.local_git import (
    LocalGitError,
    LocalGitProvider,
    changed_files_between,
    pull_request_from_refs,
)
from ingestion.providers.local_git.pulls import derived_number
from ingestion.providers.registry import build_provider
from warden.controlplane.rows import IntegrationRow
from warden.settings import Settings

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\xff\x00binary"


def git(repo: Path, *args: str, date: str = "2026-09-01T10:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(repo.parent),
    }
    out = subprocess.run(
        [
            "git",
            "-c",
            "user.name=Ada Lovelace",
            "-c",
            "user.email=ada@example.com",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def write(repo: Path, path: str, content: str | bytes) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """main: service.py, old_name.py, gone.txt; feature/ENG-42-lockout changes all of them."""
    repo = tmp_path / "payments-api"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write(repo, "src/service.py", "".join(f"line {i}\n" for i in range(1, 21)))
    write(repo, "src/old_name.py", "".join(f"def f{i}():\n    return {i}\n" for i in range(10)))
    write(repo, "gone.txt", "to be deleted\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Initial import", date="2026-08-01T09:00:00+00:00")

    git(repo, "checkout", "-q", "-b", "feature/ENG-42-lockout")
    service = (repo / "src/service.py").read_text().replace("line 10\n", "line 10 changed\n")
    write(repo, "src/service.py", service)
    git(repo, "commit", "-q", "-am", "Start lockout", date="2026-09-01T08:00:00+02:00")
    git(repo, "mv", "src/old_name.py", "src/new_name.py")
    write(repo, "src/new_name.py", (repo / "src/new_name.py").read_text() + "# moved\n")
    write(repo, "assets/logo.png", PNG_BYTES)
    write(repo, "docs/ünïcode name.md", "# Hello\n")
    git(repo, "rm", "-q", "gone.txt")
    git(repo, "add", "-A")
    git(
        repo,
        "commit",
        "-q",
        "-m",
        "ENG-42: Lock accounts after failed logins\n\nLocks for 15 minutes.\nSee ENG-43 too.",
        date="2026-09-02T12:30:00+00:00",
    )
    git(repo, "checkout", "-q", "main")
    # main moves on after the branch point: must not appear in the PR's diff
    write(repo, "unrelated.txt", "main only\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Main moves on", date="2026-09-03T00:00:00+00:00")
    return repo


HEAD = "feature/ENG-42-lockout"


def test_pull_request_fields_come_from_the_commits(repo):
    pr = pull_request_from_refs("acme", repo, "main", HEAD)

    assert pr.tenant_id == "acme" and pr.provider == "local_git"
    assert pr.repository == "payments-api"
    assert pr.title == "ENG-42: Lock accounts after failed logins"
    assert pr.body == "Locks for 15 minutes.\nSee ENG-43 too."
    assert pr.author == "Ada Lovelace"
    assert pr.base_sha == git(repo, "rev-parse", "main")
    assert pr.head_sha == git(repo, "rev-parse", HEAD)
    assert (pr.base_ref, pr.head_ref, pr.state) == ("main", HEAD, "open")
    assert pr.created_at == datetime(2026, 9, 1, 6, 0, tzinfo=UTC)
    assert pr.updated_at == datetime(2026, 9, 2, 12, 30, tzinfo=UTC)
    assert pr.number == derived_number(HEAD)
    assert pr.pr_key == f"local_git:PullRequest:payments-api#{pr.number}"
    assert pr.changed_files == 5


def test_pr_number_is_stable_and_can_be_given(repo):
    first = pull_request_from_refs("acme", repo, "main", HEAD)
    write(repo, "extra.txt", "x\n")
    git(repo, "checkout", "-q", HEAD)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "More work")
    moved = pull_request_from_refs("acme", repo, "main", HEAD)
    assert moved.head_sha != first.head_sha
    assert moved.number == first.number
    assert pull_request_from_refs("acme", repo, "main", HEAD, number=7).number == 7


def test_repository_name_comes_from_origin_when_present(repo):
    git(repo, "remote", "add", "origin", "git@github.com:platform/payments.git")
    pr = pull_request_from_refs("acme", repo, "main", HEAD)
    assert pr.repository == "platform/payments"


def test_changed_files_have_status_patches_and_content(repo):
    pr = pull_request_from_refs("acme", repo, "main", HEAD)
    files = {f.path: f for f in changed_files_between("acme", pr, repo)}

    assert set(files) == {
        "src/service.py",
        "src/new_name.py",
        "assets/logo.png",
        "gone.txt",
        "docs/ünïcode name.md",
    }
    assert "unrelated.txt" not in files
    service = files["src/service.py"]
    assert (service.status, service.additions, service.deletions) == ("modified", 1, 1)
    assert service.patch.startswith("@@ -7,7 +7,7 @@")
    assert "-line 10\n+line 10 changed\n" in service.patch
    assert "diff --git" not in service.patch
    assert service.content == (repo / "src/service.py").read_text().replace(
        "line 10\n", "line 10 changed\n"
    )
    assert service.head_sha == pr.head_sha and service.pr_key == pr.pr_key


def test_rename_is_detected_with_previous_path(repo):
    pr = pull_request_from_refs("acme", repo, "main", HEAD)
    renamed = next(f for f in changed_files_between("acme", pr, repo) if f.status == "renamed")
    assert (renamed.previous_path, renamed.path) == ("src/old_name.py", "src/new_name.py")
    assert (renamed.additions, renamed.deletions) == (1, 0)
    assert "+# moved" in renamed.patch
    assert renamed.content.endswith("# moved\n")


def test_binary_file_has_no_patch_and_no_content(repo):
    pr = pull_request_from_refs("acme", repo, "main", HEAD)
    [logo] = [f for f in changed_files_between("acme", pr, repo) if f.path == "assets/logo.png"]
    assert logo.status == "added"
    assert logo.patch is None and logo.content is None


def test_removed_and_unicode_paths(repo):
    pr = pull_request_from_refs("acme", repo, "main", HEAD)
    files = {f.path: f for f in changed_files_between("acme", pr, repo)}
    gone = files["gone.txt"]
    assert (gone.status, gone.deletions, gone.content) == ("removed", 1, None)
    assert "-to be deleted" in gone.patch
    assert files["docs/ünïcode name.md"].content == "# Hello\n"


def test_content_over_one_megabyte_is_skipped(repo):
    git(repo, "checkout", "-q", HEAD)
    write(repo, "big.txt", "a" * (1024 * 1024 + 1))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Big file")
    pr = pull_request_from_refs("acme", repo, "main", HEAD)
    [big] = [f for f in changed_files_between("acme", pr, repo) if f.path == "big.txt"]
    assert big.content is None
    assert big.patch.startswith("@@")


def test_unknown_ref_is_a_clear_error(repo):
    with pytest.raises(LocalGitError, match="unknown ref 'feature/nope'"):
        pull_request_from_refs("acme", repo, "main", "feature/nope")
    with pytest.raises(LocalGitError, match="invalid ref"):
        pull_request_from_refs("acme", repo, "--output=/tmp/x", HEAD)


def test_not_a_repository_is_a_clear_error(tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(LocalGitError, match="is not a git repository"):
        pull_request_from_refs("acme", plain, "main", "dev")
    with pytest.raises(LocalGitError, match="is not a directory"):
        pull_request_from_refs("acme", tmp_path / "missing", "main", "dev")


def test_provider_lists_branches_ahead_of_base_as_prs(repo):
    git(repo, "branch", "merged-already", "main")
    integration = IntegrationRow(
        integration_id=1,
        tenant_id="acme",
        name="local",
        kind="scm",
        provider="local_git",
        config={"path": str(repo)},
        credential_ref=None,
        webhook_secret_ref=None,
        status="active",
    )
    settings = Settings(data_dir=repo.parent, _env_file=None)  # type: ignore[call-arg]
    provider = build_provider("acme", integration, settings)

    assert isinstance(provider, LocalGitProvider)
    assert provider.supports(Capability.read_files)
    assert not provider.supports(Capability.publish_review)
    [fetched] = provider.list_pull_requests("payments-api")
    assert fetched.record.head_ref == HEAD
    assert fetched.raw["head_sha"] == fetched.record.head_sha
    same = provider.get_pull_request("payments-api", fetched.record.number)
    assert same.record == fetched.record
    files = provider.list_changed_files(fetched.record)
    assert {f.record.path for f in files} >= {"src/service.py", "src/new_name.py"}
    assert (
        provider.list_pull_requests("payments-api", updated_since=datetime(2030, 1, 1, tzinfo=UTC))
        == []
    )
    with pytest.raises(ProviderError):
        provider.get_pull_request("payments-api", fetched.record.number + 1)
    with pytest.raises(ProviderError):
        provider.list_pull_requests("other/repo")
