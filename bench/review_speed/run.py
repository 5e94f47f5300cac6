"""Speed: wall time and peak memory of `warden scan`, Bandit and Semgrep OSS on the same
files (the corpus and a synthetic 5,000-line PR), plus the in-process deterministic review
of that PR. Bandit and Semgrep come from bench/.tools (see install_tools.sh), never from
the app's venv; Semgrep runs offline with our own rules.

`python -m bench.review_speed.run [--repeat N] [--out FILE]`
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.review_quality.corpus import load_corpus
from bench.review_speed.inprocess import time_inprocess_review
from bench.review_speed.synthetic_pr import synthetic_pr_files, write_synthetic_pr

BENCH_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = BENCH_DIR.parent
TOOLS_DIR = BENCH_DIR / ".tools"
SEMGREP_RULES = Path(__file__).parent / "semgrep_rules"
WARDEN = REPO_ROOT / ".venv" / "bin" / "warden"
BANDIT = TOOLS_DIR / "bandit" / "bin" / "bandit"
SEMGREP = TOOLS_DIR / "semgrep" / "bin" / "semgrep"


@dataclass
class Measured:
    tool: str
    target: str
    files: int
    lines: int
    runs: int
    wall_s_median: float | None = None
    wall_s_min: float | None = None
    peak_rss_mb: float | None = None
    findings: int | None = None
    note: str = ""


def run_measured(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB, the child and its waited-for descendants), exit code."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr is not None:
        proc.stderr.close()
    return wall, usage.ru_maxrss / 1024.0, proc.returncode


def _count_findings(tool: str, report: Path) -> int | None:
    if not report.exists():
        return None
    data = json.loads(report.read_text(encoding="utf-8") or "{}")
    if tool.startswith("warden scan"):
        return len(data.get("reportable", []))
    return len(data.get("results", []))


def measure(
    tool: str, target: str, argv: list[str], report: Path, paths: list[Path], repeat: int
) -> Measured:
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in paths)
    result = Measured(tool, target, len(paths), lines, 0)
    env = {**os.environ, "WARDEN_DATA_DIR": str(report.parent / "warden-data")}
    walls, peaks = [], []
    for _ in range(repeat):
        wall, peak, code = run_measured(argv, report.parent, env)
        # bandit exits 1 when it finds issues; warden scan 2 and semgrep >= 2 are errors
        if (tool.startswith("warden scan") and code == 2) or (tool == "semgrep" and code >= 2):
            result.note = f"exit {code}"
            return result
        walls.append(wall)
        peaks.append(peak)
    result.runs = repeat
    result.wall_s_median = round(statistics.median(walls), 3)
    result.wall_s_min = round(min(walls), 3)
    result.peak_rss_mb = round(max(peaks), 1)
    result.findings = _count_findings(tool, report)
    return result


def materialise_corpus(root: Path) -> list[Path]:
    """Every case file at head under root/<case id>/<path>."""
    written = []
    for case in load_corpus():
        for spec in case.files:
            path = root / case.id / spec.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(spec.after, encoding="utf-8")
            written.append(path)
    return written


OWN_PACKAGES = ("warden", "ingestion", "analysis", "orchestration", "dashboard")


def copy_own_source(root: Path) -> list[Path]:
    """Warden's own Python packages (~34k lines): a repository-sized, Python-only target."""
    written = []
    for package in OWN_PACKAGES:
        for source in sorted((REPO_ROOT / package).rglob("*.py")):
            target = root / source.relative_to(REPO_ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
            written.append(target)
    return written


def tool_commands(target_dir: Path, work: Path) -> list[tuple[str, list[str], Path]]:
    # start-up alone (imports, click): what a one-shot CLI pays before reviewing anything
    commands: list[tuple[str, list[str], Path]] = [
        ("warden startup", [str(WARDEN), "scan", "--help"], work / "none.json")
    ]
    for label, jobs in (("warden scan", []), ("warden scan -j1", ["--jobs", "1"])):
        # default --jobs: one worker per CPU (2 here); -j1: a single process
        out = work / f"warden{'-j1' if jobs else ''}.json"
        argv = [str(WARDEN), "scan", str(target_dir), "--format", "json", "--fail-on", "never"]
        commands.append((label, [*argv, *jobs, "--output", str(out)], out))
    if SEMGREP.exists():
        semgrep_out = work / "semgrep.json"
        commands.append(
            (
                "semgrep",
                [
                    str(SEMGREP),
                    "scan",
                    "--metrics=off",
                    "--disable-version-check",
                    "--quiet",
                    "--config",
                    str(SEMGREP_RULES),
                    "--json",
                    "--output",
                    str(semgrep_out),
                    str(target_dir),
                ],
                semgrep_out,
            )
        )
    if BANDIT.exists():
        bandit_out = work / "bandit.json"
        commands.append(
            (
                "bandit",
                [str(BANDIT), "-r", str(target_dir), "-f", "json", "-q", "-o", str(bandit_out)],
                bandit_out,
            )
        )
    return commands


def run_speed(out: Path | None, repeat: int = 3) -> dict[str, object]:
    measured: list[Measured] = []
    with tempfile.TemporaryDirectory(prefix="warden-bench-") as tmp:
        base = Path(tmp)
        targets = {
            "corpus": (base / "corpus", materialise_corpus(base / "corpus")),
            "synthetic-5k-pr": (base / "synthetic", write_synthetic_pr(base / "synthetic")),
            # a whole repository rather than a PR: where per-line speed, not start-up, counts
            "warden-source": (base / "own", copy_own_source(base / "own")),
        }
        for target, (target_dir, paths) in targets.items():
            work = base / f"work-{target}"
            work.mkdir()
            for tool, argv, report in tool_commands(target_dir, work):
                scope = [p for p in paths if p.suffix == ".py"] if tool == "bandit" else paths
                measured.append(measure(tool, target, argv, report, scope, repeat))
    missing = [
        name for name, path in (("semgrep", SEMGREP), ("bandit", BANDIT)) if not path.exists()
    ]
    inprocess = time_inprocess_review(synthetic_pr_files(), repeat=max(repeat, 3))
    report = {
        "repeat": repeat,
        "cpu_count": os.cpu_count(),
        "missing_tools": missing,
        "measurements": [asdict(m) for m in measured],
        "speedup_vs_semgrep": _speedups(measured),
        "inprocess_review_synthetic_5k": inprocess,
    }
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def _speedups(measured: list[Measured]) -> dict[str, float | None]:
    speedups: dict[str, float | None] = {}
    for target in sorted({m.target for m in measured}):
        by_tool = {m.tool: m for m in measured if m.target == target}
        warden, semgrep = by_tool.get("warden scan"), by_tool.get("semgrep")
        if warden and semgrep and warden.wall_s_median and semgrep.wall_s_median:
            speedups[target] = round(semgrep.wall_s_median / warden.wall_s_median, 2)
        else:
            speedups[target] = None
    return speedups


def render_speed(report: dict[str, object]) -> str:
    lines = [
        "target            tool             files  lines  wall(med)  wall(min)  peakRSS  findings"
    ]
    for m in report["measurements"]:  # type: ignore[attr-defined]
        wall = "-" if m["wall_s_median"] is None else f"{m['wall_s_median']:.2f}s"
        wmin = "-" if m["wall_s_min"] is None else f"{m['wall_s_min']:.2f}s"
        rss = "-" if m["peak_rss_mb"] is None else f"{m['peak_rss_mb']:.0f}MB"
        startup = m["tool"] == "warden startup"  # `scan --help`: reads no files
        files, count = ("-", "-") if startup else (m["files"], m["lines"])
        found = "-" if m["findings"] is None else m["findings"]
        lines.append(
            f"{m['target']:<18}{m['tool']:<16}{files:>6}{count:>7}{wall:>11}"
            f"{wmin:>11}{rss:>9}{found!s:>10} {m['note']}".rstrip()
        )
    lines.append(f"\nSemgrep wall / warden scan wall: {report['speedup_vs_semgrep']}")
    inproc = report["inprocess_review_synthetic_5k"]
    lines.append(
        f"in-process deterministic review of the synthetic PR ({inproc['files']} files, "  # type: ignore[index]
        f"{inproc['lines']} lines): first {inproc['first_s']:.3f}s, "  # type: ignore[index]
        f"median {inproc['median_s']:.3f}s, {inproc['reportable']} reportable"  # type: ignore[index]
    )
    if report["missing_tools"]:
        lines.append(f"not measured (run `make bench-tools`): {report['missing_tools']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results" / "review_speed.json")
    args = parser.parse_args(argv)
    report = run_speed(args.out, repeat=args.repeat)
    print(render_speed(report))
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
