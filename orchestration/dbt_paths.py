"""Where the dbt project lives, and how its manifest is prepared."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"
#: the dbt installed in this environment (the venv's bin may not be on PATH)
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")


def ensure_manifest(force: bool = False) -> Path:
    """Run `dbt parse` once when the manifest is missing (it is a build artefact, not committed)."""
    if MANIFEST_PATH.exists() and not force:
        return MANIFEST_PATH
    env = {
        **os.environ,
        "WARDEN_DBT_DATABASE": ":memory:",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    subprocess.run(
        [
            str(DBT_EXECUTABLE),
            "parse",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--quiet",
            "--vars",
            '{"tenant_id": "parse-only", "landing_root": "/nonexistent"}',
        ],
        check=True,
        env=env,
        cwd=DBT_PROJECT_DIR,
        timeout=300,
    )
    return MANIFEST_PATH
