"""Go MD5 / SHA-1 by purpose: signing or authenticating with a broken hash is reported with
high confidence, a content fingerprint (ETag, cache key, checksum) is not reported, anything
else keeps the usual low-confidence weak-hash finding."""

import pytest

from tests.analysis.security.review import review

SIGNING_CONFIDENCE = 0.8
PLAIN_CONFIDENCE = 0.6


def _weak_hashes(build, code: list[str]) -> list[tuple[int, float]]:
    findings = review(build, "internal/auth/digest.go", ["package auth", "", *code])
    return [(f.start_line, f.confidence) for f in findings if f.rule_id == "weak-hash"]


SIGNING = [
    # a secret hashed in: a secret-prefix MAC over a webhook body
    [
        "func (h Hook) Digest(body []byte) string {",
        "\tsum := sha1.Sum(append([]byte(h.SharedSecret), body...))",
        "\treturn hex.EncodeToString(sum[:])",
        "}",
    ],
    # a hash object fed a signing key, then the payload
    [
        "func digest(signingKey string, payload []byte) []byte {",
        "\th := md5.New()",
        "\tio.WriteString(h, signingKey)",
        "\th.Write(payload)",
        "\treturn h.Sum(nil)",
        "}",
    ],
    # no secret visible, but the digest is what the function calls a signature
    [
        "func requestSignature(method, path, date string) string {",
        "\tsum := md5.Sum([]byte(method + path + date))",
        "\treturn base64.StdEncoding.EncodeToString(sum[:])",
        "}",
    ],
    # the digest becomes a session token
    [
        "func issue(userID string, now time.Time) string {",
        "\ttoken := sha1.Sum([]byte(userID + now.String()))",
        "\treturn hex.EncodeToString(token[:])",
        "}",
    ],
]


@pytest.mark.parametrize("code", SIGNING)
def test_broken_hash_used_to_sign_or_authenticate(build, code):
    assert _weak_hashes(build, code) == [(4, SIGNING_CONFIDENCE)]


def test_hmac_built_on_md5(build):
    code = [
        "func mac(key, msg []byte) []byte {",
        "\tm := hmac.New(md5.New, key)",
        "\tm.Write(msg)",
        "\treturn m.Sum(nil)",
        "}",
    ]
    assert _weak_hashes(build, code) == [(4, 0.7)]


FINGERPRINTS = [
    [
        "func (s *Server) avatar(w http.ResponseWriter, img []byte) {",
        "\tsum := md5.Sum(img)",
        '\tw.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)',
        "\tw.Write(img)",
        "}",
    ],
    [
        "func cacheKeyFor(query string, args []string) string {",
        "\tsum := sha1.Sum([]byte(query + strings.Join(args, ',')))",
        "\treturn hex.EncodeToString(sum[:])",
        "}",
    ],
    [
        "func verifyUpload(data []byte, expected string) bool {",
        "\tchecksum := md5.Sum(data)",
        "\treturn hex.EncodeToString(checksum[:]) == expected",
        "}",
    ],
]


@pytest.mark.parametrize("code", FINGERPRINTS)
def test_content_fingerprints_are_quiet(build, code):
    assert _weak_hashes(build, code) == []


def test_hmac_sha256_and_hmac_sha1_are_quiet(build):
    code = [
        "func sign(key, msg []byte) []byte {",
        "\tm := hmac.New(sha256.New, key)",
        "\tm.Write(msg)",
        "\treturn m.Sum(nil)",
        "}",
        "func totp(key, counter []byte) []byte {",
        "\tm := hmac.New(sha1.New, key)",  # RFC 6238 HMAC-SHA1: not a broken MAC
        "\tm.Write(counter)",
        "\treturn m.Sum(nil)",
        "}",
    ]
    assert _weak_hashes(build, code) == []


def test_unexplained_digest_keeps_the_plain_finding(build):
    code = [
        "func shortID(name string) string {",
        "\tsum := md5.Sum([]byte(name))",
        "\treturn hex.EncodeToString(sum[:4])",
        "}",
    ]
    assert _weak_hashes(build, code) == [(4, PLAIN_CONFIDENCE)]


def test_password_digest_is_still_a_password_hash(build):
    code = [
        "func store(passwordCacheKey string) string {",
        "\tsum := md5.Sum([]byte(passwordCacheKey))",
        "\treturn hex.EncodeToString(sum[:])",
        "}",
    ]
    findings = review(build, "internal/auth/digest.go", ["package auth", "", *code])
    assert [(f.rule_id, f.start_line) for f in findings] == [("weak-password-hash", 4)]
