"""Drift vs clean for routes, field spellings, expiry wording and comments; one finding
per criterion; the scope-creep finding sits on an unrelated file."""

import pytest

from analysis.detectors.requirements import RequirementsReviewer


def _review(build, files, criteria, title="Reporting"):
    ticket = build.ticket("RPT-31", criteria, title=title)
    context = build.context(files, tickets=[ticket])
    reviewer = RequirementsReviewer()
    return reviewer.review(context, []), reviewer.verdicts(context)


def _rules(findings):
    return [finding.rule_id for finding in findings]


# --- routes ---------------------------------------------------------------------------

SUMMARY = "`GET /api/v2/reports/summary` returns the totals for the month"


def _routes(*paths: str) -> list[str]:
    lines = ["const router = require('express').Router();"]
    lines += [f"router.get('{path}', totals);" for path in paths]
    return lines


def test_route_spelled_with_one_segment_changed_contradicts(build):
    file = build.file("api/reports.js", _routes("/api/v2/reports/summaries"))
    findings, [verdict] = _review(build, [file], [SUMMARY])
    assert _rules(findings) == ["requirement-contradicted"]
    assert (findings[0].file_path, findings[0].start_line) == ("api/reports.js", 2)
    assert verdict.verdict == "not_met"


def test_route_with_another_api_version_contradicts(build):
    findings, _ = _review(
        build, [build.file("api/r.js", _routes("/api/v1/reports/summary"))], [SUMMARY]
    )
    assert _rules(findings) == ["requirement-contradicted"]


def test_sibling_routes_are_not_misspellings(build):
    file = build.file(
        "api/reports.js", _routes("/api/v2/reports/details", "/api/v2/exports/summary2")
    )
    findings, _ = _review(build, [file], [SUMMARY])
    assert "requirement-contradicted" not in _rules(findings)


def test_exact_route_next_to_siblings_stays_quiet(build):
    file = build.file(
        "api/reports.js", _routes("/api/v2/reports/details", "/api/v2/reports/summary")
    )
    findings, _ = _review(build, [file], [SUMMARY])
    assert findings == []


# --- field spellings ------------------------------------------------------------------

DELIVERY = "The webhook payload includes `delivery_id` and `event_type`"


@pytest.mark.parametrize(
    "line",
    [
        "    payload = {'deliveryId': delivery.id, 'event_type': delivery.kind}",
        "    payload = dict(deliveryId=delivery.id, event_type=delivery.kind)",
    ],
)
def test_field_spelled_another_way_as_a_key_contradicts(build, line):
    code = ["def webhook_payload(delivery):", line, "    return payload"]
    findings, [verdict] = _review(build, [build.file("hooks/payload.py", code)], [DELIVERY])
    assert _rules(findings) == ["requirement-contradicted"]
    assert findings[0].start_line == 2
    assert "deliveryId" in findings[0].message and "delivery_id" in findings[0].message
    assert verdict.verdict == "not_met"


def test_local_variable_in_another_spelling_is_not_a_field(build):
    code = [
        "function webhookPayload(delivery) {",
        "  const deliveryId = delivery.id;",
        "  return { delivery_id: deliveryId, event_type: delivery.kind };",
        "}",
    ]
    findings, _ = _review(build, [build.file("hooks/payload.js", code)], [DELIVERY])
    assert findings == []


# --- expiry wording and comments ------------------------------------------------------

INVITES = "Invitations expire after 7 days"


@pytest.mark.parametrize(("days", "drift"), [("7", False), ("3", True)])
def test_expiry_is_a_ttl_in_code(build, days, drift):
    code = [f"export const TOKEN_TTL_MS = {days} * 24 * 60 * 60 * 1000;"]
    findings, _ = _review(build, [build.file("src/invites/config.ts", code)], [INVITES])
    if drift:
        assert _rules(findings) == ["requirement-contradicted"]
    else:
        assert findings == []


def test_a_commented_out_value_does_not_contradict(build):
    code = [
        "# SYNC_MAX_RETRIES = 9 was too aggressive for the vendor",
        "def sync_retries(job):",
        "    return job.retries",
    ]
    findings, _ = _review(build, [build.file("sync/policy.py", code)], ["At most 4 sync retries"])
    assert "requirement-contradicted" not in _rules(findings)


# --- one finding per criterion --------------------------------------------------------


def test_a_contradicted_criterion_yields_exactly_one_finding(build):
    criterion = "A frozen card gets HTTP 423 for 30 minutes"
    code = [
        "FROZEN_CARD_SECONDS = 600",
        "",
        "def card_status(card) -> int:",
        "    if card.frozen:",
        "        return 403",
        "    return 200",
    ]
    findings, [verdict] = _review(build, [build.file("cards/freeze.py", code)], [criterion])
    assert _rules(findings) == ["requirement-contradicted"]
    assert verdict.verdict == "not_met"
    assert verdict.evidence and verdict.evidence[0].startswith("cards/freeze.py:")
    assert findings[0].start_line == int(verdict.evidence[0].split(":")[1])


# --- scope creep ----------------------------------------------------------------------


def test_scope_creep_points_at_the_first_unrelated_file(build):
    files = [
        build.file("api/reports.js", _routes("/api/v2/reports/summary")),
        build.file(
            "mailer/templates.py", ["GREETING = 'Hello'", "SIGNATURE = 'Team'"], ["GREETING = 'Hi'"]
        ),
    ]
    findings, _ = _review(build, files, [SUMMARY])
    [creep] = [f for f in findings if f.rule_id == "scope-creep"]
    assert creep.file_path == "mailer/templates.py"
    assert creep.start_line == 1
