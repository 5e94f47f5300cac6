"""MD5/SHA-1 used to sign or authenticate is a forgeable MAC (medium); as a content
fingerprint it stays a low-severity note or nothing."""

from __future__ import annotations

import pytest

from analysis.policy import ReviewPolicy, is_reportable
from tests.analysis.security.review import review
from warden.records import Severity


@pytest.mark.parametrize(
    "code",
    [
        [
            "import hashlib",
            "def link_signature(path: str, expires: int, api_secret: str) -> str:",
            '    return hashlib.md5(f"{api_secret}{path}{expires}".encode()).hexdigest()',
        ],
        [
            "import hashlib",
            "def sign_webhook(body: bytes, key: bytes) -> str:",
            "    return hashlib.sha1(body + key).hexdigest()",
        ],
        [
            "import hashlib",
            "def partner_mac(payload: bytes, signing_key: bytes) -> str:",
            '    return hashlib.new("md5", signing_key + payload).hexdigest()',
        ],
    ],
)
def test_python_weak_digest_that_signs_is_medium_and_reported(build, code):
    [finding] = [f for f in review(build, "svc/links.py", code) if f.rule_id == "weak-hash"]
    assert finding.severity == Severity.medium
    assert finding.start_line == 3
    assert "forgeable" in finding.message
    assert is_reportable(finding, ReviewPolicy())


@pytest.mark.parametrize(
    "code",
    [
        [
            "import hashlib",
            "def etag_for(content: bytes) -> str:",
            "    return hashlib.md5(content).hexdigest()",
        ],
        [
            "import hashlib",
            "def cache_key(secret_name: str) -> str:",  # a name, used as a cache key
            "    return hashlib.md5(secret_name.encode()).hexdigest()",
        ],
        [
            "import hashlib",
            "def sign_up_bucket(user_id: str) -> str:",  # names content: a shard bucket
            "    return hashlib.sha1(user_id.encode()).hexdigest()",
        ],
    ],
)
def test_python_weak_digest_of_content_is_not_escalated(build, code):
    findings = [f for f in review(build, "svc/keys.py", code) if f.rule_id == "weak-hash"]
    assert all(f.severity == Severity.low for f in findings)
    assert not any(is_reportable(f, ReviewPolicy()) for f in findings)


def test_go_secret_prefixed_md5_is_medium_and_an_etag_is_quiet(build):
    signed = [
        "package cdn",
        'import ("crypto/md5"; "encoding/hex")',
        "func SignPath(path string, secret string) string {",
        "\tsum := md5.Sum([]byte(secret + path))",
        "\treturn hex.EncodeToString(sum[:])",
        "}",
    ]
    [finding] = [f for f in review(build, "cdn/sign.go", signed) if f.rule_id == "weak-hash"]
    assert (finding.severity, finding.start_line) == (Severity.medium, 4)
    etag = [
        "package cdn",
        'import ("crypto/md5"; "fmt")',
        "func ETag(body []byte) string {",
        '\treturn fmt.Sprintf("%x", md5.Sum(body))',
        "}",
    ]
    assert [f for f in review(build, "cdn/etag.go", etag) if f.rule_id == "weak-hash"] == []
