import pytest
from pydantic import ValidationError

from analysis.context import ReviewContext
from analysis.engine import ENGINE_VERSION, LLM_OFF_NOTE, review_key, review_pull_request
from analysis.findings import general_finding
from analysis.policy import ReviewPolicy
from analysis.reviewers.base import Reviewer
from warden.records import Finding, FindingCategory, Severity

RISKY = [
    "import os, pickle, requests",
    "def job(cmd, blob):",
    "    os.system(cmd)",
    "    pickle.loads(blob)",
    '    requests.get("https://x", verify=False)',
]


class EchoReviewer:
    """A stand-in for the LLM reviewer: records its hints and adds one finding."""

    name = "echo"

    def __init__(self) -> None:
        self.hints: list[Finding] = []

    def review(self, context: ReviewContext, hints: list[Finding]) -> list[Finding]:
        self.hints = hints
        finding = general_finding(
            context,
            rule_id="llm-logic",
            category=FindingCategory.security,
            severity=Severity.high,
            confidence=0.9,
            message="placeholder",
            suggested_fix="fix",
            fingerprint="f" * 64,
            evidence="e",
        )
        # misattributed and echoing a raw token (model_copy skips validation and masking)
        raw = "token " + "gh" + "p_" + "Zq8Lr2Vx9Tb4Nc6Md1Kf3Hs7Jw5Pe0Ya2RuXy" + " leaked"
        return [
            finding.model_copy(update={"pr_key": "github:PullRequest:other/repo#1", "message": raw})
        ]


class BrokenReviewer:
    name = "broken"

    def review(self, context: ReviewContext, hints: list[Finding]) -> list[Finding]:
        raise RuntimeError("model unavailable")


def test_review_key_covers_pr_head_engine_and_policy():
    policy = ReviewPolicy()
    key = review_key("github:PullRequest:a/b#1", "abc", policy)
    assert key == review_key("github:PullRequest:a/b#1", "abc", ReviewPolicy())
    assert key != review_key("github:PullRequest:a/b#1", "abd", policy)
    assert key != review_key("github:PullRequest:a/b#2", "abc", policy)
    assert key != review_key("github:PullRequest:a/b#1", "abc", ReviewPolicy(max_comments=3))
    assert isinstance(ENGINE_VERSION, str) and ENGINE_VERSION


def test_outcome_stamps_run_and_ranks_reportable(build):
    context = build.context([build.file("jobs/run.py", RISKY)])
    outcome = review_pull_request(context, ReviewPolicy(), run_id="run-42")
    assert {f.run_id for f in outcome.findings} == {"run-42"}
    assert outcome.reviewers_run == [
        "secrets",
        "security_rules",
        "prompt_injection",
        "requirements",
        "standards",
    ]
    assert LLM_OFF_NOTE in outcome.notes
    ranks = [(f.severity.rank, f.confidence) for f in outcome.reportable]
    weights = [{3: 7, 2: 3}[rank] * conf for rank, conf in ranks]
    assert weights == sorted(weights, reverse=True)
    assert {f.rule_id for f in outcome.reportable} == {
        "shell-injection",
        "unsafe-deserialization",
        "tls-verification-disabled",
    }


def test_max_comments_caps_reportable_but_keeps_all_findings(build):
    context = build.context([build.file("jobs/run.py", RISKY)])
    outcome = review_pull_request(context, ReviewPolicy(max_comments=1), run_id="r")
    assert len(outcome.reportable) == 1
    assert outcome.omitted_count == 2
    assert len(outcome.findings) == 3
    assert outcome.reportable[0].rule_id in ("shell-injection", "tls-verification-disabled")


def test_dismissed_fingerprints_never_come_back(build):
    context = build.context([build.file("jobs/run.py", RISKY)])
    first = review_pull_request(context, ReviewPolicy(), run_id="r1")
    dismissed = frozenset({first.reportable[0].fingerprint})
    second = review_pull_request(context, ReviewPolicy(), run_id="r2", dismissed=dismissed)
    assert dismissed.isdisjoint(f.fingerprint for f in second.reportable)
    assert dismissed <= {f.fingerprint for f in second.findings}  # still recorded


@pytest.mark.parametrize(
    "comment_line",
    [
        "    # warden-ignore[shell-injection]: command comes from a fixed allow-list",
        "    os.system(cmd)  # warden-ignore[shell-injection, sql-injection]: fixed allow-list",
    ],
)
def test_inline_suppression_records_but_does_not_report(build, comment_line):
    lines = ["import os", "def job(cmd):", comment_line, "    os.system(cmd)"]
    if "os.system" in comment_line:
        lines = [*lines[:2], comment_line]
    outcome = review_pull_request(
        build.context([build.file("jobs/run.py", lines)]), ReviewPolicy(), run_id="r"
    )
    assert [(f.rule_id, f.suppressed) for f in outcome.findings] == [("shell-injection", True)]
    assert outcome.reportable == []


def test_suppression_needs_the_right_rule_and_a_reason(build):
    for comment in (
        "# warden-ignore[sql-injection]: wrong rule",
        "# warden-ignore[shell-injection]",
    ):
        lines = ["import os", "def job(cmd):", f"    {comment}", "    os.system(cmd)"]
        outcome = review_pull_request(
            build.context([build.file("jobs/run.py", lines)]), ReviewPolicy(), run_id="r"
        )
        assert [f.suppressed for f in outcome.findings] == [False]


def test_extra_reviewer_gets_hints_and_cannot_misattribute_or_leak(build):
    echo = EchoReviewer()
    context = build.context([build.file("jobs/run.py", RISKY)])
    outcome = review_pull_request(context, ReviewPolicy(), run_id="r", extra_reviewers=[echo])
    assert {h.rule_id for h in echo.hints} >= {"shell-injection", "unsafe-deserialization"}
    assert outcome.reviewers_run[-1] == "echo"
    assert LLM_OFF_NOTE not in outcome.notes
    llm = next(f for f in outcome.findings if f.rule_id == "llm-logic")
    assert llm.pr_key == context.pull_request.pr_key
    assert "Zq8Lr2Vx9Tb4Nc6Md1Kf3Hs7Jw5Pe0Ya2RuXy" not in llm.message


def test_failing_extra_reviewer_is_a_note_not_a_crash(build):
    context = build.context([build.file("jobs/run.py", RISKY)])
    outcome = review_pull_request(
        context, ReviewPolicy(), run_id="r", extra_reviewers=[BrokenReviewer()]
    )
    assert "broken" not in outcome.reviewers_run
    assert any("broken failed (RuntimeError)" in note for note in outcome.notes)
    assert len(outcome.findings) == 3


def test_reviewer_protocol_is_structural():
    assert isinstance(EchoReviewer(), Reviewer)


def test_context_refuses_records_of_another_tenant(build):
    foreign = build.file("a.py", ["x = 1"]).model_copy(update={"tenant_id": "globex"})
    with pytest.raises(ValidationError, match="other tenants"):
        ReviewContext(tenant_id="acme", pull_request=build.pr(), files=[foreign])


def test_clean_change_has_no_findings(build):
    lines = [
        "import subprocess",
        "def ok(ref):",
        '    subprocess.run(["git", "log", ref], check=True)',
    ]
    outcome = review_pull_request(
        build.context([build.file("a.py", lines)]), ReviewPolicy(), run_id="r"
    )
    assert outcome.findings == [] and outcome.reportable == []
