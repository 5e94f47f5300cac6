"""What `warden review` and `warden scan` share: inputs from folders, output formats, the gate.

Exit codes: 0 when nothing that meets the policy is at or above `--fail-on`, 1 when
something is, 2 on errors (bad arguments, unreadable input, git errors), each with a
one-line message on stderr.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from analysis.composer import compose_review_comment
from analysis.engine import ReviewOutcome
from analysis.policy import ReviewPolicy
from analysis.report import FAIL_NEVER, fails_gate, policy_findings, render_json, render_text
from analysis.sarif import to_sarif
from warden.records import Document, PullRequest, Severity, Ticket

LOCAL_TENANT = "local"
SEVERITIES = [s.value for s in Severity]
#: the default gate: high and critical findings fail a CI job, medium ones only inform
DEFAULT_FAIL_ON = Severity.high.value
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])


class CommandError(click.ClickException):
    """An error the user can fix (unreadable input, git failure): message and exit 2."""

    exit_code = EXIT_ERROR


def default_jobs() -> int:
    """The CPUs this process may use, at most 4 (beyond that, start-up dominates)."""
    return max(1, min(4, len(os.sched_getaffinity(0))))


def shared_options(formats: Iterable[str]) -> Callable[[F], F]:
    """--tickets/--ticket/--docs, --format, --output, --severity-threshold, --jobs, --fail-on."""
    choices = list(formats)

    def decorate(command: F) -> F:
        options = [
            click.option(
                "--tickets",
                "tickets_dir",
                type=click.Path(exists=True, file_okay=False),
                default=None,
                help="Folder of ticket markdown files.",
            ),
            click.option(
                "--ticket",
                "ticket_keys",
                multiple=True,
                help="Ticket key to check the change against (repeatable).",
            ),
            click.option(
                "--docs",
                "docs_dir",
                type=click.Path(exists=True, file_okay=False),
                default=None,
                help="Folder of documentation markdown files (warden-rule blocks apply).",
            ),
            click.option(
                "--format",
                "fmt",
                type=click.Choice(choices),
                default="text",
                show_default=True,
                help="sarif: SARIF 2.1.0 for code scanning; comment: the PR comment.",
            ),
            click.option(
                "--output",
                "output",
                type=click.Path(dir_okay=False, writable=True),
                default=None,
                help="Write the report to FILE instead of stdout.",
            ),
            click.option(
                "--severity-threshold",
                type=click.Choice(SEVERITIES),
                default="medium",
                show_default=True,
                help="Report findings at least this severe.",
            ),
            click.option(
                "--jobs",
                type=click.IntRange(1, 64),
                default=default_jobs(),
                show_default=True,
                help="Processes that review a large change's files (1: no extra processes).",
            ),
            click.option(
                "--fail-on",
                type=click.Choice([*SEVERITIES, FAIL_NEVER]),
                default=DEFAULT_FAIL_ON,
                show_default=True,
                help="Exit 1 when a reported finding is at least this severe ('never': exit 0).",
            ),
        ]
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def load_tickets(tickets_dir: str | None, keys: Iterable[str] | None) -> list[Ticket]:
    """Tickets from the folder whose key is in `keys` (all of them when `keys` is None)."""
    if not tickets_dir:
        return []
    from ingestion.providers.folder import FolderTicketSource  # only when tickets are given

    source = FolderTicketSource(LOCAL_TENANT, tickets_dir)
    tickets = [f.record for f in source.list_tickets()]
    for rejected in source.rejected:
        click.echo(f"warning: skipped ticket file {rejected.source}: {rejected.reason}", err=True)
    wanted = None if keys is None else set(keys)
    return [t for t in tickets if wanted is None or t.ticket_key in wanted]


def load_documents(docs_dir: str | None) -> list[Document]:
    if not docs_dir:
        return []
    from ingestion.providers.folder import FolderDocumentSource  # only when docs are given

    source = FolderDocumentSource(LOCAL_TENANT, docs_dir)
    documents = [f.record for f in source.list_documents()]
    for rejected in source.rejected:
        click.echo(f"warning: skipped document {rejected.source}: {rejected.reason}", err=True)
    return documents


def render(
    fmt: str, outcome: ReviewOutcome, policy: ReviewPolicy, pr: PullRequest, root: Path
) -> str:
    """The report in `fmt`; text, json and sarif list every finding meeting the policy."""
    findings = policy_findings(outcome, policy)
    if fmt == "json":
        return render_json(outcome, findings=findings)
    if fmt == "sarif":
        return json.dumps(to_sarif(outcome, root, findings=findings), indent=2) + "\n"
    if fmt == "comment":
        composed = compose_review_comment(pr, outcome, None)
        return composed.body if composed else "(Warden would stay silent on this change)\n"
    return render_text(outcome, findings=findings)


def emit_and_exit(
    ctx: click.Context,
    fmt: str,
    output: str | None,
    outcome: ReviewOutcome,
    policy: ReviewPolicy,
    pr: PullRequest,
    root: Path,
    fail_on: str,
) -> None:
    """Write the report (stdout or `output`), then exit 0 or 1 by the gate."""
    text = render(fmt, outcome, policy, pr, root)
    findings = policy_findings(outcome, policy)
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror or error}") from error
        click.echo(f"wrote {fmt} report to {output} ({len(findings)} finding(s))", err=True)
    else:
        click.echo(text, nl=False)
    gate = fails_gate(findings, fail_on)
    if gate:
        click.echo(f"failing: a finding is at or above --fail-on {fail_on}", err=True)
    ctx.exit(EXIT_FINDINGS if gate else EXIT_CLEAN)
