"""Hide secrets before anything is rendered, stored or hashed.

`mask_secret` keeps at most four leading and trailing characters (fewer for short values)
so a reviewer can recognise *which* credential leaked without the value being reproduced.
`mask_secrets_in_text` applies it to every secret-looking span of a line.
"""

from __future__ import annotations

from functools import lru_cache

from analysis.secret_formats import (
    SECRET_ASSIGNMENT,
    TOKEN_FORMATS,
    assignment_secret_strength,
    is_placeholder,
    may_contain_secret_assignment,
    may_contain_token,
)

MASK_CHAR = "*"
_MAX_VISIBLE = 4


def mask_secret(value: str) -> str:
    """`AKIAIOSFODNN7EXAMPLE` -> `AKIA************MPLE`; short values are fully masked."""
    visible = min(_MAX_VISIBLE, len(value) // 5)
    if visible == 0:
        return MASK_CHAR * max(len(value), 1)
    hidden = len(value) - 2 * visible
    return value[:visible] + MASK_CHAR * hidden + value[-visible:]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _replace_spans(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in reversed(_merge(spans)):
        text = text[:start] + mask_secret(text[start:end]) + text[end:]
    return text


@lru_cache(maxsize=65_536)
def mask_secrets_in_text(text: str) -> str:
    """Mask every known token format and every plausible secret assignment in `text`.

    Cached: the same line is masked for its fingerprint, its evidence and its message."""
    spans: list[tuple[int, int]] = []
    for token_format in TOKEN_FORMATS if may_contain_token(text) else ():
        if token_format.rule_id == "secret-private-key":
            continue  # the header line itself is not secret
        for match in token_format.pattern.finditer(text):
            group = token_format.secret_group
            if group and is_placeholder(match.group(group)):
                continue
            spans.append(match.span(group))
    text = _replace_spans(text, spans)
    if not may_contain_secret_assignment(text):
        return text
    spans = [
        match.span("value")
        for match in SECRET_ASSIGNMENT.finditer(text)
        if assignment_secret_strength(match.group("name"), match.group("value")) > 0
    ]
    return _replace_spans(text, spans)
