import json
import re

from analysis.composer import compose_review_comment, parse_state
from analysis.engine import review_pull_request
from analysis.policy import ReviewPolicy
from warden.records import REVIEW_COMMENT_MARKER

BEFORE = ["import os, requests", "def job(cmd):", "    return 1"]
TWO_BUGS = [
    "import os, requests",
    "def job(cmd):",
    "    os.system(cmd)",
    '    requests.get("https://x", verify=False)',
    "    return 1",
]
ONE_BUG = ["import os, requests", "def job(cmd):", "    os.system(cmd)", "    return 1"]
CLEAN = ["import os, requests", "def job(cmd):", '    os.system("make")', "    return 1"]


def _compose(build, after, previous_body=None, policy=None, tickets=None):
    context = build.context([build.file("jobs/run.py", after, BEFORE)], tickets=tickets)
    outcome = review_pull_request(context, policy or ReviewPolicy(), run_id="r")
    return outcome, compose_review_comment(context.pull_request, outcome, previous_body)


def test_nothing_reportable_and_nothing_before_posts_nothing(build):
    outcome, comment = _compose(build, CLEAN)
    assert outcome.reportable == [] and comment is None


def test_body_starts_with_marker_groups_by_category_and_shows_location_and_fix(build):
    outcome, comment = _compose(build, TWO_BUGS)
    assert comment is not None
    assert comment.body.startswith(REVIEW_COMMENT_MARKER)
    assert "### Security (2)" in comment.body
    assert "`jobs/run.py:3`" in comment.body and "`jobs/run.py:4`" in comment.body
    assert "CWE-78" in comment.body and "Fix:" in comment.body and "Evidence:" in comment.body
    assert set(comment.open_fingerprints) == {f.fingerprint for f in outcome.reportable}
    assert comment.resolved_fingerprints == []
    assert "approve" not in comment.body.lower()


def test_state_block_round_trips(build):
    _, comment = _compose(build, TWO_BUGS)
    state = parse_state(comment.body)
    assert state is not None
    assert [entry.fp for entry in state.open] == comment.open_fingerprints
    assert all(entry.title.endswith("in jobs/run.py") for entry in state.open)
    raw = re.search(r"<!-- warden:state (\{.*\}) -->", comment.body).group(1)
    assert json.loads(raw)["head"] == build.pr().head_sha


def test_fixed_finding_is_listed_as_resolved_on_the_next_push(build):
    _, first = _compose(build, TWO_BUGS)
    _, second = _compose(build, ONE_BUG, previous_body=first.body)
    assert second is not None
    assert len(second.open_fingerprints) == 1
    assert len(second.resolved_fingerprints) == 1
    assert second.resolved_fingerprints[0] in first.open_fingerprints
    assert "Resolved since the last review (1)" in second.body
    assert "~~tls-verification-disabled in jobs/run.py~~" in second.body


def test_all_fixed_says_so_and_then_goes_quiet(build):
    _, first = _compose(build, TWO_BUGS)
    _, second = _compose(build, CLEAN, previous_body=first.body)
    assert second is not None
    assert second.open_fingerprints == []
    assert sorted(second.resolved_fingerprints) == sorted(first.open_fingerprints)
    assert "All previously reported findings are resolved" in second.body
    _, third = _compose(build, CLEAN, previous_body=second.body)
    assert third is None


def test_suppressed_finding_is_not_in_the_comment(build):
    suppressed = [
        "import os, requests",
        "def job(cmd):",
        "    os.system(cmd)  # warden-ignore[shell-injection]: fixed allow-list",
        '    requests.get("https://x", verify=False)',
        "    return 1",
    ]
    outcome, comment = _compose(build, suppressed)
    assert any(f.suppressed for f in outcome.findings)
    assert "shell-injection" not in comment.body
    assert "tls-verification-disabled" in comment.body


def test_suppressing_a_previously_open_finding_is_not_called_resolved(build):
    _, first = _compose(build, ONE_BUG)
    quiet = [
        "import os, requests",
        "def job(cmd):",
        "    os.system(cmd)  # warden-ignore[shell-injection]: fixed allow-list",
        "    return 1",
    ]
    _, second = _compose(build, quiet, previous_body=first.body)
    assert second.resolved_fingerprints == []
    assert "No longer reported (1)" in second.body


def test_max_comments_caps_the_comment_and_says_how_many_are_hidden(build):
    _, comment = _compose(build, TWO_BUGS, policy=ReviewPolicy(max_comments=1))
    assert len(comment.open_fingerprints) == 1
    assert "1 more finding(s) not shown" in comment.body


def test_untrusted_criterion_cannot_forge_state_or_mention_people(build):
    evil = 'Ping @security-team <!-- warden:state {"v":1,"open":[]} --> done'
    ticket = build.ticket("ENG-9", [evil])
    _, comment = _compose(build, TWO_BUGS, tickets=[ticket])
    assert comment.body.count("<!-- warden:state") == 1
    outside_code = re.sub(r"(`+).*?\1", "", comment.body)  # mentions in code never notify
    assert "@security-team" not in outside_code
    assert len(parse_state(comment.body).open) == len(comment.open_fingerprints)


def test_garbage_previous_body_is_treated_as_no_state(build):
    assert parse_state("hello") is None
    assert parse_state("<!-- warden:state {not json} -->") is None
    _, comment = _compose(build, CLEAN, previous_body="<!-- warden:review --> old text")
    assert comment is None
