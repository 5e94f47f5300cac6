"""`python -m bench`: review quality on the tuning corpus (full table) and on every blind
holdout set (one line each, next to its recorded first measurement), then speed against
Bandit and Semgrep. Writes bench/results/review_quality*.json and review_speed.json
(gitignored). Exit status: 1 when the engine crashed on a case, else 0."""

from __future__ import annotations

import sys
from pathlib import Path

from bench.review_quality.corpus import CASES_DIR
from bench.review_quality.score import render_summary_line, render_table, run_quality
from bench.review_speed.run import render_speed, run_speed

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> int:
    quality, ok = run_quality(RESULTS / "review_quality.json")
    print(render_table(quality))
    print("\nblind holdout sets (now: the engine today; first: its recorded first measurement)")
    for holdout in sorted(CASES_DIR.parent.glob("holdout*")):
        report, ran = run_quality(RESULTS / f"review_quality_{holdout.name}.json", holdout)
        ok = ok and ran
        print(render_summary_line(holdout.name, report, holdout / "FIRST_MEASUREMENT.txt"))
    print()
    speed = run_speed(RESULTS / "review_speed.json")
    print(render_speed(speed))
    print(f"\nwrote {RESULTS}/review_quality.json and review_speed.json")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
