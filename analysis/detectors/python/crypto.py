"""Cryptography misuse: broken ciphers, ECB, short keys, `random` for secrets, JWTs decoded
without verification or with the `none` algorithm; hashes (`hashing`) and constant IVs /
nonces (`nonces`) are checked from here too."""

from __future__ import annotations

import ast
import re

from analysis.detectors.python.callsite import CallSite, Reporter
from analysis.detectors.python.hashing import check_hash
from analysis.detectors.python.nonces import check_nonce

_SECRET_NAME = re.compile(
    r"(?i)token|passw|pwd|secret|otp|nonce|salt|api_?key|session_?id|csrf|reset_?code|"
    r"verification_?code|auth_?code|activation|one_?time|invite_?code|pin_?code|"
    r"invit(?:e|ation)|verif(?:y|ication)|reset_?(?:code|key|link|id|pin|hash)|"
    r"session_?(?:key|secret)|mfa|totp|magic_?link|"
    r"(?:^|_)(?:confirm(?:ation)?|sms|email|login|signup|recovery|backup|unlock|pairing"
    r"|access|promo|coupon|voucher|referral)_?codes?$|^codes?$"
)
_WEAK_CIPHERS = frozenset(
    {
        "DES",
        "DES3",
        "TripleDES",
        "ARC4",
        "ARC2",
        "RC2",
        "RC4",
        "Blowfish",
        "IDEA",
        "CAST",
        "CAST5",
        "SEED",
        "XOR",
    }
)
_PYCRYPTODOME = ("Crypto.Cipher.", "Cryptodome.Cipher.")
_CRYPTOGRAPHY_MODES = "cryptography.hazmat.primitives.ciphers.modes."
_OTHER_WEAK_CIPHERS = {
    "pyDes.des": "DES",
    "pyDes.triple_des": "TripleDES",
    "blowfish.Cipher": "Blowfish",
}
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
    check_hash(site, out)
    _cipher(site, out)
    check_nonce(site, out)
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


def _cipher(site: CallSite, out: Reporter) -> None:
    algorithm = weak_cipher(site.name)
    if algorithm:
        out.report("weak-cipher", site.node, 0.85, f"{algorithm} cipher")
    if site.name.endswith(".new") and site.name.startswith(_PYCRYPTODOME):
        mode = site.node.args[1] if len(site.node.args) > 1 else site.keyword("mode")
        mode_name = ast.unparse(mode).rsplit(".", 1)[-1] if mode is not None else ""
        if mode_name == "MODE_ECB":
            out.report("ecb-mode", site.node, 0.85, f"{site.name}(..., MODE_ECB)")
    if site.name == _CRYPTOGRAPHY_MODES + "ECB":
        out.report("ecb-mode", site.node, 0.85, "modes.ECB()")


def weak_cipher(name: str) -> str:
    """The broken cipher a call constructs: PyCryptodome `DES.new`, cryptography's
    `algorithms.TripleDES(...)` (also from `hazmat.decrepit`), pyDes, blowfish."""
    if name in _OTHER_WEAK_CIPHERS:
        return _OTHER_WEAK_CIPHERS[name]
    parts = name.split(".")
    if name.startswith(_PYCRYPTODOME) and len(parts) == 4 and parts[3] == "new":
        return parts[2] if parts[2] in _WEAK_CIPHERS else ""
    if name.startswith("cryptography.hazmat.") and len(parts) >= 3 and parts[-2] == "algorithms":
        return parts[-1] if parts[-1] in _WEAK_CIPHERS else ""
    return ""


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
