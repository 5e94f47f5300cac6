import pytest
from pydantic import ValidationError

from analysis.findings import general_finding
from analysis.policy import ReviewPolicy, is_reportable
from warden.records import FindingCategory, Severity


def _finding(build, severity: Severity, confidence: float, suppressed: bool = False):
    finding = general_finding(
        build.context([]),
        rule_id="r",
        category=FindingCategory.security,
        severity=severity,
        confidence=confidence,
        message="m",
        suggested_fix="f",
        fingerprint="0" * 64,
        evidence="e",
    )
    return finding.model_copy(update={"suppressed": suppressed})


def test_defaults():
    policy = ReviewPolicy()
    assert (policy.severity_threshold, policy.min_confidence, policy.max_comments) == (
        Severity.medium,
        0.5,
        10,
    )
    assert policy.require_linked_ticket is False


@pytest.mark.parametrize(
    ("severity", "confidence", "expected"),
    [
        (Severity.medium, 0.5, True),
        (Severity.critical, 0.99, True),
        (Severity.low, 0.99, False),
        (Severity.high, 0.49, False),
    ],
)
def test_threshold_and_confidence(build, severity, confidence, expected):
    assert is_reportable(_finding(build, severity, confidence), ReviewPolicy()) is expected


def test_suppressed_is_never_reportable(build):
    assert not is_reportable(
        _finding(build, Severity.critical, 1.0, suppressed=True), ReviewPolicy()
    )


def test_stricter_threshold(build):
    policy = ReviewPolicy(severity_threshold=Severity.high, min_confidence=0.8)
    assert not is_reportable(_finding(build, Severity.medium, 0.9), policy)
    assert not is_reportable(_finding(build, Severity.high, 0.7), policy)
    assert is_reportable(_finding(build, Severity.high, 0.8), policy)


def test_from_repository_policy_accepts_dash_keys_and_ignores_foreign_keys():
    policy = ReviewPolicy.from_repository_policy(
        {
            "severity-threshold": "high",
            "max_comments": 3,
            "require_linked_ticket": True,
            "llm_model": "something-else",
        }
    )
    assert policy == ReviewPolicy(
        severity_threshold=Severity.high, max_comments=3, require_linked_ticket=True
    )
    assert ReviewPolicy.from_repository_policy({}) == ReviewPolicy()
    assert ReviewPolicy.from_repository_policy(None) == ReviewPolicy()


def test_from_repository_policy_rejects_bad_values():
    with pytest.raises(ValidationError, match="severity_threshold"):
        ReviewPolicy.from_repository_policy({"severity_threshold": "urgent"})
    with pytest.raises(ValidationError, match="min_confidence"):
        ReviewPolicy.from_repository_policy({"min_confidence": 2})


def test_policy_hash_is_stable_and_sensitive():
    first = ReviewPolicy.from_repository_policy({"max_comments": 5, "min_confidence": 0.6})
    second = ReviewPolicy.from_repository_policy({"min_confidence": 0.6, "max_comments": 5})
    assert first.policy_hash() == second.policy_hash()
    assert len(first.policy_hash()) == 64
    assert first.policy_hash() != ReviewPolicy(max_comments=6, min_confidence=0.6).policy_hash()
    assert ReviewPolicy().policy_hash() != ReviewPolicy(require_linked_ticket=True).policy_hash()
