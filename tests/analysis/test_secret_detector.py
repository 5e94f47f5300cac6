"""Secrets: known formats found, placeholders ignored, raw values never leave the detector.

Token-shaped values are assembled at runtime so this file itself holds no secret-shaped
literal for scanners to trip on.
"""

import pytest

from analysis.composer import compose_review_comment
from analysis.detectors.secrets import SecretsReviewer, mask_secret
from analysis.engine import review_pull_request
from analysis.policy import ReviewPolicy

AWS_ID = "AKIA" + "ZX7Q3LMN8PRT2VWB"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "Q9ZL4MNX7P"
GITHUB = "gh" + "p_" + "Zq8Lr2Vx9Tb4Nc6Md1Kf3Hs7Jw5Pe0Ya2RuXy"
GITHUB_FINE = "github" + "_pat_" + "11ABCDEFG0" + "Zq8Lr2Vx9Tb4Nc6Md1Kf3Hs7Jw5Pe0Ya2RuXy9Lk"
GITLAB = "gl" + "pat-" + "Xk2Lm9Qr7Tz4Wb8Nc1Vd"
SLACK = "xo" + "xb-" + "2841937465-9283746501-AbCdEfGhIjKlMnOp"
STRIPE = "sk" + "_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
JWT = (
    "eyJhbGciOiJIUzI1NiJ9"
    + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0"
    + ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
)
DB_PASSWORD = "Sup3rS3cretPw"
ENTROPY_KEY = "q8Zr2Lx9Tb4Nc6Md1Kf3Hs7Jw5Pe0Ya"

RAW_SECRETS = [
    AWS_ID,
    AWS_SECRET,
    GITHUB,
    GITHUB_FINE,
    GITLAB,
    SLACK,
    STRIPE,
    JWT,
    DB_PASSWORD,
    ENTROPY_KEY,
]


@pytest.mark.parametrize(
    ("line", "rule_id"),
    [
        (f'AWS_ACCESS_KEY_ID = "{AWS_ID}"', "secret-aws-access-key-id"),
        (f'aws_secret_access_key = "{AWS_SECRET}"', "secret-aws-secret-access-key"),
        (f'TOKEN = "{GITHUB}"', "secret-github-token"),
        (f"const t = '{GITHUB_FINE}';", "secret-github-token"),
        (f"GITLAB={GITLAB}", "secret-gitlab-token"),
        (f'slack: "{SLACK}"', "secret-slack-token"),
        (f"stripe.api_key = '{STRIPE}'", "secret-stripe-live-key"),
        ("-----BEGIN RSA PRIVATE KEY-----", "secret-private-key"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "secret-private-key"),
        (f'headers = {{"Authorization": "Bearer {JWT}"}}', "secret-jwt"),
        (f'DATABASE_URL = "postgres://app:{DB_PASSWORD}@db:5432/app"', "secret-url-password"),
        (f'api_key = "{ENTROPY_KEY}"', "secret-hardcoded-assignment"),
        (f'db_password = "{DB_PASSWORD}"', "secret-hardcoded-assignment"),
    ],
)
def test_known_formats_and_secret_assignments_are_found(build, line, rule_id):
    context = build.context([build.file("config/settings.py", ["import os", line])])
    findings = SecretsReviewer().review(context, [])
    assert rule_id in {finding.rule_id for finding in findings}
    finding = next(f for f in findings if f.rule_id == rule_id)
    assert (finding.file_path, finding.start_line, finding.cwe) == (
        "config/settings.py",
        2,
        "CWE-798",
    )


@pytest.mark.parametrize(
    "line",
    [
        'password = "changeme"',
        'api_key = "<your-api-key>"',
        'token = "${GITHUB_TOKEN}"',
        'secret = "{{ vault_secret }}"',
        'password = os.environ["DB_PASSWORD"]',
        "token = process.env.GITHUB_TOKEN",
        'DATABASE_URL = "postgres://app:${DB_PASSWORD}@db/app"',
        'DATABASE_URL = "postgres://app:<password>@db/app"',
        'credential_ref = "env:GITHUB_TOKEN"',
        'password_field = "password_confirmation"',
        'token_type = "bearer"',
        'secret_key = "xxxxxxxxxxxxxxxxxxxxxxxx"',
        'AWS_KEY = "AKIA_PLACEHOLDER"',
        "password = get_password()",
    ],
)
def test_placeholders_references_and_lookups_are_not_secrets(build, line):
    context = build.context([build.file("config/settings.py", [line])])
    assert SecretsReviewer().review(context, []) == []


def test_secret_only_on_a_removed_line_is_not_reported(build):
    before = ["import os", f'TOKEN = "{GITHUB}"']
    after = ["import os", 'TOKEN = os.environ["TOKEN"]']
    context = build.context([build.file("app.py", after, before)])
    assert SecretsReviewer().review(context, []) == []


def test_mask_secret_keeps_at_most_four_characters_each_side():
    assert mask_secret("AKIAIOSFODNN7EXAMPLE") == "AKIA************MPLE"
    assert mask_secret("abcdefghij") == "ab******ij"
    assert mask_secret("abcd") == "****"
    long_value = GITHUB
    masked = mask_secret(long_value)
    assert len(masked) == len(long_value)
    assert masked[:4] == long_value[:4] and masked[-4:] == long_value[-4:]
    assert masked.count("*") == len(long_value) - 8


