"""`warden` entry point: the core commands plus those that wire packages together.

`warden review` runs the same engine as the pipeline on a local repository or a unified diff,
without Dagster; `warden scan` reviews files on disk as if a PR added them;
`warden demo` runs the whole platform on loopback against the sandbox vendors.
"""

from __future__ import annotations

from orchestration.commands.demo_command import demo
from orchestration.commands.review_command import review
from orchestration.commands.scan_command import scan
from warden.cli import cli

cli.add_command(review)
cli.add_command(scan)
cli.add_command(demo)


def main() -> None:
    cli(prog_name="warden")


if __name__ == "__main__":
    main()
