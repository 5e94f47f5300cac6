"""Java: a constant IV or nonce in `IvParameterSpec` / `GCMParameterSpec` is reported once,
at the encryption; per-message random IVs (filled buffers, slices of the message) and a
local that shadows a constant field stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines


def _cipher(*members: str) -> list[str]:
    return [
        "package app.crypto;",
        "",
        "public final class SessionBlob {",
        *members,
        "}",
    ]


def _rules(build, lines: list[str]) -> list[tuple[str, int]]:
    return rule_lines(review(build, "src/main/java/app/crypto/SessionBlob.java", lines))


SEAL_WITH_FIELD = [
    '    private static final byte[] NONCE = HexFormat.of().parseHex("000102030405060708090a0b");',
    "    byte[] seal(SecretKey key, byte[] plain) throws Exception {",
    '        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");',
    "        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, NONCE));",
    "        return c.doFinal(plain);",
    "    }",
]
OPEN_WITH_FIELD = [
    "    byte[] open(SecretKey key, byte[] sealed) throws Exception {",
    '        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");',
    "        GCMParameterSpec spec = new GCMParameterSpec(128, NONCE);",
    "        c.init(Cipher.DECRYPT_MODE, key, spec);",
    "        return c.doFinal(sealed);",
    "    }",
]


def test_constant_nonce_is_reported_at_encryption_only(build):
    assert _rules(build, _cipher(*SEAL_WITH_FIELD, *OPEN_WITH_FIELD)) == [("static-iv", 7)]


def test_decrypt_only_class_with_a_constant_iv_is_reported(build):
    code = _cipher(SEAL_WITH_FIELD[0], *OPEN_WITH_FIELD)
    assert _rules(build, code) == [("static-iv", 7)]


@pytest.mark.parametrize(
    "iv_lines",
    [
        ["        byte[] iv = new byte[16];", "        RANDOM.nextBytes(iv);"],
        ["        byte[] iv = new byte[16];", "        header.get(iv);"],
        ["        byte[] iv = Arrays.copyOfRange(header.array(), 0, 16);"],
    ],
)
def test_per_message_ivs_stay_quiet(build, iv_lines):
    code = _cipher(
        '    private static final byte[] iv = "not-the-real-iv!".getBytes();',
        "    byte[] apply(SecretKey key, ByteBuffer header, byte[] data, int mode) throws GSE {",
        *iv_lines,
        '        Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");',
        "        c.init(mode, key, new IvParameterSpec(iv));",
        "        return c.doFinal(data);",
        "    }",
    )
    assert _rules(build, code) == []


def test_zero_buffer_field_is_constant_unless_something_fills_it(build):
    spec = "        c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(ZERO_IV));"
    body = [
        "    private static final byte[] ZERO_IV = new byte[16];",
        "    byte[] wrap(SecretKey key, Cipher c, byte[] data) throws Exception {",
        spec,
        "        return c.doFinal(data);",
        "    }",
    ]
    assert _rules(build, _cipher(*body)) == [("static-iv", 6)]
    filled = _cipher(body[0], "    static { new SecureRandom().nextBytes(ZERO_IV); }", *body[1:])
    assert _rules(build, filled) == []


def test_spec_built_from_the_message_itself_stays_quiet(build):
    code = _cipher(
        "    byte[] open(SecretKey key, byte[] msg) throws Exception {",
        '        Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");',
        "        c.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(msg, 0, 16));",
        "        return c.doFinal(msg, 16, msg.length - 16);",
        "    }",
    )
    assert _rules(build, code) == []
