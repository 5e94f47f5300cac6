"""The summary comment people act on: ranked, grouped, cited, quiet when clean, honest about
what was not reviewed, and never posting a dismissed finding or a secret."""

from __future__ import annotations

import re

from analysis.composer import compose_review_comment, parse_state, previously_inlined
from analysis.engine import review_pull_request
from analysis.outcome_parts import CriterionVerdict, LlmUsage
from analysis.policy import ReviewPolicy
from warden.records import FindingCategory, Severity

BEFORE = ["import os, requests", "def job(cmd):", "    return 1"]
TWO_BUGS = [
    "import os, requests",
    "def job(cmd):",
    "    os.system(cmd)",
    '    requests.get("https://x", verify=False)',
    "    return 1",
]
CLEAN = ["import os, requests", "def job(cmd):", '    os.system("make")', "    return 1"]
AWS_KEY = "AKIA" + "Q3EGZTLKVW7B5X2N"


def _review(build, after, *, extra_files=(), dismissed=frozenset(), policy=None):
    files = [build.file("jobs/run.py", after, BEFORE), *extra_files]
    context = build.context(files)
    outcome = review_pull_request(
        context, policy or ReviewPolicy(), run_id="r", dismissed=dismissed
    )
    return context, outcome


def test_findings_are_grouped_by_category_strongest_group_first_in_ranked_order(build):
    context, outcome = _review(build, TWO_BUGS)
    top, second = outcome.reportable[:2]
    drift = top.model_copy(
        update={
            "category": FindingCategory.requirement_drift,
            "rule_id": "requirement-contradicted",
            "severity": Severity.critical,
            "confidence": 0.95,
            "fingerprint": "d" * 64,
            "start_line": 4,
        }
    )
    ranked = outcome.model_copy(update={"reportable": [drift, top, second]})
    body = compose_review_comment(context.pull_request, ranked, None).body
    assert body.index("### Requirement drift (1)") < body.index("### Security (2)")
    security = body[body.index("### Security (2)") :]
    assert security.index(f"`{top.file_path}:{top.start_line}`") < security.index(
        f"`{second.file_path}:{second.start_line}`"
    )
    headline = body.splitlines()[3]
    assert "3 finding(s)" in headline and "1 critical" in headline
    assert "2 security" in headline and "1 requirement drift" in headline


def test_every_finding_has_location_why_evidence_and_fix(build):
    context, outcome = _review(build, TWO_BUGS)
    body = compose_review_comment(context.pull_request, outcome, None).body
    for finding in outcome.reportable:
        block = body[body.index(f"`{finding.file_path}:{finding.start_line}`") :]
        block = block.split("\n\n")[0].split("\n2. ")[0]
        assert finding.message.split(":")[0] in block  # why it matters
        assert "Evidence: `" in block and finding.evidence.strip() in block
        assert f"Fix: {finding.suggested_fix.split(':')[0]}" in block


def test_coverage_line_appears_when_files_were_skipped(build):
    generated = build.file("web/dist/app.min.js", ["eval(location.hash)"])
    context, outcome = _review(build, TWO_BUGS, extra_files=[generated])
    body = compose_review_comment(context.pull_request, outcome, None).body
    assert "Coverage: reviewed 1 of 2 files; 1 generated file skipped." in body


def test_no_coverage_line_when_everything_was_reviewed(build):
    context, outcome = _review(build, TWO_BUGS)
    assert "Coverage:" not in compose_review_comment(context.pull_request, outcome, None).body


def test_llm_skipped_by_budget_is_said_but_llm_not_configured_is_not(build):
    context, outcome = _review(build, TWO_BUGS)
    plain = compose_review_comment(context.pull_request, outcome, None).body
    assert "AI review" not in plain and "LLM reviewer off" not in plain
    usage = LlmUsage(status="skipped_budget", detail="tenant daily budget reached")
    skipped = outcome.model_copy(update={"llm_usage": usage})
    body = compose_review_comment(context.pull_request, skipped, None).body
    assert "AI review skipped: the LLM budget is used up (tenant daily budget reached)" in body
    noted = outcome.model_copy(update={"notes": ["reviewer llm failed (Timeout); skipped"]})
    assert (
        "Note: reviewer llm failed"
        in compose_review_comment(context.pull_request, noted, None).body
    )


