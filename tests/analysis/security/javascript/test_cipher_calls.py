"""node:crypto ciphers: ECB mode and a constant IV are reported on the call that encrypts
(its decipher only mirrors it), also through `const` names whose line the detail gives; a
broken algorithm is reported at every use; a decipher alone is still evidence."""

from tests.analysis.security.review import review, rule_lines

ECB_PAIR = [
    "import { createCipheriv, createDecipheriv } from 'node:crypto';",
    "export function hide(key: Buffer, text: string) {",
    "  const c = createCipheriv('aes-128-ecb', key, null);",
    "  return Buffer.concat([c.update(text, 'utf8'), c.final()]);",
    "}",
    "export function show(key: Buffer, data: Buffer) {",
    "  const d = createDecipheriv('aes-128-ecb', key, null);",
    "  return Buffer.concat([d.update(data), d.final()]).toString('utf8');",
    "}",
]
FIXED_IV = [
    "const crypto = require('crypto');",
    "const IV = Buffer.from('00112233445566778899aabbccddeeff', 'hex');",
    "function wrap(key, text) {",
    "  const d = crypto.createDecipheriv('aes-256-cbc', key, IV);",
    "  const c = crypto.createCipheriv('aes-256-cbc', key, IV);",
    "  return Buffer.concat([c.update(text), c.final()]);",
    "}",
]


def test_ecb_is_reported_on_the_encrypting_call_only(build):
    assert rule_lines(review(build, "src/fields.ts", ECB_PAIR)) == [("ecb-mode", 3)]


def test_constant_iv_is_reported_on_the_cipher_with_the_constants_line(build):
    findings = review(build, "src/wrap.js", FIXED_IV)
    assert rule_lines(findings) == [("static-iv", 5)]
    assert "the constant IV declared on line 2" in findings[0].message


def test_a_decipher_alone_is_still_reported(build):
    code = [
        "const crypto = require('crypto');",
        "function legacy(key, data) {",
        "  return crypto.createDecipheriv('aes-256-ecb', key, null).update(data);",
        "}",
    ]
    assert rule_lines(review(build, "src/legacy.js", code)) == [("ecb-mode", 3)]


def test_a_decipher_with_another_iv_than_the_cipher_is_reported(build):
    code = [
        "const crypto = require('crypto');",
        "function roundTrip(key, text) {",
        "  const c = crypto.createCipheriv('aes-256-gcm', key, crypto.randomBytes(12));",
        "  const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.alloc(12, 0));",
        "  return [c, d];",
        "}",
    ]
    assert rule_lines(review(build, "src/round.js", code)) == [("static-iv", 4)]


def test_ecb_through_a_const_name_lands_on_the_call(build):
    code = [
        "import crypto from 'node:crypto';",
        "const ALGORITHM = 'aes-192-ecb';",
        "export const seal = (key: Buffer, v: string) =>",
        "  crypto.createCipheriv(ALGORITHM, key, null).update(v, 'utf8', 'hex');",
    ]
    findings = review(build, "src/seal.ts", code)
    assert rule_lines(findings) == [("ecb-mode", 4)]
    assert "ALGORITHM, line 2" in findings[0].message


def test_a_let_algorithm_or_a_safe_mode_stays_quiet(build):
    reassigned = [
        "const crypto = require('crypto');",
        "let algorithm = 'aes-256-ecb';",
        "algorithm = process.env.CIPHER;",
        "const c = crypto.createCipheriv(algorithm, key, iv);",
    ]
    gcm = [
        "const crypto = require('crypto');",
        "const ALGORITHM = 'aes-256-gcm';",
        "const c = crypto.createCipheriv(ALGORITHM, key, crypto.randomBytes(12));",
        "const d = crypto.createDecipheriv(ALGORITHM, key, payload.subarray(0, 12));",
    ]
    assert rule_lines(review(build, "src/a.js", reassigned)) == []
    assert rule_lines(review(build, "src/b.js", gcm)) == []


def test_a_broken_algorithm_is_reported_at_every_use(build):
    code = [
        "const crypto = require('crypto');",
        "const c = crypto.createCipheriv('des-ede3-cbc', key, crypto.randomBytes(8));",
        "const d = crypto.createDecipheriv('des-ede3-cbc', key, iv);",
    ]
    assert rule_lines(review(build, "src/des.js", code)) == [("weak-cipher", 2), ("weak-cipher", 3)]
