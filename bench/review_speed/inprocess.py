"""Time the deterministic review engine in-process on a set of added files (no CLI, no I/O)."""

from __future__ import annotations

import statistics
import time

from analysis.engine import review_pull_request
from analysis.policy import ReviewPolicy
from bench.review_quality.corpus import BenchCase


def synthetic_case(files: dict[str, str]) -> BenchCase:
    """The files as one clean-labelled case, so it reuses the corpus' record building."""
    return BenchCase.model_validate(
        {
            "id": "synthetic-5k-pr",
            "language": "python",
            "class": "clean",
            "kind": "clean",
            "description": "synthetic mixed-language PR for timing",
            "files": [{"path": path, "after": content} for path, content in files.items()],
        }
    )


def time_inprocess_review(files: dict[str, str], repeat: int = 3) -> dict[str, float | int]:
    """Seconds for the first review (cold caches) and the median of `repeat` more."""
    context = synthetic_case(files).context()
    policy = ReviewPolicy()
    started = time.perf_counter()
    outcome = review_pull_request(context, policy, run_id="bench-speed")
    first = time.perf_counter() - started
    timings = []
    for i in range(repeat):
        # a fresh context each time: no per-FileView cache survives between runs
        fresh = synthetic_case(files).context()
        started = time.perf_counter()
        review_pull_request(fresh, policy, run_id=f"bench-speed-{i}")
        timings.append(time.perf_counter() - started)
    return {
        "files": len(files),
        "lines": sum(len(c.splitlines()) for c in files.values()),
        "first_s": round(first, 4),
        "median_s": round(statistics.median(timings), 4),
        "max_s": round(max(timings), 4),
        "reportable": len(outcome.reportable),
        "findings": len(outcome.findings),
    }
