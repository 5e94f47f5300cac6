"""`warden demo`: run the whole platform on loopback against the sandbox vendors."""

from __future__ import annotations

import sys

import click

from orchestration.demo.run import DemoOptions, run_demo
from warden.cli import CliState, pass_state


@click.command("demo")
@click.option(
    "--check",
    is_flag=True,
    help="Headless: exit 0 only when comments were posted and every tenant's "
    "serving snapshot holds its PRs.",
)
@click.option("--prs-per-tenant", type=click.IntRange(1, 200), default=30, show_default=True)
@click.option(
    "--timeout",
    "timeout_seconds",
    type=float,
    default=900.0,
    show_default=True,
    help="With --check: give up after this many seconds.",
)
@pass_state
def demo(state: CliState, check: bool, prs_per_tenant: int, timeout_seconds: float) -> None:
    """Two tenants (acme, globex) with colliding repos, a sandbox GitHub, the receiver,
    Dagster and the dashboard, fed a realistic stream of signed PR webhooks."""
    options = DemoOptions(
        check=check, prs_per_tenant=prs_per_tenant, timeout_seconds=timeout_seconds
    )
    sys.exit(run_demo(state.settings, options))
