"""Go checks beyond the classic injection sinks: LDAP and Mongo queries, gin file and bind
helpers, CORS reflection, pprof on the public mux, JWT `none`, cleartext calls,
math/rand (see `randomness`) and stack traces sent to clients."""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.go.randomness import weak_random
from analysis.detectors.go.spec import arguments, callee_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import ParsedSource, text, walk
from analysis.detectors.treesitter.taint import Fact, TaintWalk

_GORM_WRITES = re.compile(r"\.(?:Save|Create|Updates)\(\s*&?(\w+)\s*\)")
_BINDS = re.compile(r"^(?:ShouldBind|Bind)(?:JSON|XML|YAML|With|Query)?$")
_LOCAL_HOST = re.compile(r"^https?://(?:localhost|127\.|0\.0\.0\.0|\[::1\])")


def _request(fact: Fact | None) -> bool:
    return fact is not None and fact.source is not None and not fact.source.startswith("os.")


def hardening_call(walk: TaintWalk, call: Node, callee: str, args: list[Node]) -> list[Hit]:
    method = callee.rsplit(".", 1)[-1]
    source = walk.parsed.source
    hits: list[Hit] = []
    if callee == "ldap.NewSearchRequest" and len(args) > 6:
        fact = walk.tainted(args[6], "ldap")
        if _request(fact) and fact is not None:
            detail = f"{fact.source} reaches the LDAP search filter"
            hits.append(walk.hit("ldap-injection", args[6], 0.85, detail, fact))
    if method in ("File", "FileAttachment") and b"gin-gonic/gin" in source and args:
        fact = walk.tainted(args[0], "path")
        if _request(fact) and fact is not None:
            detail = f"{fact.source} reaches {callee}"
            hits.append(walk.hit("path-traversal", call, 0.85, detail, fact))
    if _BINDS.match(method) and args and b"gin-gonic/gin" in source:
        hits.extend(_bound_model_saved(walk, call, args[0]))
    if method == "Set" and len(args) == 2 and "Header()" in callee:
        hits.extend(_cors_reflection(walk, call, args))
    hits.extend(_cleartext(walk, call, callee, args))
    if method in ("Write", "Fprint", "Fprintf", "Fprintln") and re.search(
        r"\b(?:debug\.Stack|runtime\.Stack)\(", " ".join(text(a) for a in args)
    ):
        hits.append(walk.hit("information-leak", call, 0.8, "stack trace written to the client"))
    hits.extend(weak_random(walk, call, callee, args))
    return hits


def _enclosing_function(node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.type not in (
        "function_declaration",
        "method_declaration",
        "func_literal",
    ):
        current = current.parent
    return current


def _bound_model_saved(walk: TaintWalk, call: Node, target: Node) -> list[Hit]:
    """The request body bound straight into a value the same handler then saves whole."""
    name = text(target).lstrip("&")
    scope = _enclosing_function(call)
    if not name.isidentifier() or scope is None:
        return []
    after = text(scope)[call.end_byte - scope.start_byte :]
    if any(saved == name for saved in _GORM_WRITES.findall(after)):
        detail = f"request body bound into {name}, which is saved whole"
        return [walk.hit("mass-assignment", call, 0.75, detail)]
    return []


def _cors_reflection(walk: TaintWalk, call: Node, args: list[Node]) -> list[Hit]:
    header = walk.fact(args[0]).value or ""
    if header.lower() != "access-control-allow-origin":
        return []
    value = args[1]
    fact = walk.fact(value)
    if walk.fact(value).value == "*" or not _request(fact):
        return []
    checked = {text(value)} if value.type == "identifier" else set()
    current = call.parent
    while current is not None and checked:
        if current.type == "if_statement" and text(value) in text(
            current.child_by_field_name("condition")
        ):
            return []  # echoed only after a check against an allow-list
        current = current.parent
    return [walk.hit("permissive-cors", call, 0.8, "the request Origin is echoed back", fact)]


def _cleartext(walk: TaintWalk, call: Node, callee: str, args: list[Node]) -> list[Hit]:
    if callee in ("http.Post", "http.PostForm") or re.match(r"^\w*[cC]lient\.Post", callee):
        target = args[0] if args else None
    elif callee in ("http.NewRequest", "http.NewRequestWithContext"):
        index = 1 if callee == "http.NewRequest" else 2
        method = walk.fact(args[index - 1]).value if len(args) > index else None
        carries = method in ("POST", "PUT", "PATCH") or "MethodP" in text(args[index - 1])
        target = args[index] if len(args) > index and carries else None
    else:
        return []
    url = walk.fact(target).value if target is not None else None
    if url and url.startswith("http://") and not _LOCAL_HOST.match(url):
        return [walk.hit("cleartext-transport", call, 0.7, "data sent over plain http")]
    return []


def hardening_selector(walk: TaintWalk, node: Node) -> list[Hit]:
    if text(node) == "jwt.UnsafeAllowNoneSignatureType":
        return [walk.hit("jwt-none-algorithm", node, 0.9, "the none signing method is accepted")]
    return []


def hardening_import(walk: TaintWalk, node: Node) -> list[Hit]:
    """pprof's blank import registers /debug/pprof on the default mux; serving that mux on
    a non-loopback address exposes it."""
    if text(node.child_by_field_name("path")).strip('"`') != "net/http/pprof":
        return []
    serves = re.search(
        rb'ListenAndServe(?:TLS)?\(\s*"([^"]*)"[^\n]*,\s*nil\s*\)', walk.parsed.source
    )
    if serves is None or serves.group(1).startswith((b"127.", b"localhost")):
        return []
    return [walk.hit("debug-mode-enabled", node, 0.8, "pprof served on the public default mux")]


_ROUTE_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "Any", "Handle"})
_GUARD_NAME = re.compile(r"(?i)auth|admin|require|guard|protect|permission|role|login|jwt")


def missing_route_guard(parsed: ParsedSource, _walk: TaintWalk) -> list[Hit]:
    """A route registered without the auth middleware every sibling on its router carries."""
    routes: dict[tuple[int, str], list[tuple[Node, bool]]] = {}
    for node in walk(parsed.root):
        if node.type != "call_expression":
            continue
        callee = callee_name(node)
        receiver, _, method = callee.rpartition(".")
        args = arguments(node)
        if method not in _ROUTE_METHODS or not receiver or len(args) < 2:
            continue
        scope = node.parent
        while scope is not None and scope.type not in ("block", "source_file"):
            scope = scope.parent
        middleware = args[1:-1]
        guarded = any(_GUARD_NAME.search(text(m)) for m in middleware)
        routes.setdefault((scope.id if scope else 0, receiver), []).append((node, guarded))
    hits: list[Hit] = []
    for group in routes.values():
        for node, guarded in group:
            siblings = [g for n, g in group if n is not node]
            if not guarded and len(siblings) >= 2 and all(siblings):
                line = parsed.line_of(node)
                detail = f"route {text(arguments(node)[0])} lacks the middleware its siblings use"
                hits.append(Hit("missing-auth-guard", line, line, 0.7, detail))
    return hits
