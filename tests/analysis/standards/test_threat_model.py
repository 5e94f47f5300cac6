import pytest

from analysis.detectors.standards import StandardsReviewer
from analysis.detectors.threat_model import classify, parse_controls
from warden.records import Finding

CONTROLS = """- Uploads are size limited to 10 MB
- Tokens are never logged
- All SQL uses bound parameters
- Passwords are hashed with bcrypt
- TLS certificates are always verified
- Admins review access quarterly"""


def _threat(build):
    return build.document(
        "Threat model",
        [("Overview", "overview", "Attackers."), ("Controls", "controls", CONTROLS)],
        kind="threat_model",
    )


def _review(build, files, hints=()):
    context = build.context(files, documents=[_threat(build)])
    return StandardsReviewer().review(context, list(hints))


def test_controls_are_parsed_and_classified(build):
    controls = parse_controls([_threat(build)])
    assert [c.kind for c in controls] == [
        "upload-size-limit",
        "no-sensitive-logging",
        "sql-bound-parameters",
        "password-hashing",
        "tls-verification",
        None,
    ]
    assert controls[1].fields == frozenset({"token"})
    assert controls[0].citation == "Threat model#controls"
    assert classify("Sessions rotate daily") == (None, frozenset())


def test_controls_of_other_document_kinds_are_ignored(build):
    doc = build.document("Design", [("Controls", "controls", CONTROLS)], kind="design")
    assert parse_controls([doc]) == []


@pytest.mark.parametrize(
    ("path", "code", "rule"),
    [
        (
            "api/upload.py",
            ["def upload():", "    f = request.files['doc']", "    f.save(path)"],
            "threat-model:upload-size-limit",
        ),
        (
            "api/auth.py",
            ["def refresh(t):", "    logger.info('new token %s', t.refresh_token)"],
            "threat-model:no-sensitive-logging",
        ),
        (
            "api/search.py",
            ["def find(name):", "    q = f\"SELECT * FROM users WHERE name = '{name}'\""],
            "threat-model:sql-bound-parameters",
        ),
        (
            "api/users.py",
            ["def store(password):", "    digest = hashlib.md5(password.encode()).hexdigest()"],
            "threat-model:password-hashing",
        ),
        (
            "api/client.py",
            ["def fetch(url):", "    return requests.get(url, verify=False)"],
            "threat-model:tls-verification",
        ),
    ],
)
def test_weakened_controls_are_reported_citing_the_section(build, path, code, rule):
    findings = _review(build, [build.file(path, code)])
    assert [(f.rule_id, f.start_line) for f in findings] == [(rule, 2)]
    assert findings[0].evidence_source == "Threat model#controls"
    assert "\u201c" in findings[0].message and findings[0].category == "standards"


@pytest.mark.parametrize(
    ("path", "code"),
    [
        (
            "api/upload.py",
            [
                "MAX_UPLOAD_BYTES = 10_000_000",
                "def upload():",
                "    f = request.files['doc']",
                "    if f.content_length > MAX_UPLOAD_BYTES:",
                "        abort(413)",
            ],
        ),
        (
            "api/auth.py",
            ["def refresh(t):", "    logger.info('token refreshed for %s', t.user_id)"],
        ),
        (
            "api/search.py",
            ["def find(c, n):", "    c.execute('SELECT * FROM u WHERE n = %s', (n,))"],
        ),
        ("api/users.py", ["def store(password):", "    return bcrypt.hashpw(password, salt)"]),
        ("api/etag.py", ["def etag(body):", "    return hashlib.md5(body).hexdigest()"]),
        ("api/client.py", ["def fetch(url):", "    return requests.get(url, timeout=5)"]),
    ],
)
def test_respected_controls_stay_quiet(build, path, code):
    assert _review(build, [build.file(path, code)]) == []


def test_upload_is_not_judged_without_the_file_at_head(build):
    code = ["def upload():", "    f = request.files['doc']"]
    assert _review(build, [build.file("api/upload.py", code, with_content=False)]) == []


def test_lines_a_security_rule_already_reported_are_left_to_it(build):
    code = ["def fetch(url):", "    return requests.get(url, verify=False)"]
    changed = build.file("api/client.py", code)
    hint = Finding(
        tenant_id="acme", run_id="r", pr_key=build.pr_key, repository=build.repository,
        number=build.number, head_sha="a" * 40, category="security",
        rule_id="tls-verification-disabled", severity="high", confidence=0.9,
        file_path="api/client.py", start_line=2, message="m", evidence="e", fingerprint="f",
    )  # fmt: skip
    assert _review(build, [changed], [hint]) == []


NEVER_LOGGED = """- Passwords, API keys and refresh tokens, in full or in part
- Card numbers or CVV codes
- Anything else the team decides later"""


def test_a_standard_listing_what_must_never_be_logged_is_enforced(build):
    standard = build.document(
        "Logging standard",
        [("What must never be logged", "what-must-never-be-logged", NEVER_LOGGED)],
        kind="standard",
    )
    assert [sorted(c.fields) for c in parse_controls([standard])] == [
        ["api_key", "password", "token"],
        ["card_number", "cvv"],
    ]
    code = [
        "def rotate(user, grant):",
        "    log.info('rotated for %s', user.id)",
        "    log.debug('new refresh token %s', grant.refresh_token)",
    ]
    context = build.context([build.file("crm/rotate.py", code)], documents=[standard])
    findings = StandardsReviewer().review(context, [])
    assert [(f.rule_id, f.start_line) for f in findings] == [("standard:no-sensitive-logging", 3)]
    assert findings[0].message.startswith("Breaks the team standard")
    assert findings[0].evidence_source == "Logging standard#what-must-never-be-logged"
    elsewhere = build.document("Logging standard", [("Levels", "levels", NEVER_LOGGED)])
    assert parse_controls([elsewhere]) == []
