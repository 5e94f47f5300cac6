"""Session cookies issued without HttpOnly or Secure, beyond `javax/jakarta.servlet.http.Cookie`
(see `hardening`): Spring's `ResponseCookie` builder, the JAX-RS `NewCookie.Builder`, and
`Set-Cookie` headers written as text.

Both builders default to neither flag, so a session cookie needs `.httpOnly(true)` and
`.secure(true)`; an explicit `false` is reported where it is written. A cookie counts as a
session cookie by its name or value (`SESSION`, `auth_token`, `session.token()`). Other
cookies (theme, locale) may be readable by scripts and stay quiet, as do CSRF cookies, which
single-page apps read on purpose (only Secure is expected of them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from analysis.detectors.java.spec import arguments, method_name, qualified_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text, walk
from analysis.detectors.treesitter.taint import TaintWalk

_SESSION = re.compile(r"(?i)sess|token|auth|\bsid\b|sid[_-]|jwt|remember|login|credential")
_CSRF = re.compile(r"(?i)csrf|xsrf")
_BUILDER_STARTS = frozenset({"ResponseCookie.from", "ResponseCookie.fromClientResponse"})
_FLAGS = {"httpOnly": "HttpOnly", "secure": "Secure"}
_HEADER_METHODS = frozenset({"addHeader", "setHeader", "header", "add", "set"})
_SET_COOKIE = re.compile(r'(?i)^(?:"set-cookie"|(?:\w+\.)*SET_COOKIE)$')


def check_cookies(node: Node, walk_: TaintWalk) -> Iterable[Hit]:
    if node.type == "object_creation_expression":
        if method_name(node).endswith("NewCookie.Builder"):
            return _builder(node, walk_)
        return ()
    if node.type != "method_invocation":
        return ()
    if qualified_name(node) in _BUILDER_STARTS:
        return _builder(node, walk_)
    if method_name(node) in _HEADER_METHODS:
        return _header(node, walk_)
    return ()


def _builder(start: Node, walk_: TaintWalk) -> list[Hit]:
    """`ResponseCookie.from(name, value).httpOnly(..).secure(..)...build()`."""
    args = arguments(start)
    described = " ".join(text(a) for a in args[:2])
    if not _SESSION.search(described):
        return []
    required = ["secure"] if _CSRF.search(described) else ["httpOnly", "secure"]
    settings: dict[str, str] = {}
    weakened: list[tuple[str, Node]] = []
    built = False
    for call in _chain(start):
        name = method_name(call)
        given = arguments(call)
        if name in _FLAGS and len(given) == 1:
            settings[name] = text(given[0])
            if text(given[0]) == "false" and name in required:
                weakened.append((name, call.child_by_field_name("name") or call))
        built = built or name == "build"
    if weakened:
        flag, at = weakened[0]
        detail = f"session cookie with {flag}(false)"
        return [walk_.hit("insecure-cookie", at, 0.85, detail)]
    missing = [_FLAGS[f] for f in required if f not in settings]
    if built and missing:
        detail = f"session cookie built without {' and '.join(missing)}"
        return [walk_.hit("insecure-cookie", start, 0.65, detail)]
    return []


def _chain(start: Node) -> list[Node]:
    """The calls chained on `start`'s result, in order."""
    calls: list[Node] = []
    current = start
    parent = current.parent
    while parent is not None and parent.type == "method_invocation":
        receiver = parent.child_by_field_name("object")
        if receiver is None or receiver.id != current.id:
            break
        calls.append(parent)
        current, parent = parent, parent.parent
    return calls


def _header(call: Node, walk_: TaintWalk) -> list[Hit]:
    """`response.addHeader("Set-Cookie", "SESSION=" + id + "; Path=/")` without the flags."""
    args = arguments(call)
    if len(args) != 2 or not _SET_COOKIE.match(re.sub(r"\s+", "", text(args[0]))):
        return []
    pieces = [n for n in walk(args[1]) if n.type == "string_literal"]
    if not pieces or pieces[0].start_byte != _first_leaf(args[1]).start_byte:
        return []  # not written as text here (`cookie.toString()`)
    literal = " ".join(text(p)[1:-1] for p in pieces)
    named = re.match(r"\s*([^=;\s]+)=", literal)
    if named is None or not _SESSION.search(named.group(1)):
        return []
    required = ["Secure"] if _CSRF.search(named.group(1)) else ["HttpOnly", "Secure"]
    missing = [f for f in required if not re.search(rf"(?i);\s*{f}\b", literal)]
    if not missing:
        return []
    detail = f"Set-Cookie {named.group(1)} without {' and '.join(missing)}"
    return [walk_.hit("insecure-cookie", call, 0.75, detail)]


def _first_leaf(node: Node) -> Node:
    current = node
    while current.named_children and current.type != "string_literal":
        current = current.named_children[0]
    return current
