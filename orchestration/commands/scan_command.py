"""`warden scan PATH...`: review files as if a pull request added them (an onboarding baseline).

Every detector judges every line of every scanned file. Skipped paths (version-control and
dependency folders, virtual environments, binary, non-UTF-8 and oversized files, and what
the engine itself skips: generated, vendored and lock files) are listed on stderr, so the
report on stdout stays machine-readable.
"""

from __future__ import annotations

from pathlib import Path

import click

from analysis.engine import review_pull_request
from analysis.local_scan import DEFAULT_MAX_FILE_BYTES, collect_files, scan_context
from analysis.policy import ReviewPolicy
from orchestration.commands.review_output import (
    LOCAL_TENANT,
    emit_and_exit,
    load_documents,
    load_tickets,
    shared_options,
)
from warden.records import Severity


@click.command("scan")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@shared_options(["text", "json", "sarif"])
@click.option(
    "--max-file-bytes",
    type=click.IntRange(1),
    default=DEFAULT_MAX_FILE_BYTES,
    show_default=True,
    help="Skip files larger than this.",
)
@click.pass_context
def scan(
    ctx: click.Context,
    paths: tuple[Path, ...],
    tickets_dir: str | None,
    ticket_keys: tuple[str, ...],
    docs_dir: str | None,
    fmt: str,
    output: str | None,
    severity_threshold: str,
    jobs: int,
    fail_on: str,
    max_file_bytes: int,
) -> None:
    """Review PATH... (files or folders) as if a pull request added every file.

    With --tickets, the files are checked against every ticket in the folder (or only the
    --ticket keys given). Paths in reports are relative to the git work tree holding the
    paths (else their common folder). Exit status: 0 when no reported finding is at or
    above --fail-on (default high), 1 when one is, 2 on errors.
    """
    target = collect_files(list(paths), max_file_bytes=max_file_bytes)
    for skipped in target.skipped:
        click.echo(f"skipped {skipped.path} ({skipped.reason.replace('_', ' ')})", err=True)
    policy = ReviewPolicy(severity_threshold=Severity(severity_threshold), max_comments=100)
    context = scan_context(
        target,
        tenant_id=LOCAL_TENANT,
        tickets=load_tickets(tickets_dir, ticket_keys or None),
        documents=load_documents(docs_dir),
    )
    outcome = review_pull_request(context, policy, run_id="scan", workers=jobs)
    coverage = outcome.coverage
    if coverage is not None:
        for item in coverage.skipped:
            click.echo(f"skipped {item.path} ({item.reason.replace('_', ' ')})", err=True)
    click.echo(
        f"scanned {coverage.files_reviewed if coverage else len(target.files)} file(s) "
        f"under {target.root}; {len(target.skipped)} path(s) skipped before review",
        err=True,
    )
    emit_and_exit(ctx, fmt, output, outcome, policy, context.pull_request, target.root, fail_on)
