"""HMAC-SHA256 webhook signatures (`sha256=<hex>`), compared in constant time."""

from __future__ import annotations

import hashlib
import hmac

SHA256_PREFIX = "sha256="


def sign_sha256(secret: bytes, body: bytes) -> str:
    """The header value a sender computes: `sha256=` + lowercase hex HMAC-SHA256 of `body`."""
    return SHA256_PREFIX + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify_sha256(secret: bytes, body: bytes, header: str | None) -> bool:
    """True if `header` is the signature of `body` under `secret` (constant-time compare)."""
    if not header or not secret:
        return False
    expected = sign_sha256(secret, body).encode("ascii")
    received = header.strip().encode("utf-8", errors="replace")
    return hmac.compare_digest(expected, received)
