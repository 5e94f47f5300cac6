"""`warden review --diff` and `warden scan` through click: formats, output files, exit codes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from orchestration.cli import cli
from tests.analysis.test_sarif import check_code_scanning_sarif

VULNERABLE = """import sqlite3


def find_user(conn: sqlite3.Connection, name: str):
    cursor = conn.cursor()
    cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")
    return cursor.fetchone()
"""
SAFE = VULNERABLE.replace(
    """cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")""",
    """cursor.execute("SELECT * FROM users WHERE name = ?", (name,))""",
)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    )
    return done.stdout


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
    git(repo, "checkout", "-q", "-b", "feature/lookup")
    (repo / "users.py").write_text(VULNERABLE)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Add user lookup")
    return repo


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def sql_findings(stdout: str) -> list[dict]:
    report = json.loads(stdout)
    reported = set(report["reportable"])
    return [f for f in report["findings"] if f["fingerprint"] in reported and f["cwe"] == "CWE-89"]


def test_diff_from_a_file_and_from_stdin_give_the_same_findings(repo: Path, tmp_path: Path):
    diff = git(repo, "diff", "main...feature/lookup")
    diff_file = tmp_path / "change.diff"
    diff_file.write_text(diff)
    from_file = run("review", "--diff", str(diff_file), "--root", str(repo), "--format", "json")
    from_stdin = run("review", "--diff", "-", "--root", str(repo), "--format", "json", stdin=diff)
    assert from_file.exit_code == 1, from_file.output  # high finding, default --fail-on high
    assert from_stdin.exit_code == 1, from_stdin.output
    file_hits, stdin_hits = sql_findings(from_file.stdout), sql_findings(from_stdin.stdout)
    assert [(f["file_path"], f["start_line"]) for f in file_hits] == [("users.py", 6)]
    assert [f["fingerprint"] for f in file_hits] == [f["fingerprint"] for f in stdin_hits]


def test_fail_on_chooses_the_exit_code(repo: Path):
    diff = git(repo, "diff", "main...feature/lookup")
    base = ["review", "--diff", "-", "--root", str(repo)]
    assert run(*base, "--fail-on", "high", stdin=diff).exit_code == 1
    assert run(*base, "--fail-on", "critical", stdin=diff).exit_code == 0
    assert run(*base, "--fail-on", "never", stdin=diff).exit_code == 0
    safe = diff.replace("+" + VULNERABLE.splitlines()[5], "+" + SAFE.splitlines()[5])
    assert run(*base, "--fail-on", "low", stdin=safe).exit_code == 0


def test_sarif_written_to_output_file(repo: Path, tmp_path: Path):
    out = tmp_path / "warden.sarif"
    result = run(
        "review",
        "--repo",
        str(repo),
        "--base",
        "main",
        "--head",
        "feature/lookup",
        "--format",
        "sarif",
        "--output",
        str(out),
    )
    assert result.exit_code == 1, result.output
    assert result.stdout == ""  # the report went to the file
    assert f"wrote sarif report to {out}" in result.stderr
    results = check_code_scanning_sarif(json.loads(out.read_text()))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"users.py"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--diff", "-", "--repo", "."], "--diff cannot be combined"),
        (["--base", "main"], "give --repo, --base and --head, or --diff"),
        (["--diff", "/no/such/file.diff"], "cannot read --diff /no/such/file.diff"),
    ],
)
def test_bad_arguments_and_unreadable_input_exit_2(args, message):
    result = run("review", *args, stdin="")
    assert result.exit_code == 2
    assert message in result.output


def test_input_that_is_not_a_diff_exits_2(tmp_path: Path):
    result = run("review", "--diff", "-", "--root", str(tmp_path), stdin="just some text\n")
    assert result.exit_code == 2
    assert "no file changes found" in result.stderr


def test_git_errors_exit_2(repo: Path):
    result = run("review", "--repo", str(repo), "--base", "main", "--head", "nope")
    assert result.exit_code == 2 and "nope" in result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / "services").mkdir()
    (root / "services" / "users.py").write_text(VULNERABLE)
    (root / "services" / "safe.py").write_text(SAFE)
    (root / "node_modules" / "x").mkdir(parents=True)
    (root / "node_modules" / "x" / "db.py").write_text(VULNERABLE)
    (root / "services" / "photo.jpg").write_bytes(b"\xff\xd8\xff\x00")
    (root / "services" / "dump.bin").write_bytes(b"\x00" * 64)
    return root


def test_scan_reviews_files_as_added_and_reports_skips(project: Path):
    result = run("scan", str(project / "services"), "--format", "json")
    assert result.exit_code == 1, result.output
    hits = sql_findings(result.stdout)
    assert [(f["file_path"], f["start_line"]) for f in hits] == [("services/users.py", 6)]
    assert "skipped services/photo.jpg (binary)" in result.stderr
    assert "skipped services/dump.bin (binary)" in result.stderr
    whole = run("scan", str(project), "--format", "json", "--fail-on", "never")
    assert whole.exit_code == 0
    assert "skipped .git/ (excluded dir)" in whole.stderr
    assert "skipped node_modules/ (excluded dir)" in whole.stderr
    assert {f["file_path"] for f in sql_findings(whole.stdout)} == {"services/users.py"}


def test_scan_sarif_paths_are_relative_to_the_work_tree(project: Path):
    result = run("scan", str(project / "services" / "users.py"), "--format", "sarif")
    assert result.exit_code == 1
    results = check_code_scanning_sarif(json.loads(result.stdout))
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "services/users.py"
    }


def test_scan_of_clean_files_exits_0_and_max_file_bytes_skips(project: Path):
    assert run("scan", str(project / "services" / "safe.py"), "--fail-on", "low").exit_code == 0
    small = run("scan", str(project / "services"), "--max-file-bytes", "10")
    assert small.exit_code == 0
    assert "skipped services/users.py (too large)" in small.stderr


def test_scan_with_several_jobs_reports_exactly_what_one_job_does(tmp_path: Path):
    filler = "".join(f"LIMIT_{n} = {n}\n" for n in range(300))
    for index in range(8):
        (tmp_path / f"repo_{index}.py").write_text(VULNERABLE + filler)
    one = run("scan", str(tmp_path), "--format", "json", "--jobs", "1", "--fail-on", "never")
    two = run("scan", str(tmp_path), "--format", "json", "--jobs", "2", "--fail-on", "never")
    assert one.exit_code == two.exit_code == 0
    assert len(sql_findings(one.stdout)) == 8
    assert json.loads(two.stdout) == json.loads(one.stdout)
