"""Java: MD5 / SHA-1 used to sign or authenticate (a secret hashed in, the digest compared
with a signature, a signing method) is a forgeable MAC: medium and reported. As a content
fingerprint (ETag, checksum, cache key) it stays a low-severity, unreported note."""

import pytest

from analysis.policy import ReviewPolicy, is_reportable
from tests.analysis.security.review import review
from warden.records import Severity


def _service(*body: str) -> list[str]:
    return [
        "package app.links;",
        "",
        "import java.security.MessageDigest;",
        "",
        "public class LinkService {",
        "    private final String linkSecret;",
        *body,
        "}",
    ]


def _weak(build, code: list[str]):
    findings = review(build, "src/main/java/app/links/LinkService.java", code)
    return [f for f in findings if f.rule_id == "weak-hash"]


@pytest.mark.parametrize(
    "body",
    [
        [  # the secret fed into the digest object
            "    String downloadUrl(String path, long expires) throws Exception {",
            '        MessageDigest sha = MessageDigest.getInstance("SHA-1");',
            "        sha.update(linkSecret.getBytes());",
            "        sha.update((path + expires).getBytes());",
            '        return path + "?e=" + expires + "&h=" + Hex.encodeHexString(sha.digest());',
            "    }",
        ],
        [  # the digest compared with the signature the caller sent
            "    boolean accept(String payload, String providedSig) throws Exception {",
            '        MessageDigest md = MessageDigest.getInstance("MD5");',
            "        String computed = HexFormat.of().formatHex(md.digest(payload.getBytes()));",
            "        return MessageDigest.isEqual(computed.getBytes(), providedSig.getBytes());",
            "    }",
        ],
        [  # a signing method, digest via commons-codec
            "    String signCallback(String body) {",
            "        return DigestUtils.md5Hex(body + nonce);",
            "    }",
        ],
    ],
)
def test_weak_digest_that_signs_is_medium_and_reported(build, body):
    [finding] = _weak(build, _service(*body))
    assert finding.severity == Severity.medium
    assert finding.start_line == 8
    assert "forged" in finding.message
    assert is_reportable(finding, ReviewPolicy())


@pytest.mark.parametrize(
    "body",
    [
        [
            "    String etagFor(byte[] content) throws Exception {",
            '        byte[] sum = MessageDigest.getInstance("MD5").digest(content);',
            '        return "\\"" + HexFormat.of().formatHex(sum) + "\\"";',
            "    }",
        ],
        [  # a signature of the content, used as a cache key: a fingerprint
            "    String cacheKey(String signatureLine) throws Exception {",
            '        MessageDigest md = MessageDigest.getInstance("SHA-1");',
            "        return HexFormat.of().formatHex(md.digest(signatureLine.getBytes()));",
            "    }",
        ],
        [
            "    boolean sameUpload(byte[] data, String expectedChecksum) throws Exception {",
            '        MessageDigest md = MessageDigest.getInstance("MD5");',
            "        return HexFormat.of().formatHex(md.digest(data)).equals(expectedChecksum);",
            "    }",
        ],
    ],
)
def test_weak_digest_of_content_stays_low(build, body):
    [finding] = _weak(build, _service(*body))
    assert finding.severity == Severity.low
    assert not is_reportable(finding, ReviewPolicy())
