"""Whether a URL has a fixed origin (scheme and host), so request data can only choose the
path or query on a server the code picked: an outgoing request to it is not SSRF (CWE-918),
a redirect to it is not an open redirect (CWE-601).

The origin is fixed when the URL text starts with a literal `https://host/`, or with a value
that is not request data (a constant, a configured base such as `process.env.API_URL`)
followed by a literal beginning with `/`: `${BASE}/items/${id}`, `BASE + "/items/" + id`.
Without that slash the request data continues the host (`${BASE}${path}` with `@evil.test`)
and the origin is not fixed.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import TaintWalk

_LITERAL_ORIGIN = re.compile(r"""^[`'"]https?://[^/`'"$]+/""")
_ORIGIN_VALUE = re.compile(r"^https?://[^/]+/")
_PIECES = frozenset({"string_fragment", "escape_sequence"})


def fixed_origin(url: Node, walk: TaintWalk) -> bool:
    if _LITERAL_ORIGIN.match(text(url)):
        return True
    parts = _leading_parts(url)
    if len(parts) < 2:
        return False
    base, rest = walk.fact(parts[0]), parts[1]
    if base.source is not None:
        return False
    if base.constant and base.value is not None and _ORIGIN_VALUE.match(base.value):
        return True
    return _literal_text(rest).startswith("/")


def _leading_parts(url: Node) -> list[Node]:
    """The first two pieces of a template string or a `+` concatenation."""
    if url.type == "template_string":
        pieces: list[Node] = []
        for child in url.named_children:
            if child.type == "template_substitution":
                inner = [c for c in child.named_children if c.type != "comment"]
                if inner:
                    pieces.append(inner[0])
            elif child.type in _PIECES and not (pieces and pieces[-1].type in _PIECES):
                pieces.append(child)
        return pieces[:2]
    if url.type == "binary_expression" and text(url.child_by_field_name("operator")) == "+":
        left, right = url.child_by_field_name("left"), url.child_by_field_name("right")
        if left is None or right is None:
            return []
        if left.type == "binary_expression":
            return _leading_parts(left) if len(_leading_parts(left)) == 2 else [left, right]
        return [left, right]
    return []


def _literal_text(node: Node) -> str:
    if node.type in _PIECES:
        return text(node)
    if node.type == "string":
        return text(node)[1:-1]
    if node.type == "template_string":
        return text(node)[1:]
    return ""
