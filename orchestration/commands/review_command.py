"""`warden review`: the pipeline's review engine on a local change, without Dagster.

The change is either `--repo/--base/--head` (a local git repository) or `--diff FILE|-`
(a unified diff from a file or stdin, e.g. `git diff main... | warden review --diff -`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from analysis.context import ReviewContext
from analysis.engine import review_pull_request
from analysis.local_pull_request import local_pull_request
from analysis.policy import ReviewPolicy
from analysis.unified_diff import DiffParseError, changed_files_from_diff, parse_unified_diff
from ingestion.links import extract_ticket_links
from ingestion.providers.local_git.files import changed_files_between
from ingestion.providers.local_git.pulls import pull_request_from_refs
from orchestration.commands.review_output import (
    LOCAL_TENANT,
    CommandError,
    emit_and_exit,
    load_documents,
    load_tickets,
    shared_options,
)
from warden.errors import WardenError
from warden.records import ChangedFile, PullRequest, Severity, sha256_hex

MAX_DIFF_BYTES = 50 * 1024 * 1024


@click.command("review")
@click.option(
    "--repo",
    "repo_path",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="A local git repository (with --base and --head).",
)
@click.option("--base", default=None, help="Base ref (e.g. main).")
@click.option("--head", default=None, help="Head ref (e.g. a feature branch).")
@click.option(
    "--diff",
    "diff_source",
    default=None,
    metavar="FILE|-",
    help="Review a unified diff (git diff / diff -u) from FILE, or '-' for stdin, "
    "instead of --repo/--base/--head.",
)
@click.option(
    "--root",
    "root_dir",
    type=click.Path(exists=True, file_okay=False),
    default=".",
    show_default=True,
    help="With --diff: the tree the diff applies to (files there that match the diff are "
    "read whole; SARIF paths are relative to it).",
)
@shared_options(["text", "json", "sarif", "comment"])
@click.option("--max-comments", type=click.IntRange(1, 50), default=10, show_default=True)
@click.option("--require-ticket/--no-require-ticket", default=False, show_default=True)
@click.pass_context
def review(
    ctx: click.Context,
    repo_path: str | None,
    base: str | None,
    head: str | None,
    diff_source: str | None,
    root_dir: str,
    tickets_dir: str | None,
    ticket_keys: tuple[str, ...],
    docs_dir: str | None,
    fmt: str,
    output: str | None,
    severity_threshold: str,
    jobs: int,
    fail_on: str,
    max_comments: int,
    require_ticket: bool,
) -> None:
    """Review a change with the same engine as the pipeline.

    Exit status: 0 when no reported finding is at or above --fail-on (default high),
    1 when one is, 2 on errors.
    """
    if diff_source is not None and (repo_path or base or head):
        raise click.UsageError("--diff cannot be combined with --repo/--base/--head")
    if diff_source is None and not (repo_path and base and head):
        raise click.UsageError("give --repo, --base and --head, or --diff FILE|-")
    try:
        if diff_source is not None:
            root = Path(root_dir)
            pr, files = _from_diff(diff_source, root)
        else:
            assert repo_path and base and head
            root = Path(repo_path)
            pr = pull_request_from_refs(LOCAL_TENANT, repo_path, base, head)
            files = changed_files_between(LOCAL_TENANT, pr, repo_path)
    except WardenError as error:
        raise CommandError(str(error)) from error
    linked = set(ticket_keys) | {link.ticket_key for link in extract_ticket_links(pr)}
    policy = ReviewPolicy(
        severity_threshold=Severity(severity_threshold),
        max_comments=max_comments,
        require_linked_ticket=require_ticket,
    )
    context = ReviewContext(
        tenant_id=LOCAL_TENANT,
        pull_request=pr,
        files=files,
        tickets=load_tickets(tickets_dir, linked),
        documents=load_documents(docs_dir),
    )
    outcome = review_pull_request(context, policy, run_id="local", workers=jobs)
    emit_and_exit(ctx, fmt, output, outcome, policy, pr, root, fail_on)


def _read_diff(source: str) -> str:
    if source == "-":
        data = sys.stdin.buffer.read(MAX_DIFF_BYTES + 1)
        name = "stdin"
    else:
        path = Path(source)
        try:
            if path.is_dir():
                raise CommandError(f"--diff {source}: is a directory, not a diff file")
            data = path.read_bytes()[: MAX_DIFF_BYTES + 1]
        except OSError as error:
            raise CommandError(f"cannot read --diff {source}: {error.strerror or error}") from error
        name = source
    if len(data) > MAX_DIFF_BYTES:
        raise CommandError(f"--diff {name}: larger than {MAX_DIFF_BYTES // (1024 * 1024)} MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # a diff of non-UTF-8 files: keep going, lines intact


def _from_diff(source: str, root: Path) -> tuple[PullRequest, list[ChangedFile]]:
    text = _read_diff(source)
    try:
        parsed = parse_unified_diff(text)
    except DiffParseError as error:
        raise CommandError(f"--diff {source}: {error}") from error
    name = "stdin" if source == "-" else Path(source).name
    pr = local_pull_request(
        LOCAL_TENANT,
        repository=root.resolve().name or "local",
        title=parsed.subject or f"diff {name}",
        body=parsed.message,
        digest=sha256_hex(text),
        head_ref="diff",
        author=parsed.author,
    )
    return pr, changed_files_from_diff(parsed, pr, root=root)
