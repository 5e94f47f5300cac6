"""Function parameters that a framework fills from the request.

- Next.js server actions: every argument of a function exported from a `"use server"` module,
  or of a function whose body starts with `"use server"`, is sent by the browser (FormData,
  strings, objects: whatever the client posts).
- Route modules: the `params` of Remix / React Router `loader` and `action`, SvelteKit `load`,
  `actions` and `+server` handlers, Next.js route handlers (`GET(request, { params })`) are
  the URL's path segments.
"""

from __future__ import annotations

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text

SERVER_ACTION = "server action argument"
ROUTE_PARAMS = "route params"
_ROUTE_HANDLERS = frozenset(
    {"loader", "action", "load", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
)
_DECLARATIONS = frozenset({"lexical_declaration", "variable_declaration"})


def parameter_sources(
    function: Node, names: list[tuple[str, str | None]], server_module: bool
) -> list[tuple[str, str | None]]:
    """`names` (parameter name, source) with the sources the framework adds."""
    if is_server_action(function, server_module):
        return [(name, source or SERVER_ACTION) for name, source in names]
    routed = any(name == "params" and not source for name, source in names)
    if routed and _destructures_params(function) and _route_handler(function):
        return [(name, source or _route_source(name)) for name, source in names]
    return names


def _route_source(name: str) -> str | None:
    return ROUTE_PARAMS if name == "params" else None


def is_server_action(function: Node, server_module: bool) -> bool:
    body = function.child_by_field_name("body")
    if body is not None and body.type == "statement_block" and _use_server(body):
        return True
    return server_module and _exported(function)


def _use_server(body: Node) -> bool:
    first = next((c for c in body.named_children if c.type != "comment"), None)
    if first is None or first.type != "expression_statement" or not first.named_children:
        return False
    directive = first.named_children[0]
    return directive.type == "string" and text(directive)[1:-1] == "use server"


def _exported(function: Node) -> bool:
    """`export function f`, `export default function`, `export const f = () => ...`."""
    parent = function.parent
    if parent is not None and parent.type == "export_statement":
        return True
    if parent is None or parent.type != "variable_declarator":
        return False
    declaration = parent.parent
    return (
        declaration is not None
        and declaration.type in _DECLARATIONS
        and declaration.parent is not None
        and declaration.parent.type == "export_statement"
    )


def _destructures_params(function: Node) -> bool:
    """`({ params, request })`: the framework's argument object, not a parameter `params`."""
    parameters = function.child_by_field_name("parameters")
    stack = list(parameters.named_children) if parameters is not None else []
    while stack:
        node = stack.pop()
        if node.type == "object_pattern" and any(
            child.type == "shorthand_property_identifier_pattern" and text(child) == "params"
            for child in node.named_children
        ):
            return True
        if node.type in ("required_parameter", "optional_parameter"):
            stack.extend(node.named_children)
    return False


def _route_handler(function: Node) -> bool:
    """An exported `loader`/`action`/`load`/`GET`..., or a member of an exported `actions`."""
    parent = function.parent
    if parent is None:
        return False
    if function.type == "function_declaration":
        name = text(function.child_by_field_name("name"))
        return name in _ROUTE_HANDLERS and _exported(function)
    if parent.type == "variable_declarator":
        name = text(parent.child_by_field_name("name"))
        return name in _ROUTE_HANDLERS and _exported(function)
    holder = parent if function.type == "method_definition" else parent.parent
    if parent.type != "pair" and function.type != "method_definition":
        return False
    declarator = holder.parent if holder is not None and holder.type == "object" else None
    return (
        declarator is not None
        and declarator.type == "variable_declarator"
        and text(declarator.child_by_field_name("name")) == "actions"
        and _exported(declarator.child_by_field_name("value") or declarator)
    )
