"""`warden review` on a real git repository: the same engine as the pipeline, no Dagster."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from orchestration.cli import cli

VULNERABLE = """import sqlite3


def find_user(conn: sqlite3.Connection, name: str):
    cursor = conn.cursor()
    cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")
    return cursor.fetchone()
"""

SAFE = """import sqlite3


def find_user(conn: sqlite3.Connection, name: str):
    cursor = conn.cursor()
    cursor.execute("SELECT * FROM users WHERE name = ?", (name,))
    return cursor.fetchone()
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "api"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "dev@example.com")
    git(repo, "config", "user.name", "Dev")
    (repo / "README.md").write_text("api\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "init")
    for branch, body in (("feature/ENG-7-user-lookup", VULNERABLE), ("feature/safe", SAFE)):
        git(repo, "checkout", "-q", "-b", branch, "main")
        (repo / "users.py").write_text(body)
        git(repo, "add", ".")
        git(repo, "commit", "-qm", "Add user lookup")
    return repo


def test_review_reports_sql_injection_and_fails_on_high(repo: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "review",
            "--repo",
            str(repo),
            "--base",
            "main",
            "--head",
            "feature/ENG-7-user-lookup",
            "--format",
            "json",
            "--fail-on",
            "high",
        ],
    )
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    reportable = set(report["reportable"])
    rules = {
        (f["file_path"], f["cwe"]) for f in report["findings"] if f["fingerprint"] in reportable
    }
    assert ("users.py", "CWE-89") in rules


def test_review_of_parameterised_query_is_silent(repo: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "review",
            "--repo",
            str(repo),
            "--base",
            "main",
            "--head",
            "feature/safe",
            "--format",
            "comment",
            "--fail-on",
            "low",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "stay silent" in result.stdout


def test_unknown_ref_is_a_clear_error(repo: Path) -> None:
    result = CliRunner().invoke(
        cli, ["review", "--repo", str(repo), "--base", "main", "--head", "no-such-branch"]
    )
    assert result.exit_code == 2
    assert "no-such-branch" in result.output
