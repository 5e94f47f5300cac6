"""The core `warden` commands: tenants, members, integrations, repositories, SQL, inbox, audit.

Commands that need the review engine or Dagster (`review`, `scan`, `demo`) are attached by
`orchestration.cli`, the composition root, so that `warden/` imports no other package.
"""

from __future__ import annotations

import getpass
import importlib
import json
import shutil
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from warden.errors import WardenError
from warden.tenancy import TenantScope

if TYPE_CHECKING:
    from warden.controlplane import ControlPlane
    from warden.settings import Settings


class CliState:
    """Settings built once per invocation, on first use (commands that need none, such as
    `scan`, skip pydantic-settings at start-up); the control plane opened on first use."""

    def __init__(self, load: Callable[[], Settings], actor: str) -> None:
        self._load_settings = load
        self._settings: Settings | None = None
        self.actor = actor
        self._control_plane: ControlPlane | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self._load_settings()
        return self._settings

    @property
    def control_plane(self) -> ControlPlane:
        if self._control_plane is None:
            # imported here: commands that never touch the control plane (scan, review)
            # should not pay for SQLAlchemy and Alembic at start-up
            from warden.controlplane import connect_control_plane

            self._control_plane = connect_control_plane(self.settings.resolved_control_plane_url)
        return self._control_plane

    def scope(self, tenant_id: str) -> TenantScope:
        self.control_plane.get_tenant(tenant_id)
        return TenantScope.for_tenant(self.settings.tenants_dir, tenant_id)


pass_state = click.make_pass_decorator(CliState)


class WardenGroup(click.Group):
    """Turns Warden's own errors into a clear one-line message and exit code 2, and loads
    commands registered lazily (`lazy_commands`: name -> "module:attribute") on first use."""

    lazy_commands: dict[str, str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands and cmd_name not in self.commands:
            module_name, _, attribute = self.lazy_commands[cmd_name].partition(":")
            command = getattr(importlib.import_module(module_name), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (WardenError, ValueError) as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug: keep the traceback, and never exit 1 ("findings")
            click.echo(traceback.format_exc(), err=True)
            click.echo(f"error: internal error ({type(exc).__name__}), trace above", err=True)
            ctx.exit(2)


@click.group(cls=WardenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Data directory (default: $WARDEN_DATA_DIR or ./.warden).",
)
@click.option(
    "--actor", default=None, help="Who is acting, for the audit log (default: cli:$USER)."
)
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None, actor: str | None) -> None:
    """Warden: pull-request review pipeline and analytics warehouse."""
    overrides: dict[str, Any] = {"data_dir": data_dir} if data_dir else {}

    def load() -> Settings:
        from warden.settings import load_settings

        return load_settings(**overrides)

    ctx.obj = CliState(load, actor or f"cli:{getpass.getuser()}")


# --- tenants -------------------------------------------------------------------------
@cli.group()
def tenant() -> None:
    """Create and list tenants and their members."""


@tenant.command("create")
@click.argument("tenant_id")
@click.option("--name", default=None, help="Display name (default: the id).")
@pass_state
def tenant_create(state: CliState, tenant_id: str, name: str | None) -> None:
    """Create tenant TENANT_ID (a slug: a-z, 0-9, '-')."""
    row = state.control_plane.create_tenant(tenant_id, name or tenant_id, state.actor)
    TenantScope.for_tenant(state.settings.tenants_dir, row.tenant_id).ensure_dirs()
    click.echo(f"created tenant {row.tenant_id}")


@tenant.command("list")
@pass_state
def tenant_list(state: CliState) -> None:
    """List active tenants."""
    for row in state.control_plane.list_tenants():
        click.echo(f"{row.tenant_id}\t{row.name}\t{row.created_at:%Y-%m-%d}")


@tenant.command("delete")
@click.argument("tenant_id")
@click.option("--yes", is_flag=True, help="Confirm: removes the tenant's rows and files.")
@pass_state
def tenant_delete(state: CliState, tenant_id: str, yes: bool) -> None:
    """Delete TENANT_ID's data (rows and files); the audit log keeps a tombstone."""
    if not yes:
        raise click.UsageError("deleting a tenant removes all its data; pass --yes to confirm")
    scope = state.scope(tenant_id)
    removed = state.control_plane.delete_tenant(tenant_id, state.actor)
    if scope.root.exists():
        shutil.rmtree(scope.root)
    click.echo(f"deleted tenant {tenant_id}: {sum(removed.values())} rows and its files")


@tenant.command("add-member")
@click.argument("tenant_id")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(["owner", "admin", "analyst", "viewer"]),
    default="analyst",
    show_default=True,
)
@pass_state
def tenant_add_member(state: CliState, tenant_id: str, email: str, role: str) -> None:
    """Give EMAIL a ROLE in TENANT_ID (the dashboard shows only a member's tenants)."""
    state.control_plane.add_member(tenant_id, email, role, state.actor)
    click.echo(f"{email} is {role} of {tenant_id}")


