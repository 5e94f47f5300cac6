"""The corpus loader: every case parses, labels are valid classes, contexts are real PRs."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.detectors.security_catalog import SECURITY_RULES
from analysis.diff import parse_patch
from bench.review_quality.corpus import CorpusError, load_case_file, load_corpus

VALID_RULES = set(SECURITY_RULES) | {"requirement_drift", "standards"}


def test_every_case_parses_with_valid_labels() -> None:
    cases = load_corpus()
    assert len(cases) >= 160
    for case in cases:
        assert case.case_class in VALID_RULES | {"clean"}, case.id
        for expectation in case.expect:
            assert expectation.rule in VALID_RULES, case.id
        assert bool(case.expect) == (case.kind == "vulnerable"), case.id


def test_python_and_config_coverage() -> None:
    cases = load_corpus()
    python = [c for c in cases if c.language == "python"]
    config = [c for c in cases if c.language == "config"]
    assert len(python) >= 130
    assert len(config) >= 30
    silent = [c for c in python if c.kind != "vulnerable"]
    assert 0.35 <= len(silent) / len(python) <= 0.6


def test_expected_lines_are_added_lines_of_the_patch() -> None:
    """A labelled line must be one the PR adds, else no reviewer could ever report it."""
    for case in load_corpus():
        context = case.context()
        by_path = {f.path: f for f in context.files}
        for expectation in case.expect:
            if expectation.path is None or expectation.line is None:
                continue
            patch = parse_patch(by_path[expectation.path].patch or "")
            added = {line.new_line for line in patch.added_lines}
            assert expectation.line in added, f"{case.id}: line {expectation.line} not added"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


CASE = """\
id: t-1
language: python
class: {cls}
kind: {kind}
description: d
files:
  - path: a.py
    before: "x = 1\\n"
    after: "x = 1\\ny = eval(s)\\n"
expect: {expect}
"""


def test_contains_resolves_to_line_and_patch_is_modified(tmp_path: Path) -> None:
    expect = '[{category: security, rule: code-injection, path: a.py, contains: "eval("}]'
    (case,) = load_case_file(
        _write(tmp_path, CASE.format(cls="code-injection", kind="vulnerable", expect=expect))
    )
    assert case.expect[0].line == 2
    changed = case.context().files[0]
    assert changed.status == "modified"
    assert changed.content == "x = 1\ny = eval(s)\n"
    assert "+y = eval(s)" in (changed.patch or "")


@pytest.mark.parametrize(
    ("cls", "kind", "expect", "message"),
    [
        ("no-such-rule", "near_miss", "[]", "unknown class"),
        ("code-injection", "vulnerable", "[]", "at least one expectation"),
        (
            "code-injection",
            "near_miss",
            "[{category: security, rule: xss, path: a.py}]",
            "expects nothing",
        ),
        (
            "code-injection",
            "vulnerable",
            "[{category: standards, rule: xss, path: a.py}]",
            "belongs to category",
        ),
        (
            "code-injection",
            "vulnerable",
            "[{category: security, rule: xss, path: b.py}]",
            "not a case file",
        ),
        (
            "code-injection",
            "vulnerable",
            '[{category: security, rule: xss, path: a.py, contains: "zzz"}]',
            "contains",
        ),
        (
            "code-injection",
            "vulnerable",
            "[{category: security, rule: xss, path: a.py, line: 9}]",
            "beyond",
        ),
    ],
)
def test_malformed_cases_fail_naming_the_case(
    tmp_path: Path, cls: str, kind: str, expect: str, message: str
) -> None:
    path = _write(tmp_path, CASE.format(cls=cls, kind=kind, expect=expect))
    with pytest.raises(CorpusError, match="t-1") as raised:
        load_case_file(path)
    assert message in str(raised.value)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    text = CASE.format(cls="clean", kind="clean", expect="[]")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match="duplicate case id"):
        load_corpus(tmp_path)
