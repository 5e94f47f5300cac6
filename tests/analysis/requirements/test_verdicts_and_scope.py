from analysis.detectors.requirements import RequirementsReviewer
from analysis.engine import review_pull_request
from analysis.policy import ReviewPolicy


def _context(build, files, criteria, title="Lock accounts after repeated failed logins"):
    ticket = build.ticket("ENG-123", criteria, title=title)
    return build.context(files, tickets=[ticket])


def test_criterion_met_by_a_test_file(build):
    prod = ["def record(account):", "    if account.failures >= settings.limit:", "        lock()"]
    test = [
        "def test_account_is_locked_after_5_failed_login_attempts(client):",
        "    for _ in range(5):",
        "        client.login('a', 'bad')",
        "    assert client.account.locked",
    ]
    files = [build.file("auth/lockout.py", prod), build.file("tests/test_lockout.py", test)]
    context = _context(build, files, ["After 5 failed login attempts the account is locked"])
    reviewer = RequirementsReviewer()
    assert reviewer.review(context, []) == []
    [verdict] = reviewer.verdicts(context)
    assert verdict.verdict == "met"
    assert verdict.evidence[0] == "tests/test_lockout.py:1"


def test_criterion_without_change_or_test_is_not_met(build):
    context = _context(build, [build.file("auth/x.py", ["x = 1"])], ["Admins can unlock accounts"])
    reviewer = RequirementsReviewer()
    assert [f.rule_id for f in reviewer.review(context, [])] == ["requirement-not-evidenced"]
    assert [v.verdict for v in reviewer.verdicts(context)] == ["not_met"]


def test_checked_criterion_without_evidence_needs_a_human(build):
    context = _context(build, [build.file("auth/x.py", ["x = 1"])], ["- [x] Admins can unlock"])
    reviewer = RequirementsReviewer()
    assert reviewer.review(context, []) == []
    assert [v.verdict for v in reviewer.verdicts(context)] == ["needs_human"]


def test_verdicts_are_computed_once_per_context_and_reach_the_outcome(build):
    files = [build.file("auth/lockout.py", ["MAX_ATTEMPTS = 5", "LOCKOUT_SECONDS = 900"])]
    context = _context(build, files, ["After 5 failed login attempts the account is locked"])
    reviewer = RequirementsReviewer()
    first = reviewer.verdicts(context)
    assert reviewer.analyse(context) is reviewer.analyse(context)
    assert reviewer.verdicts(context) == first
    outcome = review_pull_request(context, ReviewPolicy(), run_id="r")
    assert [(v.ticket_key, v.verdict) for v in outcome.criteria] == [("ENG-123", "met")]
    assert "auth/lockout.py:1" in outcome.criteria[0].evidence


def test_gwt_scenario_is_judged_as_one_criterion(build):
    criteria = [
        "Given a locked account",
        "When the user logs in with the right password",
        "Then the response is HTTP 423",
    ]
    code = ["def login(account):", "    if account.locked:", "        return error(), 429"]
    context = _context(build, [build.file("auth/views.py", code)], criteria)
    reviewer = RequirementsReviewer()
    [verdict] = reviewer.verdicts(context)
    assert verdict.criterion.startswith("Given a locked account, when")
    assert verdict.verdict == "not_met"
    assert [f.rule_id for f in reviewer.review(context, [])] == ["requirement-contradicted"]


def test_scope_creep_lists_unrelated_files_but_not_support_files(build):
    files = [
        build.file("auth/lockout.py", ["MAX_ATTEMPTS = 5", "LOCKOUT_SECONDS = 900"]),
        build.file("tests/auth/test_lockout.py", ["def test_x():", "    assert True"]),
        build.file("pyproject.toml", ["[tool.x]"]),
        build.file("billing/invoice_pdf.py", ["def render_invoice(inv):", "    return pdf(inv)"]),
    ]
    context = _context(build, files, ["After 5 failed login attempts the account is locked"])
    findings = RequirementsReviewer().review(context, [])
    creep = [f for f in findings if f.rule_id == "scope-creep"]
    assert len(creep) == 1
    assert creep[0].severity == "low"
    assert "billing/invoice_pdf.py" in creep[0].message
    assert "test_lockout" not in creep[0].message and "pyproject" not in creep[0].message


def test_no_scope_creep_when_every_file_relates(build):
    files = [build.file("auth/lockout.py", ["MAX_ATTEMPTS = 5"])]
    context = _context(build, files, ["After 5 failed login attempts the account is locked"])
    assert all(f.rule_id != "scope-creep" for f in RequirementsReviewer().review(context, []))


def test_unlinked_pr_finding_follows_policy_through_the_engine(build):
    context = build.context([build.file("a.py", ["x = 1"])])
    quiet = review_pull_request(context, ReviewPolicy(), run_id="r")
    assert all(f.rule_id != "missing-linked-ticket" for f in quiet.findings)
    strict = review_pull_request(context, ReviewPolicy(require_linked_ticket=True), run_id="r")
    assert [f.rule_id for f in strict.reportable] == ["missing-linked-ticket"]
    assert strict.criteria == []
