"""Whether a response write is rendered as HTML by the browser.

- A declared content type decides: `res.type('html')`, `reply.type('text/html')`, a
  `Content-Type` header or `ctx.type = ...` in the handler. Markup types (HTML, XML, SVG)
  render; any other declared type (JSON, PDF, plain text) does not.
- Objects and arrays are serialised to JSON: Express's `res.send({...})` answers through
  `res.json`, Fastify's `reply.send({...})` through its JSON serialiser
  (`application/json`), so `reply.code(400).send({ error })` is not markup.
- With nothing declared, a string is HTML for Express (`res.send` defaults to `text/html`)
  but plain text for Fastify (`reply.send('...')` defaults to `text/plain`); Fastify's raw
  Node response (`reply.raw.end(...)`) has no default type and stays a markup sink.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text

_CONTENT_TYPE = re.compile(
    r"""(?ix)(?:\.(?:type|contentType)\(\s*|\btype\s*=\s*
    |['"]content-type['"]\s*[,:]\s*)['"`]([^'"`]+)['"`]"""
)
_MARKUP_TYPE = re.compile(r"(?i)html|xml|svg|^\.?x?htm")
_SCOPES = frozenset({"function_declaration", "function_expression", "arrow_function",
                     "method_definition", "program"})  # fmt: skip
_SERIALISED = frozenset({"object", "array"})
_WRAPPERS = frozenset(
    {"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression"}
)
# Fastify's reply object (not its raw Node response)
_FASTIFY_REPLY = re.compile(r"^reply\.(?!raw\.)")


def declared_types(call: Node) -> list[str]:
    """Content types the handler around `call` declares."""
    scope: Node | None = call
    while scope is not None and scope.type not in _SCOPES:
        scope = scope.parent
    return _CONTENT_TYPE.findall(text(scope)) if scope is not None else []


def renders_html(call: Node, callee: str, sent: Node) -> bool:
    """`callee(sent)` (a response write) reaches the browser as a document it renders."""
    declared = declared_types(call)
    if declared and not any(_MARKUP_TYPE.search(kind) for kind in declared):
        return False
    while sent.type in _WRAPPERS and sent.named_children:
        sent = sent.named_children[0]
    if sent.type in _SERIALISED:
        return False
    if declared:
        return True
    return not _FASTIFY_REPLY.match(callee)
