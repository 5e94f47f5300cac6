"""express-validator chains on a route: `router.post("/login", body("email").isEmail(), ...,
handler)`. A field checked with a validator that only passes for a well-formed string or
number (`isEmail`, `isString`, `isInt`, `isMongoId` ...; an operator object stringifies to
"[object Object]" and fails them) holds a primitive in a handler that rejects the request when
`validationResult(req)` is not empty."""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text

_CHAIN = re.compile(r"""^(?:body|query|param|params|check|cookie|header)\(\s*['"]([\w.$-]+)['"]""")
_TYPED = re.compile(
    r"\.(?:isString|isEmail|isInt|isFloat|isNumeric|isDecimal|isBoolean|isUUID|isMongoId"
    r"|isAlphanumeric|isAlpha|isHexadecimal|isJWT|isURL|isISO8601|isDate|isIn|isSlug"
    r"|isMobilePhone|isPostalCode|isBase64|isStrongPassword|toInt|toFloat|toBoolean)\("
)
_REJECTS = re.compile(r"validationResult\(.*?(?:\.isEmpty\(\)|\.throw\(\))", re.DOTALL)
_HANDLERS = frozenset({"arrow_function", "function_expression", "function"})


def validated_fields(node: Node) -> frozenset[str]:
    """Fields that the route around `node` validates to a primitive, when its handler rejects
    invalid requests; empty otherwise."""
    handler = node.parent
    while handler is not None and not (
        handler.type in _HANDLERS and handler.parent is not None
        and handler.parent.type == "arguments"
    ):  # fmt: skip
        handler = handler.parent
    if handler is None or handler.parent is None:
        return frozenset()
    if not _REJECTS.search(text(handler.child_by_field_name("body"))):
        return frozenset()
    fields: set[str] = set()
    for sibling in handler.parent.named_children:
        if sibling.id == handler.id:
            break
        for chain in _chains(sibling):
            raw = re.sub(r"\s+", "", text(chain))
            named = _CHAIN.match(raw)
            if named and _TYPED.search(raw):
                fields.add(named.group(1))
    return frozenset(fields)


def covers(fields: frozenset[str], value: Node) -> bool:
    """`req.body.email` / `email` is a validated `email` (`req.body.user.email`: `user.email`)."""
    raw = re.sub(r"\s+", "", text(value))
    return any(raw == name or raw.endswith("." + name) for name in fields)


def _chains(node: Node) -> list[Node]:
    if node.type == "array":
        return [c for c in node.named_children if c.type == "call_expression"]
    return [node] if node.type == "call_expression" else []
