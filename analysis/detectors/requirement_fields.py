"""A criterion's field renamed where the code builds a response body.

A ticket that names a field (`expiresAt`) is about the externally visible key. Code may
well hold the value in a variable of that name and still send it under another spelling
(`{ expires_at: expiresAt.toISOString() }`): the name the client sees then differs from
the ticket. Only such a rename inside a response is reported; other spellings of the
same name (a snake_case DB column, an internal variable) are legitimate conventions.
"""

from __future__ import annotations

import re

from analysis.detectors.requirement_evidence import CodeIndex, Contradiction
from analysis.detectors.requirement_names import field_key_variant, names_identifier, used_as_key
from analysis.detectors.requirement_wire import serialised_rename

#: calls and statements that hand a body to the client, across the web frameworks Warden
#: reviews (Express/Fastify/Next, Flask/FastAPI/Django, Spring, Go, Koa)
_RESPONSE = re.compile(
    r"\.json\(|\bjsonify\(|\bJSONResponse\(|\bJsonResponse\(|\bResponse\.json\(|\.send\(|"
    r"\bResponseEntity\b|\.JSON\(|\.Encode\(|\bctx\.body\s*=|\breturn\b"
)
#: how many lines a response call may open before the key (a multi-line object literal)
_LOOK_BACK = 4
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def renamed_field(wanted: str, index: CodeIndex) -> Contradiction | None:
    """A response key spelled differently from `wanted` whose value is `wanted` itself:
    the code has the ticket's name and chose another one for the client."""
    for item in index.statements():
        variant = field_key_variant(wanted, item.text)
        if variant is None or used_as_key(wanted, item.text):
            continue
        value_side = item.text.split(variant, 1)[1]
        if not names_identifier(wanted, value_side):
            continue
        if not _in_response(index, item.path, item.line):
            continue
        return Contradiction(item, f"the field `{wanted}`", f"`{variant}`", True)
    return None


def _in_response(index: CodeIndex, path: str, line: int) -> bool:
    """The line, or the statement it continues (up to a blank line or a `;`), sends a
    body to the client."""
    view = index.view(path)
    for number in range(line, max(0, line - _LOOK_BACK - 1), -1):
        text = view.line_text(number)
        if number != line and (not text.strip() or text.rstrip().endswith(";")):
            return False
        if _RESPONSE.search(text):
            return True
    return False


def serialised_field(
    wanted: str, siblings: frozenset[str], index: CodeIndex, ticket_text: str
) -> Contradiction | None:
    """An added record field serialised under a shortened or extended spelling of
    `wanted` (see `requirement_wire`). Surer when the code holds the value under the
    ticket's name (`Progress: exp.ProgressPct` for `progress_pct`)."""
    found = serialised_rename(
        wanted, siblings, index.wire_names, index.string_literals, ticket_text
    )
    if found is None:
        return None
    item = next(
        (i for i in index.statements() if i.path == found.path and i.line == found.line), None
    )
    if item is None:
        return None
    target = _squashed(wanted)
    holds = any(
        _squashed(token) == target
        for line in index.statements()
        for token in _IDENTIFIER.findall(line.text)
    )
    return Contradiction(item, f"the field `{wanted}`", f"`{found.name}`", holds)


def _squashed(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()
