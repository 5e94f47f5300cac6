"""Run the real `dbt build` of dbt_project/ for tenant scopes, as the orchestration layer does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from warden.tenancy import TenantScope

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")


@dataclass(frozen=True)
class BuildResult:
    scope: TenantScope
    returncode: int
    output: str


def dbt_build_command(
    scope: TenantScope, work_dir: Path, *, landing_root: Path | None = None
) -> tuple[list[str], dict[str, str]]:
    """argv and environment of one tenant's build; target/log paths are private to the call."""
    argv = [
        str(DBT_EXECUTABLE),
        "build",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
        "--vars",
        json.dumps(
            {"tenant_id": scope.tenant_id, "landing_root": str(landing_root or scope.landing_dir)}
        ),
    ]
    env = {
        **os.environ,
        "WARDEN_DBT_DATABASE": str(scope.warehouse_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }
    return argv, env


def build_tenants(
    builds: list[tuple[TenantScope, Path | None]], work_root: Path
) -> list[BuildResult]:
    """Run (scope, landing_root override) builds in parallel subprocesses, one DuckDB file each."""
    running = []
    for index, (scope, landing_root) in enumerate(builds):
        scope.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
        argv, env = dbt_build_command(
            scope, work_root / f"{index}-{scope.tenant_id}", landing_root=landing_root
        )
        running.append(
            (
                scope,
                subprocess.Popen(
                    argv,
                    env=env,
                    cwd=DBT_PROJECT_DIR,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                ),
            )
        )
    results = []
    for scope, process in running:
        output, _ = process.communicate(timeout=300)
        results.append(BuildResult(scope, process.returncode, output))
    return results