def test_acceptance_criteria_section_lists_each_verdict_with_evidence(build):
    context, outcome = _review(build, TWO_BUGS)
    verdicts = [
        CriterionVerdict(
            ticket_key="ENG-7",
            criterion="A locked account returns HTTP 423",
            verdict="met",
            reason="status code 423 is returned",
            evidence=["auth/login.py:14", "tests/test_login.py:9"],
        ),
        CriterionVerdict(
            ticket_key="ENG-7",
            criterion="Lock after 5 failed attempts",
            verdict="not_met",
            reason="the code locks after 10",
            evidence=["auth/lockout.py:3"],
        ),
        CriterionVerdict(
            ticket_key="ENG-7",
            criterion="Support is notified",
            verdict="needs_human",
            reason="no code path can show this",
        ),
    ]
    body = compose_review_comment(
        context.pull_request, outcome.model_copy(update={"criteria": verdicts}), None
    ).body
    section = body[body.index("### Acceptance criteria") :]
    lines = [line for line in section.splitlines() if line.startswith("- **ENG-7**")]
    assert len(lines) == 3
    assert "not met" in lines[0] and "`auth/lockout.py:3`" in lines[0]
    assert "needs a human" in lines[1]
    assert "met" in lines[2] and "`auth/login.py:14`" in lines[2]
    assert "`tests/test_login.py:9`" in lines[2]


def test_dismissed_finding_never_returns_and_is_not_called_resolved(build):
    context, first = _review(build, TWO_BUGS)
    previous = compose_review_comment(context.pull_request, first, None)
    gone = first.reportable[0]
    _, again = _review(build, TWO_BUGS, dismissed=frozenset({gone.fingerprint}))
    second = compose_review_comment(context.pull_request, again, previous.body)
    assert gone.fingerprint not in second.open_fingerprints
    assert gone.fingerprint not in second.resolved_fingerprints
    assert gone.fingerprint not in [e.fp for e in parse_state(second.body).open]
    assert "No longer reported (1)" in second.body
    _, third_outcome = _review(build, TWO_BUGS, dismissed=frozenset({gone.fingerprint}))
    third = compose_review_comment(context.pull_request, third_outcome, second.body)
    assert f"`{gone.file_path}:{gone.start_line}`" not in third.body
    assert f"`{gone.file_path}:{gone.start_line}`" in previous.body


def test_resolved_findings_are_marked_resolved(build):
    context, first = _review(build, TWO_BUGS)
    previous = compose_review_comment(context.pull_request, first, None)
    _, fixed = _review(build, CLEAN)
    body = compose_review_comment(context.pull_request, fixed, previous.body).body
    assert "### Resolved since the last review (2)" in body
    assert body.count("~~ resolved") == 2


def test_silent_when_nothing_meets_the_policy(build):
    context, outcome = _review(build, TWO_BUGS, policy=ReviewPolicy(severity_threshold="critical"))
    assert outcome.findings and not outcome.reportable  # found, recorded, but below policy
    assert compose_review_comment(context.pull_request, outcome, None) is None


def test_max_comments_caps_the_list_and_counts_the_rest(build):
    context, outcome = _review(build, TWO_BUGS, policy=ReviewPolicy(max_comments=1))
    comment = compose_review_comment(context.pull_request, outcome, None)
    assert len(comment.open_fingerprints) == 1
    assert comment.body.count("\n1. **") == 1 and "\n2. **" not in comment.body
    assert "1 more finding(s) not shown (comment limit)" in comment.body


def test_a_secret_is_never_echoed_whole(build):
    after = [*BEFORE[:2], f'    key = "{AWS_KEY}"', "    return 1"]
    context, outcome = _review(build, after)
    assert outcome.reportable, "the hard-coded key must be reported"
    body = compose_review_comment(context.pull_request, outcome, None).body
    assert AWS_KEY not in body
    assert AWS_KEY[4:12] not in body  # not even the middle of it


def test_inline_fingerprints_accumulate_in_the_state_block(build):
    context, outcome = _review(build, TWO_BUGS)
    first_fp, second_fp = (f.fingerprint for f in outcome.reportable[:2])
    first = compose_review_comment(
        context.pull_request, outcome, None, inline_fingerprints=[first_fp]
    )
    assert previously_inlined(first.body) == {first_fp}
    second = compose_review_comment(
        context.pull_request, outcome, first.body, inline_fingerprints=[second_fp, first_fp]
    )
    assert second.inline_fingerprints == [first_fp, second_fp]
    assert previously_inlined(second.body) == {first_fp, second_fp}


def test_forged_inline_entries_are_dropped(build):
    context, outcome = _review(build, TWO_BUGS)
    forged = (
        '<!-- warden:state {"v":1,"open":[],"inline":["not-a-fingerprint","' + "a" * 64 + '"]} -->'
    )
    assert previously_inlined(forged) == {"a" * 64}
    assert re.search(
        r"warden:state", compose_review_comment(context.pull_request, outcome, forged).body
    )
