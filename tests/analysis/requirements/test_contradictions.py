import pytest

from analysis.detectors.requirements import RequirementsReviewer

LOCKOUT = "After 5 failed login attempts the account is locked for 15 minutes"


def _run(build, files, criteria):
    ticket = build.ticket("ENG-9", criteria, title="Account lockout")
    context = build.context(files, tickets=[ticket])
    reviewer = RequirementsReviewer()
    return reviewer.review(context, []), reviewer.verdicts(context)


@pytest.mark.parametrize(
    "window",
    ["LOCKOUT_SECONDS = 900", "LOCKOUT_MS = 15 * 60 * 1000", "LOCKOUT = timedelta(minutes=15)"],
)
def test_time_window_in_any_unit_meets_the_criterion(build, window):
    code = ["MAX_ATTEMPTS = 5", window]
    findings, [verdict] = _run(build, [build.file("auth/lockout.py", code)], [LOCKOUT])
    assert findings == []
    assert verdict.verdict == "met"
    assert "auth/lockout.py:2" in verdict.evidence


@pytest.mark.parametrize(
    "window", ["LOCKOUT_SECONDS = 1800", "LOCKOUT = timedelta(minutes=30)", "LOCKOUT_WINDOW = 30"]
)
def test_different_time_window_is_a_contradiction_citing_both_sides(build, window):
    code = ["MAX_ATTEMPTS = 5", window]
    findings, [verdict] = _run(build, [build.file("auth/lockout.py", code)], [LOCKOUT])
    assert [f.rule_id for f in findings] == ["requirement-contradicted"]
    finding = findings[0]
    assert (finding.file_path, finding.start_line) == ("auth/lockout.py", 2)
    assert "15 minutes" in finding.message
    assert LOCKOUT in finding.evidence and window in finding.evidence
    assert verdict.verdict == "not_met" and verdict.evidence[0].startswith("auth/lockout.py:2")


def test_unit_less_window_is_less_confident_than_a_stated_unit(build):
    stated, _ = _run(build, [build.file("a/lock.py", ["LOCKOUT_SECONDS = 1800"])], [LOCKOUT])
    guessed, _ = _run(build, [build.file("a/lock.py", ["LOCKOUT_WINDOW = 45"])], [LOCKOUT])
    assert stated[0].confidence > guessed[0].confidence >= 0.5


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("auth/views.py", "        return jsonify(error='locked'), 429"),
        ("auth/views.go", "        w.WriteHeader(http.StatusTooManyRequests)"),
        (
            "auth/Views.java",
            "        throw new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS);",
        ),
    ],
)
def test_status_code_mismatch_across_languages(build, path, line):
    code = ["def login(account):", "    if account.locked:", line]
    findings, _ = _run(build, [build.file(path, code)], ["A locked account returns HTTP 423"])
    assert [(f.rule_id, f.start_line) for f in findings] == [("requirement-contradicted", 3)]
    assert "423" in findings[0].message


def test_status_by_name_meets_the_criterion(build):
    code = ["def login(account):", "    if account.locked:", "        abort(HTTPStatus.LOCKED)"]
    findings, [verdict] = _run(
        build, [build.file("auth/views.py", code)], ["A locked account returns HTTP 423"]
    )
    assert findings == [] and verdict.verdict == "met"


def test_endpoint_mismatch_and_router_prefix(build):
    criterion = "Clients log in with POST `/api/v1/login`"
    wrong = ["@app.post('/login')", "def login():", "    return do_login()"]
    findings, _ = _run(build, [build.file("auth/routes.py", wrong)], [criterion])
    assert [f.rule_id for f in findings] == ["requirement-contradicted"]
    assert "/api/v1/login" in findings[0].message and "/login" in findings[0].evidence
    prefixed = ["router = APIRouter(prefix='/api/v1')", "@router.post('/login')", "def login():"]
    findings, [verdict] = _run(build, [build.file("auth/routes.py", prefixed)], [criterion])
    assert findings == [] and verdict.verdict == "met"


def test_field_name_mismatch(build):
    code = ["@app.post('/login')", "def login():", "    name = request.json['username']"]
    findings, _ = _run(
        build, [build.file("auth/routes.py", code)], ["Users log in with their `email`"]
    )
    assert [f.rule_id for f in findings] == ["requirement-contradicted"]
    assert "email" in findings[0].message and "username" in findings[0].message


def test_field_also_named_by_the_ticket_is_not_a_substitute(build):
    code = [
        "def login():",
        "    secret = request.json['password']",
        "    who = request.json['email']",
    ]
    findings, _ = _run(
        build,
        [build.file("auth/routes.py", code)],
        ["Users log in with their `email` and password"],
    )
    assert findings == []


@pytest.mark.parametrize(
    ("limit", "contradicted"),
    [("MAX_UPLOAD_BYTES = 5_000_000", True), ("MAX_UPLOAD_BYTES = 10 * 1024 * 1024", False)],
)
def test_size_limits_compare_in_bytes(build, limit, contradicted):
    code = [
        limit,
        "def upload(f):",
        "    if f.size > MAX_UPLOAD_BYTES:",
        "        raise TooLarge()",
    ]
    findings, _ = _run(
        build, [build.file("uploads/handler.py", code)], ["Uploads larger than 10 MB are rejected"]
    )
    assert bool(findings) is contradicted


def test_off_by_one_comparison_is_not_a_contradiction(build):
    code = ["def check(account):", "    return account.failed_attempts > 4"]
    findings, _ = _run(
        build, [build.file("auth/lockout.py", code)], ["After 5 failed attempts the account locks"]
    )
    assert [f.rule_id for f in findings] != ["requirement-contradicted"]
