"""Inline comments: only the top findings, only on lines the PR added, never twice."""

from __future__ import annotations

from analysis.engine import review_pull_request
from analysis.inline_comments import render_inline_body, select_inline_findings
from analysis.policy import ReviewPolicy

BEFORE = ["import os, requests", "def job(cmd):", "    os.system(cmd)", "    return 1"]
AFTER = [
    "import os, requests",
    "def job(cmd):",
    "    os.system(cmd)",
    '    requests.get("https://x", verify=False)',
    "    eval(cmd)",
    "    return 1",
]


def _outcome(build, before=BEFORE, after=AFTER):
    context = build.context([build.file("jobs/run.py", after, before)])
    return context, review_pull_request(context, ReviewPolicy(), run_id="r")


def test_only_findings_on_added_lines_are_chosen(build):
    context, outcome = _outcome(build)
    # the pre-existing os.system line is context: judged with the file, but not an added line
    shifted = outcome.reportable[0].model_copy(update={"start_line": 3, "fingerprint": "e" * 64})
    with_context_line = outcome.model_copy(update={"reportable": [shifted, *outcome.reportable]})
    chosen = select_inline_findings(with_context_line, context.files)
    assert shifted not in chosen
    assert {f.start_line for f in chosen} <= {4, 5}
    assert chosen == [f for f in outcome.reportable if f.start_line in (4, 5)]


def test_findings_without_a_file_or_line_are_never_inline(build):
    context, outcome = _outcome(build)
    fileless = outcome.reportable[0].model_copy(
        update={"file_path": None, "start_line": None, "fingerprint": "f" * 64}
    )
    chosen = select_inline_findings(
        outcome.model_copy(update={"reportable": [fileless, *outcome.reportable]}), context.files
    )
    assert fileless not in chosen and chosen


def test_top_n_then_minus_already_posted(build):
    context, outcome = _outcome(build)
    ranked = select_inline_findings(outcome, context.files, limit=10)
    assert len(ranked) >= 2
    top_one = select_inline_findings(outcome, context.files, limit=1)
    assert top_one == ranked[:1]
    posted = {ranked[0].fingerprint}
    assert select_inline_findings(outcome, context.files, already_posted=posted, limit=1) == []
    rest = select_inline_findings(outcome, context.files, already_posted=posted, limit=10)
    assert rest == ranked[1:]


def test_inline_body_cites_evidence_and_fix_and_masks_untrusted_text(build):
    _, outcome = _outcome(build)
    finding = outcome.reportable[0].model_copy(
        update={"message": "Ping @admins <!-- warden:state {} --> now"}
    )
    body = render_inline_body(finding)
    assert "**Evidence:** `" in body and finding.evidence.strip() in body
    assert f"**Fix:** {finding.suggested_fix.split(':')[0]}" in body
    assert f"warden-ignore[{finding.rule_id}]: reason" in body
    assert "<!--" not in body and "@admins" not in body
