"""Score the review engine on the labelled corpus: per class and per language TPR, FPR,
precision, Youden index, and the share of clean / near-miss PRs that get no comment.

`python -m bench.review_quality.score [--out FILE]` prints the table and writes JSON.
Exit status: 0 when every case was reviewed, 1 when the engine crashed on any case.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

from analysis.composer import compose_review_comment
from analysis.engine import ENGINE_VERSION, review_pull_request
from bench.review_quality.corpus import CASES_DIR, BenchCase, load_corpus
from bench.review_quality.matching import CaseResult, expected_class, match_case, observe


def review_case(case: BenchCase) -> CaseResult:
    """Run the engine on one case (its policy, tickets and docs) and match the findings."""
    context = case.context()
    try:
        outcome = review_pull_request(context, case.review_policy(), run_id=f"bench-{case.id}")
        comment = compose_review_comment(context.pull_request, outcome, None)
    except Exception as error:  # a crash is measured and reported, not hidden
        result = CaseResult(case.id, case.language, case.case_class, case.kind)
        result.error = f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}"
        return result
    result = match_case(case, [observe(f) for f in outcome.reportable])
    if (comment is None) != (not outcome.reportable):
        result.error = "composer disagrees with the reportable list"
    return result


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _youden(tpr: float | None, fpr: float | None) -> float | None:
    if tpr is None:
        return None
    return round(tpr - (fpr or 0.0), 4)


def class_metrics(results: list[CaseResult]) -> dict[str, dict[str, object]]:
    """Per rule class (expected or reported)."""
    classes = sorted(
        set().union(*(r.expected_classes | r.finding_classes() for r in results))
        if results
        else set()
    )
    table: dict[str, dict[str, object]] = {}
    for cls in classes:
        expectations = sum(
            r.matched.count(cls) + sum(1 for e in r.missed if expected_class(e.rule) == cls)
            for r in results
        )
        tp = sum(r.matched.count(cls) for r in results)
        fp = sum(1 for r in results for o in r.false_positives if o.rule_class == cls)
        negatives = [r for r in results if cls not in r.expected_classes]
        flagged = [r for r in negatives if any(o.rule_class == cls for o in r.false_positives)]
        near = [r for r in results if r.case_class == cls and r.kind != "vulnerable"]
        near_flagged = [r for r in near if any(o.rule_class == cls for o in r.false_positives)]
        tpr = _ratio(tp, expectations)
        fpr = _ratio(len(flagged), len(negatives))
        table[cls] = {
            "expectations": expectations,
            "tp": tp,
            "fn": expectations - tp,
            "fp": fp,
            "tpr": tpr,
            "precision": _ratio(tp, tp + fp),
            "negative_cases": len(negatives),
            "fpr": fpr,
            "near_miss_cases": len(near),
            "near_miss_fpr": _ratio(len(near_flagged), len(near)),
            "youden": _youden(tpr, fpr),
        }
    return table


def group_metrics(results: list[CaseResult]) -> dict[str, object]:
    """TPR / precision over expectations, FPR over the group's silent cases."""
    expectations = sum(len(r.matched) + len(r.missed) for r in results)
    tp = sum(len(r.matched) for r in results)
    fp = sum(len(r.false_positives) for r in results)
    silent = [r for r in results if r.kind != "vulnerable"]
    noisy = [r for r in silent if not r.quiet]
    tpr = _ratio(tp, expectations)
    fpr = _ratio(len(noisy), len(silent))
    return {
        "cases": len(results),
        "vulnerable_cases": len(results) - len(silent),
        "silent_cases": len(silent),
        "expectations": expectations,
        "tp": tp,
        "fn": expectations - tp,
        "fp": fp,
        "duplicates": sum(r.duplicates for r in results),
        "tpr": tpr,
        "precision": _ratio(tp, tp + fp),
        "fpr": fpr,
        "youden": _youden(tpr, fpr),
        "quiet_share": _ratio(len(silent) - len(noisy), len(silent)),
        "errors": sum(1 for r in results if r.error),
    }


