"""Multi-file unified diffs from real `git diff` and `diff -ruN` runs become ChangedFiles."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from analysis.diff import parse_patch
from analysis.local_pull_request import local_pull_request
from analysis.unified_diff import (
    DiffParseError,
    changed_files_from_diff,
    parse_unified_diff,
    unquote_path,
)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "dev@example.com")
    git(repo, "config", "user.name", "Dev")
    (repo / "app.py").write_text("import os\n\n\ndef run():\n    return 1\n")
    (repo / "schema.sql").write_text("-- users\n-- old comment\nCREATE TABLE users (id int);\n")
    (repo / "old_name.py").write_text("x = 1\ny = 2\nz = 3\nw = 4\n")
    (repo / "gone.txt").write_text("bye\n")
    (repo / "logo.png").write_bytes(b"\x89PNG\x00\x01")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    (repo / "app.py").write_text("import os\n\n\ndef run(cmd):\n    os.system(cmd)\n    return 1\n")
    (repo / "schema.sql").write_text("-- users\nCREATE TABLE users (id int);\n")
    git(repo, "mv", "old_name.py", "new_name.py")
    (repo / "gone.txt").unlink()
    (repo / "logo.png").write_bytes(b"\x89PNG\x00\x02")
    (repo / "café menu.py").write_text("print('hi')\n")
    git(repo, "add", "-A")
    return repo


def test_git_diff_with_every_kind_of_change(repo: Path) -> None:
    text = git(repo, "diff", "--cached", "-M")
    files = {f.path: f for f in parse_unified_diff(text).files}
    assert set(files) == {
        "app.py",
        "schema.sql",
        "new_name.py",
        "gone.txt",
        "logo.png",
        "café menu.py",
    }
    assert files["app.py"].status == "modified"
    assert parse_patch(files["app.py"].patch).added_text_by_line() == {
        4: "def run(cmd):",
        5: "    os.system(cmd)",
    }
    # a removed `-- old comment` line reads `--- old comment`: it must not start a new file
    assert files["schema.sql"].deletions == 1 and files["schema.sql"].additions == 0
    assert files["new_name.py"].status == "renamed"
    assert files["new_name.py"].previous_path == "old_name.py"
    assert files["gone.txt"].status == "removed"
    assert files["logo.png"].patch is None
    assert files["café menu.py"].status == "added"
    assert files["café menu.py"].patch.startswith("@@ -0,0 +1 @@")


def test_plain_diff_ruN_between_two_trees(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    (old / "pkg").mkdir(parents=True)
    (new / "pkg").mkdir(parents=True)
    (old / "pkg" / "a.py").write_text("a = 1\n")
    (new / "pkg" / "a.py").write_text("a = 2\n")
    (new / "pkg" / "b.py").write_text("b = 1\n")
    (old / "pkg" / "c.py").write_text("c = 1\n")
    done = subprocess.run(
        ["diff", "-ruN", "old", "new"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 1, done.stderr
    files = {f.path: f for f in parse_unified_diff(done.stdout).files}
    assert {p: f.status for p, f in files.items()} == {
        "pkg/a.py": "modified",
        "pkg/b.py": "added",
        "pkg/c.py": "removed",
    }


def test_format_patch_gives_title_and_description(repo: Path) -> None:
    git(repo, "commit", "-qm", "ENG-12 Run commands\n\nAdds the runner.")
    text = git(repo, "format-patch", "-1", "--stdout")
    parsed = parse_unified_diff(text)
    assert parsed.subject == "ENG-12 Run commands"
    assert parsed.message == "Adds the runner."
    assert parsed.author == "Dev"
    assert "app.py" in {f.path for f in parsed.files}


def test_malformed_and_ambiguous_input_is_a_clear_error() -> None:
    with pytest.raises(DiffParseError, match=r"truncated hunk in b/x\.py"):
        parse_unified_diff("--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,2 @@\n-a\n")
    with pytest.raises(DiffParseError, match="no file changes"):
        parse_unified_diff("hello, this is not a diff\n")
    twice = "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n"
    with pytest.raises(DiffParseError, match="more than once"):
        parse_unified_diff(twice + twice)
    assert parse_unified_diff("").files == ()


def test_content_is_read_only_when_the_tree_matches_the_patch(repo: Path) -> None:
    text = git(repo, "diff", "--cached", "-M")
    parsed = parse_unified_diff(text)
    pr = local_pull_request("local", repository="repo", title="t", digest=text)
    files = {f.path: f for f in changed_files_from_diff(parsed, pr, root=repo)}
    assert files["app.py"].content == (repo / "app.py").read_text()
    assert files["gone.txt"].content is None and files["logo.png"].content is None
    (repo / "app.py").write_text("something else entirely\n")
    stale = {f.path: f for f in changed_files_from_diff(parsed, pr, root=repo)}
    assert stale["app.py"].content is None
    assert all(f.pr_key == pr.pr_key and f.tenant_id == "local" for f in stale.values())


def test_paths_escaping_the_root_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret\n")
    root = tmp_path / "root"
    root.mkdir()
    text = "--- /dev/null\n+++ b/../secret.txt\n@@ -0,0 +1 @@\n+top secret\n"
    parsed = parse_unified_diff(text)
    pr = local_pull_request("local", repository="r", title="t", digest=text)
    assert changed_files_from_diff(parsed, pr, root=root)[0].content is None


def test_git_quoted_paths_are_unquoted() -> None:
    assert unquote_path('"caf\\303\\251 menu.py"') == "café menu.py"
    assert unquote_path("a/plain.py\t2024-01-01 10:00:00") == "a/plain.py"
