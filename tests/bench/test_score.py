"""The scorer's matching and arithmetic on a tiny hand-made corpus (no engine involved)."""

from __future__ import annotations

from pathlib import Path

from bench.review_quality.corpus import load_case_file
from bench.review_quality.matching import Observed, match_case, rule_class
from bench.review_quality.score import build_report, class_metrics, group_metrics

CORPUS = """\
id: vuln-a
language: python
class: sql-injection
kind: vulnerable
description: two expected findings
files:
  - path: a.py
    after: "l1\\nl2\\nl3\\nl4\\nl5\\nl6\\nl7\\nl8\\nl9\\nl10\\n"
expect:
  - {category: security, rule: sql-injection, path: a.py, line: 3}
  - {category: security, rule: ssrf, path: a.py, line: 9}
---
id: near-b
language: python
class: sql-injection
kind: near_miss
description: should be silent
files:
  - path: b.py
    after: "x\\n"
---
id: clean-c
language: go
class: clean
kind: clean
description: silent go case
files:
  - path: c.go
    after: "package c\\n"
"""


def _obs(rule: str, path: str, line: int, category: str = "security") -> Observed:
    return Observed(category, rule_class(category, rule), rule, path, line, line)


def _cases(tmp_path: Path):
    path = tmp_path / "cases.yaml"
    path.write_text(CORPUS, encoding="utf-8")
    return {case.id: case for case in load_case_file(path)}


def test_line_tolerance_duplicates_and_false_positives(tmp_path: Path) -> None:
    cases = _cases(tmp_path)
    result = match_case(
        cases["vuln-a"],
        [
            _obs("sql-injection", "a.py", 5),  # within +-2 of line 3: TP
            _obs("sql-injection", "a.py", 4),  # same expectation again: duplicate
            _obs("ssrf", "a.py", 5),  # 4 lines away from 9: FP, and ssrf missed
            _obs("sql-injection", "other.py", 3),  # wrong file: FP
        ],
    )
    assert result.matched == ["sql-injection"]
    assert [e.rule for e in result.missed] == ["ssrf"]
    assert result.duplicates == 1
    assert sorted(o.path or "" for o in result.false_positives) == ["a.py", "other.py"]


def test_secret_rule_ids_count_as_hardcoded_credential() -> None:
    assert rule_class("security", "secret-aws-access-key") == "hardcoded-credential"
    assert rule_class("standards", "no-print") == "standards"
    assert rule_class("security", "xss") == "xss"
    assert rule_class("security", "llm-prompt-injection") == "prompt-injection"


def test_metrics_arithmetic(tmp_path: Path) -> None:
    cases = _cases(tmp_path)
    results = [
        match_case(cases["vuln-a"], [_obs("sql-injection", "a.py", 3)]),
        match_case(cases["near-b"], [_obs("sql-injection", "b.py", 1)]),
        match_case(cases["clean-c"], []),
    ]
    overall = group_metrics(results)
    assert (overall["expectations"], overall["tp"], overall["fn"], overall["fp"]) == (2, 1, 1, 1)
    assert overall["tpr"] == 0.5
    assert overall["precision"] == 0.5
    assert overall["fpr"] == 0.5  # one of the two silent cases got a comment
    assert overall["quiet_share"] == 0.5
    assert overall["youden"] == 0.0

    by_class = class_metrics(results)
    sql = by_class["sql-injection"]
    assert (sql["tp"], sql["fp"], sql["tpr"], sql["precision"]) == (1, 1, 1.0, 0.5)
    # negatives for sql-injection: near-b and clean-c; near-b was flagged
    assert (sql["negative_cases"], sql["fpr"]) == (2, 0.5)
    assert (sql["near_miss_cases"], sql["near_miss_fpr"]) == (1, 1.0)
    assert sql["youden"] == 0.5
    ssrf = by_class["ssrf"]
    assert (ssrf["tp"], ssrf["fn"], ssrf["tpr"], ssrf["precision"]) == (0, 1, 0.0, None)

    report = build_report(results, seconds=0.1)
    assert report["by_language"]["go"]["quiet_share"] == 1.0  # type: ignore[index]
    assert report["by_language"]["python"]["tpr"] == 0.5  # type: ignore[index]


def test_an_expectation_labelled_with_an_aliased_rule_id_matches_its_class():
    from bench.review_quality.matching import Expectation, hits

    observed = Observed(
        "security",
        rule_class("security", "llm-prompt-injection"),
        "llm-prompt-injection",
        "app/chat.py",
        12,
        12,
    )
    for label in ("llm-prompt-injection", "prompt-injection"):
        expectation = Expectation(category="security", rule=label, path="app/chat.py", line=12)
        assert hits(observed, expectation), label


def test_summary_line_shows_today_and_the_recorded_first_measurement(tmp_path):
    from bench.review_quality.score import render_summary_line

    first = tmp_path / "FIRST_MEASUREMENT.txt"
    first.write_text(
        "# holdout: first measurement\n"
        "language     cases  exp  tp  fn  fp   TPR  prec   FPR  Youden  quiet\n"
        "ALL             80   40  26  14   5  0.65  0.84  0.00    0.65   1.00\n"
    )
    overall = {"cases": 80, "expectations": 40, "tpr": 0.95, "precision": 0.93, "quiet_share": 1.0}
    line = render_summary_line("holdout2", {"overall": overall}, first)
    assert "now:   cases 80 exp 40 TPR 0.95 prec 0.93 quiet 1.00" in line
    assert "first: cases 80 exp 40 TPR 0.65 prec 0.84 quiet 1.00" in line
    assert "first:" not in render_summary_line("x", {"overall": overall}, tmp_path / "none")