def build_report(results: list[CaseResult], seconds: float) -> dict[str, object]:
    languages = sorted({r.language for r in results})
    return {
        "engine_version": ENGINE_VERSION,
        "seconds": round(seconds, 3),
        "overall": group_metrics(results),
        "by_language": {
            lang: group_metrics([r for r in results if r.language == lang]) for lang in languages
        },
        "by_class": class_metrics(results),
        "cases": [r.as_json() for r in results],
    }


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def render_table(report: dict[str, object]) -> str:
    """Plain-text tables: languages, then classes, then misses and false positives."""
    lines = ["language     cases  exp  tp  fn  fp   TPR  prec   FPR  Youden  quiet"]
    by_language = dict(report["by_language"])  # type: ignore[call-overload]
    for name, m in [*by_language.items(), ("ALL", report["overall"])]:
        lines.append(
            f"{name:<12}{m['cases']:>6}{m['expectations']:>5}{m['tp']:>4}{m['fn']:>4}"
            f"{m['fp']:>4}{_fmt(m['tpr']):>6}{_fmt(m['precision']):>6}{_fmt(m['fpr']):>6}"
            f"{_fmt(m['youden']):>8}{_fmt(m['quiet_share']):>7}"
        )
    lines += ["", "class                       exp  tp  fn  fp   TPR  prec   FPR  nmFPR  Youden"]
    for name, m in dict(report["by_class"]).items():  # type: ignore[call-overload]
        lines.append(
            f"{name:<26}{m['expectations']:>5}{m['tp']:>4}{m['fn']:>4}{m['fp']:>4}"
            f"{_fmt(m['tpr']):>6}{_fmt(m['precision']):>6}{_fmt(m['fpr']):>6}"
            f"{_fmt(m['near_miss_fpr']):>7}{_fmt(m['youden']):>8}"
        )
    problems = []
    for case in report["cases"]:  # type: ignore[attr-defined]
        for miss in case["missed"]:
            problems.append(
                f"  FN {case['id']}: {miss['rule']} {miss.get('path')}:{miss.get('line')}"
            )
        for fp in case["false_positives"]:
            problems.append(f"  FP {case['id']}: {fp['rule_id']} {fp['path']}:{fp['start_line']}")
        if case["error"]:
            problems.append(f"  ERROR {case['id']}: {case['error'].splitlines()[0]}")
    if problems:
        lines += ["", "misses and false positives:", *problems]
    return "\n".join(lines)


def render_summary_line(name: str, report: dict[str, object], first: Path) -> str:
    """`name  now: <ALL line>` and, when recorded, `first: <ALL line>` of a holdout set."""
    m = report["overall"]
    now = (
        f"cases {m['cases']} exp {m['expectations']} TPR {_fmt(m['tpr'])} "  # type: ignore[index]
        f"prec {_fmt(m['precision'])} quiet {_fmt(m['quiet_share'])}"  # type: ignore[index]
    )
    line = f"{name:<10} now:   {now}"
    if first.is_file():
        recorded = [row for row in first.read_text().splitlines() if row.startswith("ALL")]
        if recorded:
            cells = recorded[0].split()
            line += (
                f"\n{'':<10} first: cases {cells[1]} exp {cells[2]} TPR {cells[6]} "
                f"prec {cells[7]} quiet {cells[10]}"
            )
    return line


def run_quality(out: Path | None, root: Path = CASES_DIR) -> tuple[dict[str, object], bool]:
    """Score the whole corpus; returns the report and whether every case ran."""
    started = time.perf_counter()
    results = [review_case(case) for case in load_corpus(root)]
    report = build_report(results, time.perf_counter() - started)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    crashed = any(r.error for r in results)
    return report, not crashed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    default_out = Path(__file__).resolve().parents[1] / "results" / "review_quality.json"
    parser.add_argument("--out", type=Path, default=default_out)
    parser.add_argument(
        "--cases",
        type=Path,
        default=CASES_DIR,
        help="case folder: the tuning corpus (default) or bench/review_quality/holdout",
    )
    args = parser.parse_args(argv)
    report, ok = run_quality(args.out, args.cases)
    print(render_table(report))
    print(f"\nwrote {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
