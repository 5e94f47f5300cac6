"""Open redirects built by Java response APIs beyond `sendRedirect` / `RedirectView`:

- redirect factories: JAX-RS `Response.seeOther / temporaryRedirect`, WebFlux
  `ServerResponse.seeOther / temporaryRedirect / permanentRedirect`, Micronaut
  `HttpResponse.redirect / seeOther / temporaryRedirect / permanentRedirect`;
- a Location set on a response with a 3xx status: `ResponseEntity.status(HttpStatus.FOUND)
  .location(uri)`, `ServerResponse.status(303).location(uri)`, `headers.setLocation(uri)` or a
  `Location` header (`setHeader`, `header(HttpHeaders.LOCATION, ...)`) in a handler that sets
  a redirect status.

The target is reported when request data reaches it. It stays quiet when it is a same-site
path literal (`"/account/" + id`), when an `if` allow-lists it (the shared guards), when a
ternary picks it only after checking it (`ALLOWED.contains(t) ? t : "/"`), or when an
Optional is filtered by a check before use (`.filter(u -> u.startsWith("/")).orElse("/")`).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.java.spec import arguments, method_name, qualified_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text, walk
from analysis.detectors.treesitter.taint import TaintWalk

_FACTORY_CLASSES = frozenset({"Response", "ServerResponse", "HttpResponse"})
_FACTORY_METHODS = frozenset({"seeOther", "temporaryRedirect", "permanentRedirect", "redirect"})
_REDIRECT_STATUS = re.compile(
    r"(?<![A-Za-z_])(?:SC_)?(?:FOUND|SEE_OTHER|MOVED_PERMANENTLY|MOVED_TEMPORARILY"
    r"|TEMPORARY_REDIRECT|PERMANENT_REDIRECT)\b|(?<![\w.])30[12378](?![\w.])"
)
_LOCATION_HEADER = re.compile(r'(?i)^(?:"location"|(?:\w+\.)*LOCATION)$')
_HEADER_SETTERS = frozenset({"setHeader", "addHeader", "header", "set", "add"})
_CHECK_WORDS = re.compile(
    r"(?i)allow|whitelist|permitted|trusted|safe|valid|known|startsWith|contains|matches"
    r"|equals|isRelative|isLocal|\.has\("
)
_RELATIVE_LITERAL = re.compile(r'^"/[^/\\]')
_SCOPES = ("method_declaration", "constructor_declaration")


def redirect_hits(call: Node, walk_: TaintWalk) -> list[Hit]:
    """An open-redirect hit for a redirect this call builds from request data."""
    target = _redirect_target(call)
    if target is None:
        return []
    inner = _unwrap_uri(target)
    if _RELATIVE_LITERAL.match(text(inner)) or checked_target(inner, call):
        return []
    fact = walk_.tainted(target, "redirect")
    if fact is None or fact.source is None or "getenv" in fact.source:
        return []
    detail = f"{fact.source} reaches {qualified_name(call)}"
    return [walk_.hit("open-redirect", call, 0.85, detail, fact)]


def _redirect_target(call: Node) -> Node | None:
    if call.type != "method_invocation":
        return None
    name = method_name(call)
    args = arguments(call)
    if not args:
        return None
    receiver = text(call.child_by_field_name("object"))
    if receiver in _FACTORY_CLASSES and name in _FACTORY_METHODS:
        return args[0]
    if name == "location" and len(args) == 1 and _REDIRECT_STATUS.search(receiver):
        return args[0]
    if name == "setLocation" and len(args) == 1 and _redirect_status_in_scope(call):
        return args[0]
    location = len(args) == 2 and _LOCATION_HEADER.match(re.sub(r"\s+", "", text(args[0])))
    if name in _HEADER_SETTERS and location and _redirecting(receiver, call):
        return args[1]
    return None


def _redirecting(receiver: str, call: Node) -> bool:
    return bool(_REDIRECT_STATUS.search(receiver)) or _redirect_status_in_scope(call)


def _redirect_status_in_scope(call: Node) -> bool:
    scope = _scope(call)
    return scope is not None and bool(_REDIRECT_STATUS.search(text(scope)))


def _scope(node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.type not in _SCOPES:
        current = current.parent
    return current


def _unwrap_uri(node: Node) -> Node:
    """`URI.create(x)` / `new URI(x)` / `URI.create(x).normalize()` -> x."""
    while True:
        while node.type == "parenthesized_expression" and node.named_children:
            node = node.named_children[0]
        receiver = node.child_by_field_name("object")
        if node.type == "method_invocation" and method_name(node) == "normalize" and receiver:
            node = receiver
            continue
        calls = ("method_invocation", "object_creation_expression")
        args = arguments(node) if node.type in calls else []
        if len(args) == 1 and qualified_name(node) in ("URI.create", "URI"):
            node = args[0]
            continue
        return node


def checked_target(node: Node, call: Node) -> bool:
    """The value (or the local it was declared from) is chosen only after a check: a guarded
    ternary, or an Optional filtered by a check."""
    node = _declared_value(node, call) or node
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node.type == "ternary_expression":
        condition = text(node.child_by_field_name("condition"))
        chosen = node.child_by_field_name("consequence")
        if chosen is None or not _CHECK_WORDS.search(condition):
            return False
        chosen = _unwrap_uri(chosen)
        return (
            chosen.type == "identifier" and re.search(rf"\b{text(chosen)}\b", condition) is not None
        )
    return any(
        n.type == "method_invocation" and method_name(n) == "filter" and _checking(n)
        for n in _receiver_chain(node)
    )


def _declared_value(node: Node, call: Node) -> Node | None:
    """The initialiser of the local `node` names, declared before `call` in its method."""
    if node.type != "identifier":
        return None
    scope = _scope(call)
    if scope is None:
        return None
    found = None
    for declarator in walk(scope):
        if declarator.start_byte > call.start_byte:
            break
        if declarator.type == "variable_declarator" and text(
            declarator.child_by_field_name("name")
        ) == text(node):
            found = declarator.child_by_field_name("value")
    return found


def _receiver_chain(node: Node) -> list[Node]:
    chain: list[Node] = []
    current: Node | None = node
    while current is not None and current.type == "method_invocation":
        chain.append(current)
        current = current.child_by_field_name("object")
    return chain


def _checking(filter_call: Node) -> bool:
    args = arguments(filter_call)
    return bool(args) and bool(_CHECK_WORDS.search(text(args[0])))
