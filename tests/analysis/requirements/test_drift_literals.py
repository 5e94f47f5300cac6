"""Drift vs clean for values a criterion states in words: status phrases, one-unit windows,
counted units, routes and field spellings. Each drift case has a clean twin that must stay
quiet, and the near misses must not be read as contradictions."""

import pytest

from analysis.detectors.requirement_literals import criterion_literals
from analysis.detectors.requirements import RequirementsReviewer


def _review(build, files, criteria, title="Billing"):
    ticket = build.ticket("PAY-7", criteria, title=title)
    context = build.context(files, tickets=[ticket])
    reviewer = RequirementsReviewer()
    return reviewer.review(context, []), reviewer.verdicts(context)


def _rules(findings):
    return [finding.rule_id for finding in findings]


def _where(finding):
    return finding.file_path, finding.start_line


# --- criterion text -------------------------------------------------------------------


def test_a_count_before_a_lower_case_noun_is_not_a_status():
    literals = criterion_literals("Given a coupon redeemed 200 times, then the status is 409")
    assert [(lit.kind, lit.value) for lit in literals] == [("status", 409.0)]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("At most 10 SMS codes per phone number per day", 86400.0),
        ("No more than 40 searches in the last minute", 60.0),
        ("Digests are rebuilt every hour", 3600.0),
    ],
)
def test_a_window_of_one_unit_is_a_duration(text, seconds):
    durations = [lit.value for lit in criterion_literals(text) if lit.kind == "duration"]
    assert durations == [seconds]


@pytest.mark.parametrize(
    "text",
    [
        "Reminders are sent twice a day",
        "A second factor is required for admins",
        "The dashboard refreshes within a minute",
        "Reports render in less than an hour",
    ],
)
def test_frequencies_bounds_and_ordinals_are_not_windows(text):
    assert [lit for lit in criterion_literals(text) if lit.kind == "duration"] == []


# --- statuses -------------------------------------------------------------------------

SUSPENDED = "A suspended workspace gets HTTP 402"


def _suspension(code: str) -> list[str]:
    return [
        "def workspace_status(workspace) -> int:",
        "    if workspace.suspended_at is not None:",
        f"        return {code}",
        "    return 200",
    ]


def test_bare_returned_status_in_a_status_function_contradicts(build):
    file = build.file("billing/gate.py", _suspension("403"))
    findings, [verdict] = _review(build, [file], [SUSPENDED])
    assert _rules(findings) == ["requirement-contradicted"]
    assert _where(findings[0]) == ("billing/gate.py", 3)
    assert verdict.verdict == "not_met"
    assert verdict.evidence == ["billing/gate.py:3: return 403"]


def test_bare_returned_status_that_matches_stays_quiet(build):
    findings, _ = _review(build, [build.file("billing/gate.py", _suspension("402"))], [SUSPENDED])
    assert findings == []


def test_bare_returned_number_outside_status_code_is_not_a_status(build):
    code = [
        "def seats_left(workspace) -> int:",
        "    if workspace.suspended_at is not None:",
        "        return 300",
        "    return workspace.seats",
    ]
    findings, _ = _review(build, [build.file("billing/seats.py", code)], [SUSPENDED])
    assert "requirement-contradicted" not in _rules(findings)


COUPON = "Given a coupon redeemed 200 times, when it is redeemed again, then the status is 409"


@pytest.mark.parametrize(("limit", "drift"), [("200", False), ("2000", True)])
def test_count_and_status_in_one_scenario(build, limit, drift):
    code = [
        f"MAX_COUPON_REDEMPTIONS = {limit}",
        "",
        "def redeem(coupon):",
        "    if coupon.redemptions >= MAX_COUPON_REDEMPTIONS:",
        "        return jsonify(error='exhausted'), 409",
    ]
    findings, _ = _review(build, [build.file("billing/coupons.py", code)], [COUPON])
    if drift:
        assert _rules(findings) == ["requirement-contradicted"]
        assert _where(findings[0]) == ("billing/coupons.py", 1)
    else:
        assert findings == []


# --- one-unit windows -----------------------------------------------------------------

SMS = "At most 10 SMS codes per phone number per day"


@pytest.mark.parametrize(("window", "drift"), [("days=1", False), ("hours=12", True)])
def test_per_day_window(build, window, drift):
    code = ["SMS_CODES_MAX = 10", f"SMS_WINDOW = timedelta({window})"]
    findings, _ = _review(build, [build.file("otp/sms_limits.py", code)], [SMS])
    if drift:
        assert _rules(findings) == ["requirement-contradicted"]
        assert _where(findings[0]) == ("otp/sms_limits.py", 2)
        assert "per day" in findings[0].message
    else:
        assert findings == []


