"""`warden scan` inputs: which files are read, what is skipped and why, how they are framed."""

from __future__ import annotations

import os
from pathlib import Path

from analysis.diff import parse_patch
from analysis.local_scan import added_file_patch, collect_files, find_scan_root, scan_context


def tree(root: Path) -> Path:
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "config").write_text("[core]\n")
    (root / "src").mkdir()
    (root / "src" / "app.py").write_text("import os\nos.system(cmd)\n")
    (root / "src" / "no_newline.js").write_text("eval(x)")
    (root / "src" / "logo.png").write_bytes(b"\x89PNG")
    (root / "src" / "blob.dat").write_bytes(b"abc\x00def")
    (root / "src" / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (root / "src" / "big.py").write_text("x = 1\n" * 200)
    (root / "node_modules" / "lib").mkdir(parents=True)
    (root / "node_modules" / "lib" / "index.js").write_text("eval(x)\n")
    (root / "env").mkdir()
    (root / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "ci.yml").write_text("on: push\n")
    os.symlink(root / "src" / "app.py", root / "src" / "link.py")
    return root


def test_walk_reads_sources_and_reports_every_skip(tmp_path: Path) -> None:
    root = tree(tmp_path / "repo")
    target = collect_files([root], max_file_bytes=1000)
    assert target.root == root.resolve()
    assert [path for path, _ in target.files] == [
        ".github/workflows/ci.yml",
        "src/app.py",
        "src/no_newline.js",
    ]
    assert {s.path: s.reason for s in target.skipped} == {
        ".git/": "excluded_dir",
        "node_modules/": "excluded_dir",
        "env/": "virtualenv",
        "src/logo.png": "binary",
        "src/blob.dat": "binary",
        "src/latin1.txt": "not_utf8",
        "src/big.py": "too_large",
        "src/link.py": "symlink",
    }


def test_root_is_the_git_work_tree_holding_the_paths(tmp_path: Path) -> None:
    root = tree(tmp_path / "repo")
    assert find_scan_root([root / "src"]) == root.resolve()
    target = collect_files([root / "src" / "app.py"])
    assert [path for path, _ in target.files] == ["src/app.py"]
    loose = tmp_path / "loose"
    (loose / "a").mkdir(parents=True)
    (loose / "b").mkdir()
    assert find_scan_root([loose / "a", loose / "b"]) == loose.resolve()


def test_files_are_framed_as_added_with_whole_content(tmp_path: Path) -> None:
    root = tree(tmp_path / "repo")
    context = scan_context(collect_files([root]), tenant_id="local")
    files = {f.path: f for f in context.files}
    app = files["src/app.py"]
    assert app.status == "added" and app.content == "import os\nos.system(cmd)\n"
    assert parse_patch(app.patch).added_text_by_line() == {1: "import os", 2: "os.system(cmd)"}
    js = parse_patch(files["src/no_newline.js"].patch)
    assert js.added_text_by_line() == {1: "eval(x)"} and js.hunks[0].lines[-1].no_newline_at_end
    assert added_file_patch("") == ""
    again = scan_context(collect_files([root]), tenant_id="local")
    assert again.pull_request.head_sha == context.pull_request.head_sha  # same input, same head
