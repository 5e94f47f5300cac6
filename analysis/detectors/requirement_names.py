"""Names a criterion states that code may spell differently: routes and field keys.

`same_route` says whether a code route is the criterion's endpoint with one segment spelled
differently (singular/plural, another API version) or mounted under another prefix (same
last segment). `field_key_variant` finds a criterion field used as a key in another
spelling (`exportId` for `export_id`); a local variable of that spelling is not a key.
"""

from __future__ import annotations

import re

from analysis.detectors.requirement_terms import stem, stems_overlap

_VERSION = re.compile(r"v\d+")
_PLURALS = (("ies", "y"), ("xes", "x"), ("ses", "s"), ("s", ""))
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*[A-Za-z0-9]")


def _segments(route: str) -> list[str]:
    return [part.lower() for part in route.strip("/").split("/") if part]


def singular(word: str) -> str:
    """`summaries` -> `summary`, `boxes` -> `box`, `exports` -> `export`."""
    for plural, single in _PLURALS:
        if word.endswith(plural) and len(word) > len(plural) + 2:
            return word[: -len(plural)] + single
    return word


def same_route(wanted: str, route: str) -> bool:
    """`/api/v1/exports` vs `/exports` (same last segment, another prefix), or the same
    route with exactly one segment spelled differently (`/api/v1/export`, `/api/v2/exports`)."""
    want, have = _segments(wanted), _segments(route)
    if not want or not have:
        return False
    if want[-1] == have[-1]:
        return True
    if len(want) != len(have):
        return False
    differing = [(a, b) for a, b in zip(want, have, strict=True) if a != b]
    if len(differing) != 1:
        return False
    left, right = differing[0]
    if _VERSION.fullmatch(left) and _VERSION.fullmatch(right):
        return True
    return singular(left) == singular(right) or stems_overlap(stem(left), stem(right))


def _normalised(name: str) -> str:
    return re.sub(r"[_\-]", "", name).lower()


def used_as_key(name: str, text: str) -> bool:
    """Quoted (`"exportId"`), an object/dict key (`exportId:`) or a keyword (`(exportId=`)."""
    word = re.escape(name)
    pattern = rf"[\"'`]{word}[\"'`]|(?<![\w.]){word}\s*:(?!:)|[,(]\s*{word}\s*=(?!=)"
    return re.search(pattern, text) is not None


def field_key_variant(wanted: str, text: str) -> str | None:
    """The spelling of `wanted` other than its own that `text` uses as a key, if any."""
    target = _normalised(wanted)
    for token in dict.fromkeys(_IDENTIFIER.findall(text)):
        if token != wanted and _normalised(token) == target and used_as_key(token, text):
            return token
    return None


def names_identifier(name: str, text: str) -> bool:
    """`text` uses the identifier `name` exactly (case-sensitive, whole word)."""
    return re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", text) is not None
