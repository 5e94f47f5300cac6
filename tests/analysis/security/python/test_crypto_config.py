"""Crypto, transport, JWT, CORS, debug, temp files, permissions, literal credentials."""

import pytest

from tests.analysis.security.python.scanning import scan

PRELUDE = """
import hashlib, os, random, secrets, ssl, tempfile, ftplib, requests, jwt, smtplib
from Crypto.Cipher import AES, DES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.asymmetric import rsa
"""

POSITIVES = [
    ("weak-hash", "digest = hashlib.md5(data).hexdigest()"),
    ("weak-password-hash", "stored = hashlib.sha1(password.encode()).hexdigest()"),
    ("weak-cipher", "cipher = DES.new(key, DES.MODE_CBC, iv)"),
    ("weak-cipher", "cipher = Cipher(algorithms.TripleDES(key), modes.CBC(iv))"),
    ("ecb-mode", "cipher = AES.new(key, AES.MODE_ECB)"),
    ("ecb-mode", "cipher = Cipher(algorithms.AES(key), modes.ECB())"),
    ("static-iv", 'cipher = AES.new(key, AES.MODE_CBC, b"0000000000000000")'),
    ("static-iv", "cipher = Cipher(algorithms.AES(key), modes.CBC(bytes(16)))"),
    ("weak-key-size", "key = rsa.generate_private_key(public_exponent=65537, key_size=1024)"),
    ("insecure-randomness", 'reset_token = "".join(random.choices("abcdef0123456789", k=32))'),
    ("insecure-randomness", "otp = random.randint(100000, 999999)"),
    ("tls-verification-disabled", 'requests.get("https://internal", verify=False)'),
    ("tls-verification-disabled", "context = ssl._create_unverified_context()"),
    (
        "cleartext-transport",
        'requests.get("http://api.partner.com/v1/data", headers={"Authorization": token})',
    ),
    ("cleartext-transport", 'session = ftplib.FTP("files.partner.com")'),
    ("hardcoded-credential", 'server.login("alerts@example.org", "Winter2024!")'),
    ("hardcoded-credential", 'requests.get("https://api.partner.com", auth=("admin", "admin123"))'),
    (
        "jwt-verification-disabled",
        'claims = jwt.decode(token, options={"verify_signature": False})',
    ),
    ("jwt-none-algorithm", 'claims = jwt.decode(token, key, algorithms=["HS256", "none"])'),
    ("permissive-cors", 'headers = {"Access-Control-Allow-Origin": "*"}'),
    ("debug-mode-enabled", "app.run(debug=True)"),
    ("insecure-temp-file", "name = tempfile.mktemp()"),
    ("insecure-temp-file", 'handle = open("/tmp/report.csv", "w")'),
    ("insecure-permissions", 'os.chmod("/srv/app/data", 0o777)'),
    ("insecure-permissions", "os.makedirs(target, mode=0o766)"),
]

NEAR_MISSES = [
    "digest = hashlib.sha256(data).hexdigest()",
    "etag = hashlib.md5(body, usedforsecurity=False).hexdigest()",
    "cipher = AES.new(key, AES.MODE_GCM, nonce=os.urandom(12))",
    "cipher = Cipher(algorithms.AES(key), modes.CBC(os.urandom(16)))",
    "key = rsa.generate_private_key(public_exponent=65537, key_size=3072)",
    "reset_token = secrets.token_urlsafe(32)",
    "jitter = random.uniform(0, 1.5)",
    "sample = random.choice(colours)",
    'requests.get("https://internal", verify="/etc/ssl/internal-ca.pem")',
    'requests.get("http://localhost:8080/health", headers={"Authorization": token})',
    'requests.get("http://mirror.example.org/pkg.tar.gz")',
    'server.login(user, os.environ["SMTP_PASSWORD"])',
    'claims = jwt.decode(token, key, algorithms=["RS256"])',
    'headers = {"Access-Control-Allow-Origin": "https://app.example.com"}',
    "app.run(debug=False)",
    "handle = tempfile.NamedTemporaryFile(delete=False)",
    'handle = open("/tmp/report.csv")',
    'os.chmod("/srv/app/run.sh", 0o755)',
]


@pytest.mark.parametrize(
    ("rule_id", "line"), POSITIVES, ids=[f"{r}:{c[:40]}" for r, c in POSITIVES]
)
def test_true_positive(build, rule_id, line):
    source = (
        PRELUDE + f"def handler(data, password, key, iv, token, server, target, app):\n    {line}\n"
    )
    hits = scan(build, source)
    assert rule_id in {h.rule_id for h in hits}, hits
    assert all(h.line == len(PRELUDE.strip("\n").splitlines()) + 2 for h in hits)


@pytest.mark.parametrize("line", NEAR_MISSES)
def test_near_miss_is_quiet(build, line):
    source = (
        PRELUDE
        + f"def handler(data, password, key, colours, token, server, user, body):\n    {line}\n"
    )
    assert scan(build, source) == []


def test_constant_iv_through_a_module_variable(build):
    source = (
        PRELUDE
        + 'IV = b"\\x00" * 16\n\n'
        + "def seal(key, data):\n    return AES.new(key, AES.MODE_CBC, IV).encrypt(data)\n"
    )
    assert [h.rule_id for h in scan(build, source)] == ["static-iv"]


def test_django_debug_settings(build):
    hits = scan(build, "DEBUG = True\nSESSION_COOKIE_HTTPONLY = False\n", path="proj/settings.py")
    assert [(h.rule_id, h.line) for h in hits] == [
        ("debug-mode-enabled", 1),
        ("insecure-cookie", 2),
    ]


def test_token_returned_by_a_secret_named_function(build):
    source = "import random\n\ndef make_api_key():\n    return '%030x' % random.getrandbits(120)\n"
    assert [(h.rule_id, h.line) for h in scan(build, source)] == [("insecure-randomness", 4)]


def test_keyword_password_literal_is_left_to_the_secrets_detector(build):
    # a strong-looking literal is reported by the secrets reviewer; no duplicate here
    source = 'import psycopg2\nconn = psycopg2.connect(host="db", password="pR0d-Secr3t-9f8e")\n'
    assert scan(build, source) == []
    weak = 'import psycopg2\nconn = psycopg2.connect(host="db", password="admin")\n'
    assert [h.rule_id for h in scan(build, weak)] == ["hardcoded-credential"]