# --- counted units --------------------------------------------------------------------

NAMES = "Display names must be at most 40 characters long"


@pytest.mark.parametrize(("length", "drift"), [("40", False), ("64", True)])
def test_character_count_is_checked_against_a_length_constant(build, length, drift):
    code = [f"export const MAX_DISPLAY_NAME_LENGTH = {length};"]
    findings, _ = _review(build, [build.file("web/profile/rules.ts", code)], [NAMES])
    if drift:
        assert _rules(findings) == ["requirement-contradicted"]
        assert "64" in findings[0].message
    else:
        assert findings == []


def test_another_count_about_the_same_subject_is_not_a_length(build):
    files = [
        build.file("web/profile/rules.ts", ["export const MAX_DISPLAY_NAME_LENGTH = 40;"]),
        build.file("web/profile/history.ts", ["export const DISPLAY_NAME_HISTORY = 5;"]),
    ]
    findings, _ = _review(build, files, [NAMES])
    assert findings == []


SYNC = "Failed syncs are retried up to 4 times"


@pytest.mark.parametrize(("retries", "drift"), [("4", False), ("6", True)])
def test_times_counts_the_retries_not_the_clock(build, retries, drift):
    code = [
        f"SYNC_MAX_RETRIES = {retries}",
        "SYNC_POLL = timedelta(minutes=6)",
        "SYNC_BATCH = 2 * time_unit",
    ]
    findings, _ = _review(build, [build.file("sync/policy.py", code)], [SYNC])
    if drift:
        assert _rules(findings) == ["requirement-contradicted"]
        assert _where(findings[0]) == ("sync/policy.py", 1)
    else:
        assert findings == []


WITHDRAWALS = "Block the card after 3 consecutive declined contactless payment attempts"


@pytest.mark.parametrize(("limit", "drift"), [("3", False), ("8", True)])
def test_the_counted_noun_may_follow_a_long_modifier_phrase(build, limit, drift):
    """`3 consecutive declined contactless payment attempts`: the head noun is the fifth
    word after the number."""
    code = [f"MAX_DECLINED_ATTEMPTS = {limit}", "CARD_REVIEW_QUEUE = 'risk'"]
    findings, _ = _review(build, [build.file("cards/blocking.py", code)], [WITHDRAWALS])
    if drift:
        assert _rules(findings) == ["requirement-contradicted"]
        assert _where(findings[0]) == ("cards/blocking.py", 1)
    else:
        assert findings == []


EXPORT = "When a user POSTs /exports, then the API responds with 202"


@pytest.mark.parametrize(("success", "drift"), [("202", False), ("200", True)])
def test_an_error_branch_does_not_contradict_the_success_status(build, success, drift):
    code = [
        "router.post('/exports', async (req, res) => {",
        "  if (!valid(req.body)) return res.status(400).json({ error: 'invalid' });",
        f"  return res.status({success}).json({{ id: await enqueue(req.body) }});",
        "});",
    ]
    findings, _ = _review(build, [build.file("src/exports.ts", code)], [EXPORT])
    if drift:
        assert _rules(findings) == ["requirement-contradicted"]
        assert _where(findings[0]) == ("src/exports.ts", 3)
    else:
        assert findings == []


CAP = "`batch_size` defaults to 50 and is capped at 200"


@pytest.mark.parametrize(
    ("line", "drift"),
    [
        ("MAX_BATCH_SIZE = 200", False),
        ("MAX_BATCH_SIZE = 1000", True),
        ("MAX_UPLOAD_KB = 1000", False),  # a bound, but not of the criterion's subject
    ],
)
def test_a_capped_value_meets_the_code_word_for_its_bound(build, line, drift):
    code = ["DEFAULT_BATCH_SIZE = 50", line]
    findings, _ = _review(build, [build.file("jobs/batching.py", code)], [CAP])
    if drift:
        assert _rules(findings) == ["requirement-contradicted"]
        assert _where(findings[0]) == ("jobs/batching.py", 2)
    else:
        assert findings == []


def test_stems_undouble_the_final_consonant_of_past_forms():
    from analysis.detectors.requirement_terms import stem

    assert [stem(w) for w in ("capped", "stopping", "called", "passed")] == [
        "cap",
        "stop",
        "call",
        "pass",
    ]
