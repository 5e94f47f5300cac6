"""Running git: argument lists (no shell), timeouts, no pager/colour/quoting surprises."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ingestion.providers.base import ProviderError

GIT_TIMEOUT_SECONDS = 30.0
_GIT_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "GIT_CONFIG_NOSYSTEM": "1",
    "LC_ALL": "C",
}


#: global options: literal paths, unquoted UTF-8 names, and no user config that changes output
_GIT_OPTIONS = (
    "--literal-pathspecs",
    "-c", "core.quotepath=off",
    "-c", "color.ui=never",
    "-c", "log.showSignature=false",
)  # fmt: skip
#: `git diff` without colour, external diff drivers or text conversion, renames detected
DIFF = ("diff", "--no-color", "--no-ext-diff", "--no-textconv", "-M")


class LocalGitError(ProviderError):
    """A git command failed: not a repository, unknown ref, timeout."""


def run_git(repo: Path, *args: str, timeout: float = GIT_TIMEOUT_SECONDS) -> bytes:
    """Run `git -C repo <args>` and return stdout; LocalGitError with git's message on failure."""
    command = ["git", *_GIT_OPTIONS, "-C", str(repo), *args]
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            timeout=timeout,
            check=False,
            env={**os.environ, **_GIT_ENV},
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise LocalGitError(f"git {args[0]} timed out after {timeout:.0f}s in {repo}") from exc
    except FileNotFoundError as exc:
        raise LocalGitError("git is not installed") from exc
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", errors="replace").strip().splitlines()
        detail = message[-1] if message else f"exit status {completed.returncode}"
        raise LocalGitError(f"git {args[0]} failed in {repo}: {detail}")
    return completed.stdout


def git_text(repo: Path, *args: str) -> str:
    return run_git(repo, *args).decode("utf-8", errors="replace")


def ensure_repository(repo_path: str | Path) -> Path:
    """The work tree root of `repo_path`, or LocalGitError if it is not a git repository."""
    path = Path(repo_path).expanduser()
    if not path.is_dir():
        raise LocalGitError(f"{path} is not a directory")
    try:
        top = git_text(path, "rev-parse", "--show-toplevel").strip()
    except LocalGitError as exc:
        raise LocalGitError(f"{path} is not a git repository") from exc
    return Path(top)


def resolve_commit(repo: Path, ref: str) -> str:
    """The full commit SHA `ref` names, or LocalGitError('unknown ref ...')."""
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n\r"):
        raise LocalGitError(f"invalid ref {ref!r}")
    try:
        return git_text(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except LocalGitError as exc:
        raise LocalGitError(f"unknown ref {ref!r} in {repo}") from exc