# --- integrations and repositories ---------------------------------------------------
def _parse_settings(pairs: tuple[str, ...]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected key=value, got {pair!r}", param_hint="--set")
        config[key] = value
    return config


@cli.group()
def integration() -> None:
    """Connect SCMs, trackers and documentation sources."""


@integration.command("add")
@click.option("--tenant", "tenant_id", required=True)
@click.option("--name", required=True, help="Name used in webhook URLs, e.g. 'github'.")
@click.option("--kind", type=click.Choice(["scm", "tracker", "docs", "notifier"]), required=True)
@click.option("--provider", required=True, help="github, local_git, folder, ...")
@click.option(
    "--set",
    "settings_pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="Provider configuration, e.g. base_url=https://api.github.com, path=./docs.",
)
@click.option(
    "--credential-ref", default=None, help="Where the token lives: env:NAME or file:/path."
)
@click.option("--webhook-secret-ref", default=None, help="env:NAME or file:/path.")
@pass_state
def integration_add(
    state: CliState,
    tenant_id: str,
    name: str,
    kind: str,
    provider: str,
    settings_pairs: tuple[str, ...],
    credential_ref: str | None,
    webhook_secret_ref: str | None,
) -> None:
    """Add an integration. Secrets are given as references, never as values."""
    row = state.control_plane.add_integration(
        tenant_id,
        name=name,
        kind=kind,
        provider=provider,
        config=_parse_settings(settings_pairs),
        credential_ref=credential_ref,
        webhook_secret_ref=webhook_secret_ref,
        actor=state.actor,
    )
    click.echo(f"added {row.kind} integration {row.name} ({row.provider}) to {tenant_id}")


@integration.command("list")
@click.option("--tenant", "tenant_id", required=True)
@pass_state
def integration_list(state: CliState, tenant_id: str) -> None:
    """List a tenant's integrations (references only, never secret values)."""
    for row in state.control_plane.list_integrations(tenant_id):
        click.echo(f"{row.name}\t{row.kind}\t{row.provider}\t{json.dumps(row.config)}")


@cli.group()
def repo() -> None:
    """Choose which repositories are reviewed, and how."""


@repo.command("enable")
@click.option("--tenant", "tenant_id", required=True)
@click.option("--integration", "integration_name", required=True)
@click.option("--repo", "full_name", required=True, help="owner/name")
@click.option(
    "--severity-threshold",
    type=click.Choice(["info", "low", "medium", "high", "critical"]),
    default="medium",
    show_default=True,
)
@click.option("--max-comments", type=click.IntRange(1, 50), default=10, show_default=True)
@click.option("--require-ticket/--no-require-ticket", default=False, show_default=True)
@pass_state
def repo_enable(
    state: CliState,
    tenant_id: str,
    integration_name: str,
    full_name: str,
    severity_threshold: str,
    max_comments: int,
    require_ticket: bool,
) -> None:
    """Enable reviews for a repository with its review policy."""
    policy = {
        "severity_threshold": severity_threshold,
        "max_comments": max_comments,
        "require_linked_ticket": require_ticket,
    }
    state.control_plane.enable_repository(
        tenant_id, integration_name, full_name, policy, state.actor
    )
    click.echo(f"reviews enabled for {full_name} ({tenant_id})")


@repo.command("list")
@click.option("--tenant", "tenant_id", required=True)
@pass_state
def repo_list(state: CliState, tenant_id: str) -> None:
    """List a tenant's enabled repositories."""
    for row in state.control_plane.list_repositories(tenant_id):
        click.echo(f"{row.full_name}\t{json.dumps(row.review_policy)}")


# --- SQL for analysts ----------------------------------------------------------------
@cli.command("sql")
@click.option("--tenant", "tenant_id", required=True)
@click.option("-c", "--command", "query", default=None, help="Query to run (else read stdin).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@pass_state
def sql(state: CliState, tenant_id: str, query: str | None, fmt: str) -> None:
    """Read-only SQL over the tenant's published serving snapshot."""
    from warden.sql_console import format_table, run_readonly_query

    scope = state.scope(tenant_id)
    text = query if query is not None else sys.stdin.read()
    columns, rows = run_readonly_query(scope, text)
    click.echo(format_table(columns, rows, fmt))


# --- inbox and audit -----------------------------------------------------------------
@cli.group()
def inbox() -> None:
    """Inspect and replay webhook deliveries."""


@inbox.command("list")
@click.option("--tenant", "tenant_id", required=True)
@click.option("--status", type=click.Choice(["pending", "processed", "quarantined"]), default=None)
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@pass_state
def inbox_list(state: CliState, tenant_id: str, status: str | None, limit: int) -> None:
    """List deliveries, newest first, with their status and last error."""
    state.control_plane.get_tenant(tenant_id)
    for row in state.control_plane.inbox.list(tenant_id, status, limit):
        error = f"\t{row.last_error}" if row.last_error else ""
        click.echo(
            f"{row.seq}\t{row.status}\t{row.event}/{row.action or '-'}\t"
            f"{row.delivery_id}\t{row.received_at:%Y-%m-%dT%H:%M:%SZ}{error}"
        )


@inbox.command("replay")
@click.option("--tenant", "tenant_id", required=True)
@click.option("--seq", type=int, multiple=True, help="Delivery sequence number(s).")
@click.option("--all-quarantined", is_flag=True, help="Replay every quarantined delivery.")
@pass_state
def inbox_replay(
    state: CliState, tenant_id: str, seq: tuple[int, ...], all_quarantined: bool
) -> None:
    """Put deliveries back to pending so the next sensor tick processes them."""
    seqs = list(seq)
    if all_quarantined:
        seqs += [r.seq for r in state.control_plane.inbox.list(tenant_id, "quarantined", 10_000)]
    if not seqs:
        raise click.UsageError("give --seq N or --all-quarantined")
    for number in seqs:
        row = state.control_plane.inbox.replay(tenant_id, number, state.actor)
        click.echo(f"replaying delivery {row.seq} ({row.delivery_id})")


@cli.group()
def finding() -> None:
    """Triage findings: a dismissed finding never comes back on that PR."""


@finding.command("dismiss")
@click.option("--tenant", "tenant_id", required=True)
@click.option("--pr", "pr_key", required=True, help="PR key, e.g. github:PullRequest:org/api#12")
@click.option("--fingerprint", required=True)
@click.option("--reason", required=True)
@pass_state
def finding_dismiss(
    state: CliState, tenant_id: str, pr_key: str, fingerprint: str, reason: str
) -> None:
    """Dismiss a finding on a PR (audited); later reviews record it but never post it."""
    state.control_plane.get_tenant(tenant_id)
    state.control_plane.dismiss_finding(tenant_id, pr_key, fingerprint, state.actor, reason)
    click.echo(f"dismissed {fingerprint[:12]} on {pr_key}")


@cli.group()
def audit() -> None:
    """Read and verify the audit log."""


@audit.command("list")
@click.option("--tenant", "tenant_id", default=None)
@click.option("--limit", type=click.IntRange(1, 100_000), default=100, show_default=True)
@pass_state
def audit_list(state: CliState, tenant_id: str | None, limit: int) -> None:
    """Show audit events (who did what, when)."""
    for row in state.control_plane.audit_log(tenant_id, limit):
        click.echo(
            f"{row.at:%Y-%m-%dT%H:%M:%SZ}\t{row.tenant_id or '-'}\t{row.actor}\t"
            f"{row.action}\t{row.target}"
        )


@audit.command("verify")
@pass_state
def audit_verify(state: CliState) -> None:
    """Recompute the audit hash chain; exit 2 if it was tampered with."""
    count = state.control_plane.verify_audit_chain()
    click.echo(f"audit chain intact: {count} events")
