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


def manifest_is_stale() -> bool:
    """True when the manifest is missing or older than any project file it is built from."""
    if not MANIFEST_PATH.exists():
        return True
    built = MANIFEST_PATH.stat().st_mtime
    sources = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "tests"):
        sources += [p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file()]
    return any(path.exists() and path.stat().st_mtime > built for path in sources)


def ensure_manifest(force: bool = False) -> Path:
    """Run `dbt parse` when the manifest is missing or stale (a build artefact, not committed)."""
    if not force and not manifest_is_stale():
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
