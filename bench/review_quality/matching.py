"""Compare one case's reportable findings with its labels: TPs, FPs, FNs, duplicates.

Pure functions over plain values, so the arithmetic is testable without the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.review_quality.corpus import BenchCase, Expectation
from warden.records import Finding, FindingCategory

LINE_TOLERANCE = 2
#: the secrets reviewer reports hard-coded credentials under its own `secret-*` rule ids
SECRET_RULE_PREFIX = "secret-"
#: finer rule ids scored as the class the corpora label (same CWE): user text in an LLM
#: system prompt and text aimed at Warden itself are both prompt injection (CWE-1427), and
#: the labels were written before `llm-prompt-injection` existed
RULE_CLASS_ALIASES = {"llm-prompt-injection": "prompt-injection"}


@dataclass(frozen=True)
class Observed:
    """What the scorer needs from a reportable finding."""

    category: str
    rule_class: str
    rule_id: str
    path: str | None
    start_line: int | None
    end_line: int | None


@dataclass
class CaseResult:
    case_id: str
    language: str
    case_class: str
    kind: str
    matched: list[str] = field(default_factory=list)
    missed: list[Expectation] = field(default_factory=list)
    false_positives: list[Observed] = field(default_factory=list)
    duplicates: int = 0
    reportable: int = 0
    error: str | None = None

    @property
    def quiet(self) -> bool:
        return self.reportable == 0 and self.error is None

    @property
    def expected_classes(self) -> set[str]:
        return set(self.matched) | {expected_class(e.rule) for e in self.missed}

    def finding_classes(self) -> set[str]:
        """Classes this case was reported for (true or false positives)."""
        return set(self.matched) | {o.rule_class for o in self.false_positives}

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.case_id,
            "language": self.language,
            "class": self.case_class,
            "kind": self.kind,
            "matched": self.matched,
            "missed": [e.model_dump(exclude_none=True) for e in self.missed],
            "false_positives": [fp.__dict__ for fp in self.false_positives],
            "duplicates": self.duplicates,
            "reportable": self.reportable,
            "error": self.error,
        }


def expected_class(rule: str) -> str:
    """The class an expectation's `rule` is scored as."""
    return RULE_CLASS_ALIASES.get(rule, rule)


def rule_class(category: str, rule_id: str) -> str:
    """The corpus class of a finding: the security rule id, else its category."""
    if category != FindingCategory.security.value:
        return category
    if rule_id.startswith(SECRET_RULE_PREFIX):
        return "hardcoded-credential"
    return RULE_CLASS_ALIASES.get(rule_id, rule_id)


def observe(finding: Finding) -> Observed:
    category = FindingCategory(finding.category).value
    return Observed(
        category=category,
        rule_class=rule_class(category, finding.rule_id),
        rule_id=finding.rule_id,
        path=finding.file_path,
        start_line=finding.start_line,
        end_line=finding.end_line,
    )


def hits(observed: Observed, expectation: Expectation) -> bool:
    """Same class and category, same file (if expected), line within tolerance (if given)."""
    wanted = expected_class(expectation.rule)
    if observed.category != expectation.category or observed.rule_class != wanted:
        return False
    if expectation.path is not None and observed.path != expectation.path:
        return False
    if expectation.line is None:
        return True
    if observed.start_line is None:
        return False
    end = observed.end_line or observed.start_line
    return observed.start_line - LINE_TOLERANCE <= expectation.line <= end + LINE_TOLERANCE


def match_case(case: BenchCase, observed: list[Observed]) -> CaseResult:
    """Greedy one-to-one matching in file/line order; leftovers hitting a found
    expectation are duplicates, the rest false positives."""
    result = CaseResult(case.id, case.language, case.case_class, case.kind)
    result.reportable = len(observed)
    found = [False] * len(case.expect)
    ordered = sorted(observed, key=lambda o: (o.path or "", o.start_line or 0, o.rule_id))
    for item in ordered:
        index = next((i for i, e in enumerate(case.expect) if not found[i] and hits(item, e)), None)
        if index is not None:
            found[index] = True
            result.matched.append(expected_class(case.expect[index].rule))
        elif any(hits(item, e) for e in case.expect):
            result.duplicates += 1
        else:
            result.false_positives.append(item)
    result.missed = [e for i, e in enumerate(case.expect) if not found[i]]
    return result
