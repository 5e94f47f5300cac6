"""`warden` entry point: the core commands plus those that wire packages together.

`warden review` runs the same engine as the pipeline on a local repository or a unified diff,
without Dagster; `warden scan` reviews files on disk as if a PR added them;
`warden demo` runs the whole platform on loopback against the sandbox vendors.
"""

from __future__ import annotations

from warden.cli import cli

# loaded on first use: `warden scan` must not import Dagster, the sandbox or the demo
cli.lazy_commands.update(
    {
        "review": "orchestration.commands.review_command:review",
        "scan": "orchestration.commands.scan_command:scan",
        "demo": "orchestration.commands.demo_command:demo",
    }
)


def main() -> None:
    cli(prog_name="warden")


if __name__ == "__main__":
    main()
