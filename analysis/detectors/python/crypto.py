"""Cryptography misuse: weak hashes (and fast hashes of passwords), broken ciphers, ECB,
constant IVs/nonces, short keys, `random` for secrets, JWTs decoded without verification
or with the `none` algorithm."""

from __future__ import annotations

import ast
import re

from analysis.detectors.python.callsite import CallSite, Reporter
from analysis.detectors.python.values import Value

_PASSWORD = re.compile(r"(?i)passw|pwd|passphrase")
_SECRET_NAME = re.compile(
    r"(?i)token|passw|pwd|secret|otp|nonce|salt|api_?key|session_?id|csrf|reset_?code|"
    r"verification_?code|auth_?code|activation|one_?time|invite_?code|pin_?code|"
    r"invit(?:e|ation)|verif(?:y|ication)|reset_?(?:code|key|link|id|pin|hash)|"
    r"session_?(?:key|secret)|mfa|totp|magic_?link|"
    r"(?:^|_)(?:confirm(?:ation)?|sms|email|login|signup|recovery|backup|unlock|pairing"
    r"|access|promo|coupon|voucher|referral)_?codes?$|^codes?$"
)
_WEAK_HASHES = {"md5", "sha1", "md4", "md2", "sha"}
_WEAK_CIPHERS = frozenset(
    {"DES", "DES3", "TripleDES", "ARC4", "ARC2", "Blowfish", "IDEA", "CAST5", "SEED", "XOR", "RC4"}
)
_CIPHER_MODULES = (
    "Crypto.Cipher.",
    "Cryptodome.Cipher.",
    "cryptography.hazmat.primitives.ciphers.algorithms.",
)
_IV_MODES = frozenset({"CBC", "CFB", "OFB", "CTR", "GCM", "CFB8"})
_MIN_KEY_BITS = 2048
_RANDOM_FUNCTIONS = frozenset(
    {
        "random.random",
        "random.randint",
        "random.randrange",
        "random.choice",
        "random.choices",
        "random.sample",
        "random.getrandbits",
        "random.uniform",
        "random.shuffle",
        "random.randbytes",
        "numpy.random.randint",
        "numpy.random.choice",
    }
)


def check_crypto(site: CallSite, out: Reporter) -> None:
    _hash(site, out)
    _cipher(site, out)
    _key_size(site, out)
    _jwt(site, out)


def random_call(node: ast.AST, qualname: object) -> ast.Call | None:
    """The first `random.*` call inside `node` (token generation with a non-crypto PRNG)."""
    for child in ast.walk(node):
        if isinstance(child, ast.Call) and qualname(child.func) in _RANDOM_FUNCTIONS:  # type: ignore[operator]
            return child
    return None


def is_secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(name))


def _hash(site: CallSite, out: Reporter) -> None:
    name = site.name
    algorithm = ""
    if name in ("hashlib.md5", "hashlib.sha1"):
        algorithm = name.rsplit(".", 1)[-1]
    elif name == "hashlib.new":
        found = site.arg(0, "name")
        literal = found[1].literal if found is not None else None
        if isinstance(literal, str) and literal.lower() in _WEAK_HASHES:
            algorithm = literal.lower()
    elif re.match(r"(?:Crypto|Cryptodome)\.Hash\.(MD5|SHA1|MD4|MD2|SHA)\.new$", name):
        algorithm = name.split(".")[2].lower()
    elif name.startswith("cryptography.hazmat.primitives.hashes.") and site.short in (
        "MD5",
        "SHA1",
    ):
        algorithm = site.short.lower()
    if not algorithm:
        return
    flag = site.keyword("usedforsecurity")
    if isinstance(flag, ast.Constant) and flag.value is False:
        return
    hashed = ast.unparse(site.node.args[0]) if site.node.args else ""
    if _PASSWORD.search(hashed):
        out.report("weak-password-hash", site.node, 0.85, f"{algorithm} of {hashed[:40]}")
    else:
        out.report("weak-hash", site.node, 0.6, f"{algorithm} digest")


def _cipher(site: CallSite, out: Reporter) -> None:
    name = site.name
    if name.startswith(_CIPHER_MODULES):
        algorithm = name.split(".")[-2] if name.endswith(".new") else site.short
        if algorithm in _WEAK_CIPHERS:
            out.report("weak-cipher", site.node, 0.85, f"{algorithm} cipher")
    if name.endswith(".new") and name.startswith(("Crypto.Cipher.", "Cryptodome.Cipher.")):
        mode = site.node.args[1] if len(site.node.args) > 1 else site.keyword("mode")
        mode_name = ast.unparse(mode).rsplit(".", 1)[-1] if mode is not None else ""
        if mode_name == "MODE_ECB":
            out.report("ecb-mode", site.node, 0.85, f"{name}(..., MODE_ECB)")
        iv = site.arg(2, "iv") or site.arg(-1, "nonce")
        if iv is not None and _is_fixed(iv[1]):
            out.report("static-iv", site.node, 0.8, f"constant IV/nonce {ast.unparse(iv[0])[:30]}")
    if name.startswith("cryptography.hazmat.primitives.ciphers.modes."):
        if site.short == "ECB":
            out.report("ecb-mode", site.node, 0.85, "modes.ECB()")
        elif site.short in _IV_MODES:
            iv = site.arg(0, "initialization_vector") or site.arg(0, "nonce")
            if iv is not None and _is_fixed(iv[1]):
                out.report(
                    "static-iv", site.node, 0.8, f"modes.{site.short}() with a constant IV/nonce"
                )


def _is_fixed(value: Value) -> bool:
    return value.constant and isinstance(value.literal, bytes | str)


def _key_size(site: CallSite, out: Reporter) -> None:
    name = site.name
    found = None
    if name.endswith(("rsa.generate_private_key", "dsa.generate_private_key")):
        found = site.arg(1, "key_size") if "rsa." in name else site.arg(0, "key_size")
    elif name in (
        "Crypto.PublicKey.RSA.generate",
        "Crypto.PublicKey.DSA.generate",
        "Cryptodome.PublicKey.RSA.generate",
    ):
        found = site.arg(0, "bits")
    elif name == "rsa.newkeys":
        found = site.arg(0, "nbits")
    if found is None:
        return
    bits = found[1].literal
    if isinstance(bits, int) and not isinstance(bits, bool) and bits < _MIN_KEY_BITS:
        out.report("weak-key-size", site.node, 0.85, f"{bits}-bit key from {site.short}()")


def _jwt(site: CallSite, out: Reporter) -> None:
    if not (
        site.name.startswith(("jwt.", "jose.jwt.", "jose.")) and site.short in ("decode", "encode")
    ):
        return
    options = site.keyword("options")
    if site.short == "decode" and isinstance(options, ast.Dict):
        for key, value in zip(options.keys, options.values, strict=True):
            if (
                isinstance(key, ast.Constant)
                and key.value == "verify_signature"
                and _is_false(value)
            ):
                out.report(
                    "jwt-verification-disabled",
                    site.node,
                    0.9,
                    'options={"verify_signature": False}',
                )
    if site.short == "decode" and _is_false(site.keyword("verify")):
        out.report("jwt-verification-disabled", site.node, 0.9, "jwt.decode(..., verify=False)")
    algorithms = site.keyword("algorithms") or site.keyword("algorithm")
    if algorithms is not None and any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.lower() == "none"
        for n in ast.walk(algorithms)
    ):
        out.report("jwt-none-algorithm", site.node, 0.9, f"{site.short}() accepts alg 'none'")


def _is_false(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False
