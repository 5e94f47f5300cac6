"""Constant IVs and nonces: a literal (or environment-provided) value handed to a cipher as
its IV / nonce, so every message is encrypted under the same one.

Covers PyCryptodome `X.new(key, mode, iv)` / `nonce=`, cryptography's `modes.CBC(iv)` /
`modes.GCM(iv)` / `algorithms.ChaCha20(key, nonce)`, the AEAD classes
(`AESGCM(key).encrypt(nonce, data, aad)`, `ChaCha20Poly1305`, `AESCCM`, `AESOCB3`) and
PyNaCl boxes (`SecretBox(key).encrypt(message, nonce)`). Nonces from `os.urandom`,
`secrets.token_bytes` or a counter are not constant and stay quiet; AES-SIV and AES-GCM-SIV
are built to survive a repeated nonce and are not checked.
"""

from __future__ import annotations

import ast

from analysis.detectors.python.callsite import CallSite, Reporter
from analysis.detectors.python.values import Value

_AEAD = "cryptography.hazmat.primitives.ciphers.aead."
# constructors of cipher objects whose `encrypt` takes a nonce: name -> value shape
CIPHER_OBJECTS = {
    _AEAD + "AESGCM": "aead",
    _AEAD + "AESCCM": "aead",
    _AEAD + "ChaCha20Poly1305": "aead",
    _AEAD + "AESOCB3": "aead",
    "nacl.secret.SecretBox": "nacl-box",
    "nacl.secret.Aead": "nacl-box",
    "nacl.public.Box": "nacl-box",
}
_PYCRYPTODOME = ("Crypto.Cipher.", "Cryptodome.Cipher.")
_STREAM_CIPHERS = frozenset({"Salsa20", "ChaCha20", "ChaCha20_Poly1305"})
_MODES = "cryptography.hazmat.primitives.ciphers.modes."
_IV_MODES = frozenset({"CBC", "CFB", "OFB", "CTR", "GCM", "CFB8"})
_ENVIRONMENT = ("os.environ", "os.getenv")
_AEAD_ARITY = 3
_SURE = 0.8


def check_nonce(site: CallSite, out: Reporter) -> None:
    found = _nonce_argument(site)
    if found is None:
        return
    value, where, confidence = found
    guessed = confidence < _SURE
    if is_fixed(value) and not (guessed and not isinstance(value.literal, bytes)):
        out.report("static-iv", site.node, confidence, f"{where} with a constant IV/nonce")
    elif _from_environment(value):
        detail = f"{where} with an IV/nonce read from configuration (the same for every message)"
        out.report("static-iv", site.node, confidence - 0.1, detail)


def is_fixed(value: Value) -> bool:
    return value.constant and isinstance(value.literal, bytes | str)


def _nonce_argument(site: CallSite) -> tuple[Value, str, float] | None:
    """The nonce a call is given, what takes it, and how sure the call is a cipher."""
    found = _nonce_node(site)
    if found is None:
        return None
    (_, value), where, confidence = found
    return value, where, confidence


def _nonce_node(site: CallSite) -> tuple[tuple[ast.expr, Value], str, float] | None:
    name = site.name
    if name.startswith(_PYCRYPTODOME) and name.endswith(".new"):
        cipher = name.split(".")[2]
        if cipher in _STREAM_CIPHERS:
            found = site.arg(1, "nonce")
        else:
            found = site.arg(2, "iv") or site.arg(-1, "nonce")
        return (found, f"{cipher}.new()", 0.8) if found else None
    if name.startswith(_MODES) and site.short in _IV_MODES:
        found = site.arg(0, "initialization_vector") or site.arg(0, "nonce")
        return (found, f"modes.{site.short}()", 0.8) if found else None
    if name.startswith("cryptography.hazmat.") and name.endswith(".algorithms.ChaCha20"):
        found = site.arg(1, "nonce")
        return (found, "ChaCha20()", 0.8) if found else None
    if site.short != "encrypt" or site.receiver is None:
        return None
    shape = site.receiver.shape
    if shape == "aead":
        found = site.arg(0, "nonce")
        return (found, "AEAD encrypt()", 0.8) if found else None
    if shape == "nacl-box":
        found = site.arg(1, "nonce")
        return (found, "Box.encrypt()", 0.8) if found else None
    arity = len(site.node.args) + len(site.node.keywords)
    if not shape and arity == _AEAD_ARITY and site.imports_any("cryptography"):
        found = site.arg(0, "nonce")  # `self.aead.encrypt(nonce, data, aad)`
        return (found, "encrypt(nonce, data, aad)", 0.75) if found else None
    return None


def _from_environment(value: Value) -> bool:
    return bool(value.taints) and all(
        any(source in taint.label for source in _ENVIRONMENT) for taint in value.taints
    )
