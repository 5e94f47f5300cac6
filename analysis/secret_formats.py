"""What a secret looks like: known token formats, secret-ish names, placeholders, entropy.

Shared by the secrets detector (to find them) and by masking (to hide them everywhere a
finding is rendered or hashed). Pure data and predicates; no I/O.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from warden.records import Severity


@dataclass(frozen=True)
class TokenFormat:
    """A vendor credential format; `secret_group` is the regex group holding the secret."""

    rule_id: str
    label: str
    pattern: re.Pattern[str]
    severity: Severity
    secret_group: int = 0


TOKEN_FORMATS: tuple[TokenFormat, ...] = (
    TokenFormat(
        "secret-aws-access-key-id",
        "AWS access key id",
        re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b"),
        Severity.critical,
    ),
    TokenFormat(
        "secret-aws-secret-access-key",
        "AWS secret access key",
        re.compile(
            r"(?i)aws[A-Za-z0-9_.-]{0,20}(?:secret|sk)[A-Za-z0-9_.-]{0,20}['\"]?\s*[:=]{1,2}\s*"
            r"['\"]?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
        ),
        Severity.critical,
        secret_group=1,
    ),
    TokenFormat(
        "secret-github-token",
        "GitHub token",
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{40,255})\b"),
        Severity.critical,
    ),
    TokenFormat(
        "secret-gitlab-token",
        "GitLab token",
        re.compile(r"\bgl(?:pat|dt|rt|ptt|oas)-[A-Za-z0-9_-]{20,}"),
        Severity.critical,
    ),
    TokenFormat(
        "secret-slack-token",
        "Slack token",
        re.compile(r"\bxox[baprs]-[A-Za-z0-9-]{10,}"),
        Severity.high,
    ),
    TokenFormat(
        "secret-stripe-live-key",
        "Stripe live secret key",
        re.compile(r"\b(?:sk|rk)_live_[A-Za-z0-9]{16,}"),
        Severity.critical,
    ),
    TokenFormat(
        "secret-private-key",
        "private key",
        re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
        Severity.critical,
    ),
    TokenFormat(
        "secret-jwt",
        "JSON Web Token",
        re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
        Severity.high,
    ),
    TokenFormat(
        "secret-url-password",
        "password embedded in a URL or connection string",
        re.compile(
            r"\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\s:/@'\"`]+:([^\s@/'\"`]{1,200})@[^\s'\"`]"
        ),
        Severity.high,
        secret_group=1,
    ),
)

#: an assignment of a string literal to a secret-ish name (python, js, yaml, env, json)
SECRET_ASSIGNMENT = re.compile(
    r"(?i)(?P<name>[A-Za-z0-9_.-]*(?:secret|token|passw(?:or)?d|passwd|pwd|api[_-]?key|apikey"
    r"|private[_-]?key|access[_-]?key|auth[_-]?key|client[_-]?secret|credentials?)[A-Za-z0-9_.-]*)"
    r"['\"]?\s*(?::=|[:=]{1,2}|=>)\s*(?P<quote>['\"])?"
    # quoted: anything up to the closing quote but whitespace (`"W9v!tQ3#kLz7"` is one value);
    # unquoted: up to a separator or a comment
    r"(?P<value>(?(quote)[^'\"\s]{6,}|[^'\"\s,;#]{6,}))(?(quote)(?P=quote))"
)

_PASSWORD_NAME = re.compile(r"(?i)passw(?:or)?d|passwd|pwd")
_PLACEHOLDER_WORDS = re.compile(
    r"(?i)^(?:changeme|change[_-]?me|example|dummy|placeholder|redacted|secret|password|"
    r"passwd|token|test|testing|none|null|undefined|todo|fixme|xxx+|your[_-].*|my[_-].*|"
    r".*example.*|.*placeholder.*|.*changeme.*|.*dummy.*|fake.*|sample.*)$"
)
_PLACEHOLDER_SHAPES = (
    re.compile(r"^<[^>]*>$"),  # <your-token>
    re.compile(r"\$\{[^}]*\}"),  # ${TOKEN}
    re.compile(r"\{\{[^}]*\}\}"),  # {{ token }}
    re.compile(r"^\$[A-Za-z_][A-Za-z0-9_]*$"),  # $TOKEN
    re.compile(r"^%\(?[A-Za-z_]*\)?s$"),  # %s, %(pw)s
    re.compile(r"^\{[A-Za-z0-9_]*\}$"),  # {password}
    re.compile(r"^(?:env|file|vault|secret|arn|ssm|op|gcp|azure):", re.I),  # credential refs
    re.compile(r"^(.)\1+$"),  # ******** / xxxxxxxx
    re.compile(r"(?i)os\.environ|getenv|process\.env|settings\.|config\."),
)


def is_placeholder(value: str) -> bool:
    """True when `value` is obviously not a real secret (a placeholder, reference, template)."""
    stripped = value.strip().strip("'\"")
    if not stripped:
        return True
    if _PLACEHOLDER_WORDS.match(stripped):
        return True
    return any(shape.search(stripped) for shape in _PLACEHOLDER_SHAPES)


def shannon_entropy(value: str) -> float:
    """Bits per character of `value` (0 for the empty string)."""
    if not value:
        return 0.0
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def looks_like_identifier(value: str) -> bool:
    """A dotted/underscored name (`auth.token_header`), not a credential."""
    return bool(re.fullmatch(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*", value)) and (
        "_" in value or "." in value
    )


def assignment_secret_strength(name: str, value: str) -> float:
    """0 when a secret-ish assignment is not a plausible secret, else a confidence in (0, 1]."""
    if is_placeholder(value) or looks_like_identifier(value) or any(c in value for c in "()[]{}"):
        return 0.0
    entropy = shannon_entropy(value)
    if _PASSWORD_NAME.search(name):
        if len(value) < 6 or entropy < 2.5:
            return 0.0
        return 0.7 if entropy >= 3.0 else 0.55
    if len(value) < 16 or entropy < 3.5:
        return 0.0
    return 0.85 if entropy >= 4.0 else 0.65


#: every token format needs a long run of token characters, a URL with credentials or a key
#: header; a line with none of them can skip the format patterns (tested for every format)
_TOKEN_HINT = re.compile(r"[A-Za-z0-9_\-/+.]{14,}|://|PRIVATE KEY")


def may_contain_token(text: str) -> bool:
    """Cheap pre-check before running every token format over `text`."""
    return _TOKEN_HINT.search(text) is not None


#: every name SECRET_ASSIGNMENT accepts contains one of these (case-folded) substrings
_ASSIGNMENT_NAME_HINTS = ("secret", "token", "passw", "pwd", "key", "credential")


def may_contain_secret_assignment(text: str) -> bool:
    """Cheap pre-check before SECRET_ASSIGNMENT: substring tests instead of a regex scan.

    Non-ASCII text always passes (IGNORECASE also matches e.g. the long s and the Kelvin
    sign), so skipping a line that fails this test never loses a match."""
    if not text.isascii():
        return True
    lowered = text.lower()
    return any(hint in lowered for hint in _ASSIGNMENT_NAME_HINTS)