def test_no_raw_secret_in_any_finding_field_or_the_comment(build):
    lines = [
        f'AWS_ACCESS_KEY_ID = "{AWS_ID}"',
        f'aws_secret_access_key = "{AWS_SECRET}"',
        f'GH = "{GITHUB}"  # also verify=False below',
        f'FINE = "{GITHUB_FINE}"',
        f'GL = "{GITLAB}"',
        f'SLACK = "{SLACK}"',
        f'STRIPE = "{STRIPE}"',
        f'JWT = "{JWT}"',
        f'URL = "mysql://root:{DB_PASSWORD}@localhost/db"',
        f'api_key = "{ENTROPY_KEY}"',
        f'requests.get(URL, verify=False, headers={{"token": "{ENTROPY_KEY}"}})',
    ]
    context = build.context([build.file("app/keys.py", lines)])
    outcome = review_pull_request(context, ReviewPolicy(max_comments=100), run_id="run-1")
    assert len(outcome.findings) >= 10
    comment = compose_review_comment(context.pull_request, outcome, None)
    assert comment is not None
    dumped = [finding.model_dump_json() for finding in outcome.findings] + [comment.body]
    for secret in RAW_SECRETS:
        assert not any(secret in text for text in dumped), secret
    assert "AKIA" in comment.body and "*" in comment.body  # masked, still recognisable


def test_fingerprint_of_a_secret_finding_does_not_depend_on_hidden_characters(build):
    """Two keys sharing their visible ends and length get the same masked fingerprint input,
    which proves the raw middle never reaches the hash."""
    twin = GITHUB[:4] + GITHUB[4:-4][::-1] + GITHUB[-4:]
    first = SecretsReviewer().review(build.context([build.file("a.py", [f'T = "{GITHUB}"'])]), [])
    second = SecretsReviewer().review(build.context([build.file("a.py", [f'T = "{twin}"'])]), [])
    assert first[0].fingerprint == second[0].fingerprint


def test_generic_assignment_in_a_test_file_is_less_confident(build):
    line = f'api_key = "{ENTROPY_KEY}"'
    prod = SecretsReviewer().review(build.context([build.file("app/client.py", [line])]), [])
    test = SecretsReviewer().review(build.context([build.file("tests/test_client.py", [line])]), [])
    assert test[0].confidence < prod[0].confidence


def test_unquoted_values_count_in_env_files_but_not_in_code(build):
    env = build.context([build.file("deploy/.env", [f"DB_PASSWORD={DB_PASSWORD}"])])
    code = build.context([build.file("app/db.py", ["db_password = load_password_from_vault"])])
    assert [f.rule_id for f in SecretsReviewer().review(env, [])] == ["secret-hardcoded-assignment"]
    assert SecretsReviewer().review(code, []) == []


@pytest.mark.parametrize("path", ["deploy/values.yaml", "k8s/secret.yml", "infra/main.tf"])
def test_unquoted_values_count_in_config_files(build, path):
    context = build.context([build.file(path, [f"db_password: {DB_PASSWORD}"])])
    assert [f.rule_id for f in SecretsReviewer().review(context, [])] == [
        "secret-hardcoded-assignment"
    ]


def test_every_token_format_passes_the_masking_prefilter():
    from analysis.secret_formats import TOKEN_FORMATS, may_contain_token

    samples = {
        "secret-aws-access-key-id": "AKIA" + "Q" * 16,
        "secret-aws-secret-access-key": "aws_secret = '" + "a/B+" * 10 + "'",
        "secret-github-token": "ghp_" + "a" * 36,
        "secret-gitlab-token": "glpat-" + "x" * 20,
        "secret-slack-token": "xoxb-" + "1" * 10,
        "secret-stripe-live-key": "sk_live_" + "9" * 16,
        "secret-jwt": "eyJ" + "a" * 8 + ".eyJ" + "b" * 8 + "." + "c" * 8,
        "secret-url-password": "postgres://app:pw@db",
        "secret-private-key": "-----BEGIN RSA PRIVATE KEY-----",
    }
    for token_format in TOKEN_FORMATS:
        sample = samples[token_format.rule_id]
        assert token_format.pattern.search(sample), token_format.rule_id
        assert may_contain_token(sample), token_format.rule_id
    assert not may_contain_token("    return total + tax  # nothing secret here")


def test_assignment_prefilter_never_skips_a_line_the_pattern_matches():
    from analysis.secret_formats import SECRET_ASSIGNMENT, may_contain_secret_assignment

    value = "q8Zt3LmV9wXr2Kp7"
    names = [
        "secret",
        "API_KEY",
        "apikey",
        "Api-Key",
        "private_key",
        "ACCESS-KEY",
        "authKey",
        "client_secret",
        "credentials",
        "Passwd",
        "db_password",
        "PWD",
        "refreshToken",
        "\u017fecret",  # long s: IGNORECASE matches it to "s"
        "api_\u212aey",  # Kelvin sign: IGNORECASE matches it to "k"
    ]
    for name in names:
        for line in (f'{name} = "{value}"', f"{name}: {value}", f'"{name}" => "{value}"'):
            assert SECRET_ASSIGNMENT.search(line), line
            assert may_contain_secret_assignment(line), line
    assert not may_contain_secret_assignment("    return total + tax  # nothing to see")


def test_a_quoted_secret_with_comment_and_separator_characters_is_one_value(build):
    from analysis.masking import mask_secrets_in_text

    value = "W9v!tQ3#kLz7;pR2,mXe"
    for line in (f'admin_password = "{value}"', f"db_password: '{value}'"):
        masked = mask_secrets_in_text(line)
        assert value not in masked and "#kLz7" not in masked, masked
        context = build.context([build.file("infra/db.tf", [line])])
        [finding] = SecretsReviewer().review(context, [])
        assert finding.rule_id == "secret-hardcoded-assignment"
        assert value not in finding.model_dump_json()
    # unquoted, `#` still starts a comment and `,` still separates
    assert mask_secrets_in_text("API_KEY=q8Zt3LmV9wXr2Kp7 # rotate yearly").endswith(
        "# rotate yearly"
    )
