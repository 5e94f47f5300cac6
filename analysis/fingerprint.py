"""Finding fingerprints that survive line shifts.

A fingerprint hashes what a finding is about, never where it currently sits: the rule, the
file, the offending line's normalised content (whitespace collapsed, secrets masked) and
which occurrence of that identical line it is. Moving code down keeps the fingerprint;
changing the line changes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.masking import mask_secrets_in_text
from warden.records import sha256_hex

FINGERPRINT_VERSION = "fp1"
_WHITESPACE = re.compile(r"\s+")
#: a trailing suppression comment: adding one must not change what the line is about
_SUPPRESSION_COMMENT = re.compile(r"\s*(?:#|//|/\*|--|<!--)?\s*warden-ignore\[.*$")


def normalise_content(text: str) -> str:
    """Whitespace collapsed, secrets masked, suppression comment dropped."""
    text = _SUPPRESSION_COMMENT.sub("", mask_secrets_in_text(text))
    return _WHITESPACE.sub(" ", text).strip()


def occurrence_index(lines: Sequence[str], index: int) -> int:
    """How many lines before `lines[index]` have the same normalised content."""
    target = normalise_content(lines[index])
    return sum(1 for line in lines[:index] if normalise_content(line) == target)


def compute_fingerprint(
    rule_id: str, file_path: str | None, content: str, occurrence: int = 0
) -> str:
    """sha256 of (rule, path, normalised content, occurrence index)."""
    return sha256_hex(
        FINGERPRINT_VERSION, rule_id, file_path or "", normalise_content(content), str(occurrence)
    )
