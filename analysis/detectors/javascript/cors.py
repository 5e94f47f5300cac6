"""Permissive CORS configuration (CWE-942) of the cors middleware family.

The options reach the `cors` package (Express, and Koa's `@koa/cors` with the same keys)
through `cors(options)`, NestJS's `app.enableCors(options)` and
`NestFactory.create(Module, { cors: options })`, and Fastify's
`fastify.register(fastifyCors, options)`. Reported: `origin: '*'`, and an `origin` that
accepts every request Origin (`true`, or a callback answering `cb(null, true)` /
`cb(null, origin)`) together with `credentials: true` — any site can then read the
user's authenticated responses. A fixed allow-list, or a callback that checks the origin,
is quiet; library defaults (`cors()`: `*` without credentials) are below the reporting bar.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.javascript.declarations import definition
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.parsers import walk as walk_tree
from analysis.detectors.treesitter.taint import TaintWalk

_CORS_PLUGIN = r"""['"](?:@fastify/cors|fastify-cors)['"]"""
_DEFAULTS_CONFIDENCE = 0.45


def cors_hits(call: Node, callee: str, method: str, args: list[Node], walk: TaintWalk) -> list[Hit]:
    options = _cors_options(callee, method, args, walk)
    return [] if options is None else _cors(call, options, walk)


def _cors_options(callee: str, method: str, args: list[Node], walk: TaintWalk) -> list[Node] | None:
    """The CORS options of a call that configures CORS, `[]` for the library defaults, None
    for other calls. A variable is read from its declaration."""
    if method in ("cors", "enableCors"):
        given = args[:1]
    elif callee == "NestFactory.create" and len(args) >= 2:
        value = _pair_value(_declared(args[1], walk), "cors")
        if value is None or value.type == "false":
            return None
        given = [] if value.type == "true" else [value]
    elif method == "register" and args and _is_cors_plugin(args[0], walk):
        given = args[1:2]
    else:
        return None
    return [_declared(node, walk) for node in given]


def _declared(node: Node, walk: TaintWalk) -> Node:
    """`corsOptions` -> the object literal it was declared with (else the node itself)."""
    if node.type == "identifier":
        value = definition(node, walk)
        if value is not None and value.type == "object":
            return value
    return node


def _pair_value(options: Node, key: str) -> Node | None:
    if options.type != "object":
        return None
    for pair in options.named_children:
        if pair.type == "pair" and text(pair.child_by_field_name("key")).strip("'\"") == key:
            return pair.child_by_field_name("value")
    return None


def _is_cors_plugin(plugin: Node, walk: TaintWalk) -> bool:
    """`require('@fastify/cors')`, or a name imported from it."""
    if plugin.type == "call_expression":
        return re.search(_CORS_PLUGIN, text(plugin)) is not None
    if plugin.type != "identifier":
        return False
    name = re.escape(text(plugin))
    source = walk.parsed.source.decode("utf-8", "replace")
    imported = rf"(?:import\s+{name}\s+from|\b{name}\s*=\s*require\()\s*{_CORS_PLUGIN}"
    return re.search(imported, source) is not None


def _cors(call: Node, args: list[Node], walk: TaintWalk) -> list[Hit]:
    if not args:
        detail = "CORS defaults to every origin"
        return [walk.hit("permissive-cors", call, _DEFAULTS_CONFIDENCE, detail)]
    compact = re.sub(r"\s+", "", text(args[0]))
    credentials = "credentials:true" in compact
    if re.search(r"""origin:['"`]\*['"`]""", compact):
        confidence = 0.9 if credentials else 0.85
        return [walk.hit("permissive-cors", call, confidence, "CORS with origin: '*'")]
    if credentials and ("origin:true" in compact or _reflects_origin(args[0])):
        detail = "CORS echoes every request Origin back and allows credentials"
        return [walk.hit("permissive-cors", call, 0.85, detail)]
    if "origin:true" in compact:
        return [walk.hit("permissive-cors", call, 0.6, "CORS origin: true reflects origins")]
    return []


def _reflects_origin(options: Node) -> bool:
    """`origin: (origin, cb) => cb(null, origin)` / `cb(null, true)`: no check, every origin."""
    for pair in walk_tree(options):
        if pair.type != "pair" or text(pair.child_by_field_name("key")).strip("'\"") != "origin":
            continue
        value = pair.child_by_field_name("value")
        if value is None or value.type not in ("arrow_function", "function_expression"):
            return False
        params = value.child_by_field_name("parameters")
        given = params.named_children if params is not None else []
        names = [text(p.child_by_field_name("pattern") or p) for p in given]  # `o: string`
        if len(names) < 2:
            return False
        body = re.sub(r"\s+", "", text(value.child_by_field_name("body")))
        answer = rf"{re.escape(names[1])}\(null,(?:{re.escape(names[0])}|true)\)"
        return re.fullmatch(rf"\{{?(?:return)?{answer};?\}}?", body) is not None
    return False
