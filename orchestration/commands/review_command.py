"""`warden review`: the pipeline's review engine on a local repository, without Dagster."""

from __future__ import annotations

import sys

import click

from analysis.composer import compose_review_comment
from analysis.context import ReviewContext
from analysis.engine import review_pull_request
from analysis.policy import ReviewPolicy
from analysis.report import render_json, render_text
from ingestion.links import extract_ticket_links
from ingestion.providers.folder import FolderDocumentSource, FolderTicketSource
from ingestion.providers.local_git.files import changed_files_between
from ingestion.providers.local_git.pulls import pull_request_from_refs
from warden.records import Severity

LOCAL_TENANT = "local"
SEVERITIES = [s.value for s in Severity]


@click.command("review")
@click.option(
    "--repo",
    "repo_path",
    type=click.Path(exists=True, file_okay=False),
    required=True,
    help="A local git repository.",
)
@click.option("--base", required=True, help="Base ref (e.g. main).")
@click.option("--head", required=True, help="Head ref (e.g. a feature branch).")
@click.option(
    "--tickets",
    "tickets_dir",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Folder of ticket markdown files.",
)
@click.option(
    "--docs",
    "docs_dir",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Folder of documentation markdown files.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "comment"]),
    default="text",
    show_default=True,
    help="'comment' prints the PR comment Warden would post.",
)
@click.option(
    "--severity-threshold", type=click.Choice(SEVERITIES), default="medium", show_default=True
)
@click.option("--max-comments", type=click.IntRange(1, 50), default=10, show_default=True)
@click.option("--require-ticket/--no-require-ticket", default=False, show_default=True)
@click.option(
    "--fail-on",
    type=click.Choice([*SEVERITIES, "never"]),
    default="never",
    show_default=True,
    help="Exit 1 when a reportable finding is at least this severe.",
)
def review(
    repo_path: str,
    base: str,
    head: str,
    tickets_dir: str | None,
    docs_dir: str | None,
    fmt: str,
    severity_threshold: str,
    max_comments: int,
    require_ticket: bool,
    fail_on: str,
) -> None:
    """Review BASE..HEAD of a local repository with the same engine as the pipeline."""
    pr = pull_request_from_refs(LOCAL_TENANT, repo_path, base, head)
    files = changed_files_between(LOCAL_TENANT, pr, repo_path)
    linked_keys = {link.ticket_key for link in extract_ticket_links(pr)}
    tickets = []
    if tickets_dir:
        source = FolderTicketSource(LOCAL_TENANT, tickets_dir)
        tickets = [f.record for f in source.list_tickets() if f.record.ticket_key in linked_keys]
        for rejected in source.rejected:
            click.echo(
                f"warning: skipped ticket file {rejected.source}: {rejected.reason}", err=True
            )
    documents = []
    if docs_dir:
        doc_source = FolderDocumentSource(LOCAL_TENANT, docs_dir)
        documents = [f.record for f in doc_source.list_documents()]
        for rejected in doc_source.rejected:
            click.echo(f"warning: skipped document {rejected.source}: {rejected.reason}", err=True)
    policy = ReviewPolicy(
        severity_threshold=Severity(severity_threshold),
        max_comments=max_comments,
        require_linked_ticket=require_ticket,
    )
    context = ReviewContext(
        tenant_id=LOCAL_TENANT, pull_request=pr, files=files, tickets=tickets, documents=documents
    )
    outcome = review_pull_request(context, policy, run_id="local")
    if fmt == "json":
        click.echo(render_json(outcome))
    elif fmt == "comment":
        composed = compose_review_comment(pr, outcome, None)
        click.echo(composed.body if composed else "(Warden would stay silent on this change)")
    else:
        click.echo(render_text(outcome))
    if fail_on != "never":
        floor = Severity(fail_on).rank
        if any(f.severity.rank >= floor for f in outcome.reportable):
            sys.exit(1)
