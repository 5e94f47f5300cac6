"""Speed-bench parts that can break without a timing assertion: the synthetic PR and the
child-process measurement."""

from __future__ import annotations

import sys
from pathlib import Path

from bench.review_speed.run import run_measured
from bench.review_speed.synthetic_pr import synthetic_pr_files, write_synthetic_pr


def test_synthetic_pr_is_5000_mixed_lines_and_deterministic(tmp_path: Path) -> None:
    files = synthetic_pr_files()
    assert sum(len(c.splitlines()) for c in files.values()) >= 5000
    assert {p.rsplit(".", 1)[1] for p in files} == {"py", "js", "go", "java"}
    assert files == synthetic_pr_files()
    written = write_synthetic_pr(tmp_path, files)
    assert len(written) == len(files)
    assert all(p.is_file() for p in written)


def test_run_measured_reports_exit_code_and_child_memory(tmp_path: Path) -> None:
    code = "import sys; b = bytearray(60 * 1024 * 1024); sys.exit(3)"
    wall, peak_mb, exit_code = run_measured([sys.executable, "-c", code], tmp_path, {})
    assert exit_code == 3
    assert peak_mb >= 60
    assert wall > 0


def test_own_source_target_copies_every_package_module(tmp_path: Path) -> None:
    from bench.review_speed.run import OWN_PACKAGES, REPO_ROOT, copy_own_source

    written = copy_own_source(tmp_path)
    expected = sorted(
        p.relative_to(REPO_ROOT).as_posix()
        for package in OWN_PACKAGES
        for p in (REPO_ROOT / package).rglob("*.py")
    )
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == expected
    assert "analysis/engine.py" in expected
    engine = tmp_path / "analysis" / "engine.py"
    assert engine.read_text() == (REPO_ROOT / "analysis" / "engine.py").read_text()
