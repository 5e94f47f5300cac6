"""Credential references: Warden stores where a secret lives, never the secret itself.

A reference is `env:NAME` (an environment variable) or `file:/path` (a mounted secret file).
It is resolved at the moment of use; the value is wrapped in SecretStr so it never
appears in a repr, a log line or an exception message.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from pydantic import SecretStr

from warden.errors import SecretUnavailableError

SECRET_REF = re.compile(r"^(env:[A-Za-z_][A-Za-z0-9_]{0,127}|file:/[A-Za-z0-9_./-]{1,255})$")


def validate_secret_ref(ref: str) -> str:
    """Return `ref` if it is a reference (not a pasted secret), else raise ValueError."""
    if not SECRET_REF.fullmatch(ref):
        raise ValueError(
            "a credential must be given as a reference, 'env:VAR_NAME' or 'file:/path' "
            "(the value itself is never stored)"
        )
    return ref


def resolve_secret(ref: str, environ: Mapping[str, str] | None = None) -> SecretStr:
    """Resolve a reference to its value. Errors name the reference, never the value."""
    validate_secret_ref(ref)
    scheme, _, name = ref.partition(":")
    if scheme == "env":
        env = os.environ if environ is None else environ
        value = env.get(name)
        if not value:
            raise SecretUnavailableError(f"secret reference {ref!r} is not set")
        return SecretStr(value)
    path = Path(name)
    try:
        value = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SecretUnavailableError(f"secret reference {ref!r} cannot be read") from exc
    if not value:
        raise SecretUnavailableError(f"secret reference {ref!r} is empty")
    return SecretStr(value)
