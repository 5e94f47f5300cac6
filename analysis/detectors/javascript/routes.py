"""Express/Koa-router routes: a route without the auth middleware every sibling route uses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from analysis.detectors.javascript.spec import arguments, callee_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import ParsedSource, text, walk

_ROUTE = re.compile(
    r"^(?:app|router|api|routes|server|\w+Router)\.(get|post|put|patch|delete|all)$"
)
_GUARD_NAME = re.compile(
    r"(?i)auth|login|jwt|passport|session|protect|guard|ensure|require|verify|admin|permission"
    r"|role|acl|token"
)
_PUBLIC_PATH = re.compile(
    r"(?i)^/?(?:api/)?(?:v\d+/)?(?:login|logout|signin|signup|register|health\w*|status|ping"
    r"|public|webhooks?|callback|auth|oauth|password-reset|forgot|metrics|ready|live)\b"
)
_MIN_GUARDED_SIBLINGS = 2


@dataclass(frozen=True)
class _Route:
    node: Node
    path: str
    guards: frozenset[str]


def missing_auth_guard(parsed: ParsedSource) -> list[Hit]:
    routes: list[_Route] = []
    for node in walk(parsed.root):
        if node.type != "call_expression" or not _ROUTE.match(callee_name(node)):
            continue
        args = arguments(node)
        if len(args) < 2 or args[0].type != "string":
            continue
        middleware = args[1:-1]
        guards = frozenset(_guard_name(m) for m in middleware if _guard_name(m))
        routes.append(_Route(node, text(args[0])[1:-1], guards))
    if _router_wide_guard(parsed):
        return []
    hits: list[Hit] = []
    for route in routes:
        if route.guards or _PUBLIC_PATH.match(route.path):
            continue
        siblings = [r for r in routes if r is not route and not _PUBLIC_PATH.match(r.path)]
        if len(siblings) < _MIN_GUARDED_SIBLINGS or not all(r.guards for r in siblings):
            continue
        common = frozenset.intersection(*(r.guards for r in siblings))
        if not common:
            continue
        guard = sorted(common)[0]
        line = parsed.line_of(route.node)
        detail = f"route '{route.path}' lacks '{guard}' that the other {len(siblings)} routes use"
        hits.append(Hit("missing-auth-guard", line, line, 0.7, detail))
    return hits


def _guard_name(node: Node) -> str:
    if node.type == "call_expression":
        node = node.child_by_field_name("function") or node
    name = text(node)
    if node.type in ("identifier", "member_expression") and _GUARD_NAME.search(name):
        return name
    return ""


def _router_wide_guard(parsed: ParsedSource) -> bool:
    """`router.use(requireAuth)` before the routes applies the guard to all of them."""
    for node in walk(parsed.root):
        if node.type == "call_expression" and callee_name(node).endswith(".use"):
            args = arguments(node)
            if args and all(_guard_name(a) for a in args[-1:]) and args[0].type != "string":
                return True
    return False
