"""Function parameters that a framework fills from the request.

- Next.js server actions: every argument of a function exported from a `"use server"` module,
  or of a function whose body starts with `"use server"`, is sent by the browser (FormData,
  strings, objects: whatever the client posts).
- Route modules: the `params` of Remix / React Router `loader` and `action`, SvelteKit `load`,
  `actions` and `+server` handlers, Next.js route handlers (`GET(request, { params })`) are
  the URL's path segments.
- Destructured request contexts: `({ params, query, body }) => ...` registered as a route
  (`app.get("/files/:id", handler)`: Elysia, Express, Fastify, AdonisJS routes) or typed as a
  framework context (`({ params, request }: HttpContext)` in an AdonisJS controller, Koa and
  Elysia `Context`): its `params`, `query`, `body`, `headers` and `cookie(s)` are request data.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text

SERVER_ACTION = "server action argument"
ROUTE_PARAMS = "route params"
_ROUTE_HANDLERS = frozenset(
    {"loader", "action", "load", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
)
_DECLARATIONS = frozenset({"lexical_declaration", "variable_declaration"})
# fields of a request context (route params are text; the others may be parsed objects)
_CONTEXT_FIELDS = {
    "params": ROUTE_PARAMS,
    "query": "context.query",
    "body": "context.body",
    "headers": "context.headers",
    "cookie": "context.cookie",
    "cookies": "context.cookies",
}
_CONTEXT_TYPES = re.compile(
    r"^:\s*(?:HttpContext|HttpContextContract|Context|RequestEvent|LoaderFunctionArgs"
    r"|ActionFunctionArgs)\b"
)
_ROUTE_VERBS = frozenset({"get", "post", "put", "patch", "delete", "del", "all", "head", "options"})
_PATTERN_NAMES = frozenset({"identifier", "shorthand_property_identifier_pattern"})


def parameter_sources(
    function: Node, names: list[tuple[str, str | None]], server_module: bool
) -> list[tuple[str, str | None]]:
    """`names` (parameter name, source) with the sources the framework adds."""
    if is_server_action(function, server_module):
        return [(name, source or SERVER_ACTION) for name, source in names]
    context = context_sources(function)
    if context:
        names = [(name, source or context.get(name)) for name, source in names]
    routed = any(name == "params" and not source for name, source in names)
    if routed and _destructures_params(function) and _route_handler(function):
        return [(name, source or _route_source(name)) for name, source in names]
    return names


def context_sources(function: Node) -> dict[str, str]:
    """Local names bound to request fields by destructuring a framework's context argument."""
    parameters = function.child_by_field_name("parameters")
    given = [c for c in parameters.named_children if c.type != "comment"] if parameters else []
    if not given:
        return {}
    first = given[0]
    pattern, annotation = first, None
    if first.type in ("required_parameter", "optional_parameter"):
        pattern = first.child_by_field_name("pattern")
        annotation = first.child_by_field_name("type")
    if pattern is None or pattern.type != "object_pattern":
        return {}
    typed = annotation is not None and bool(_CONTEXT_TYPES.match(text(annotation)))
    if not typed and not _route_callback(function):
        return {}
    found: dict[str, str] = {}
    for child in pattern.named_children:
        if child.type == "object_assignment_pattern":  # `{ query = {} }`
            child = child.child_by_field_name("left") or child
        if child.type == "shorthand_property_identifier_pattern":
            source = _CONTEXT_FIELDS.get(text(child))
            if source is not None:
                found[text(child)] = source
        elif child.type == "pair_pattern":  # `{ query: q }`, `{ params: { id } }`
            source = _CONTEXT_FIELDS.get(text(child.child_by_field_name("key")))
            if source is not None:
                found.update((name, source) for name in _bound(child.child_by_field_name("value")))
    return found


def _route_callback(function: Node) -> bool:
    """`app.get("/files/:id", ..., function)`: a handler registered for a path."""
    arguments = function.parent
    call = arguments.parent if arguments is not None else None
    if arguments is None or call is None or arguments.type != "arguments":
        return False
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "member_expression":
        return False
    if text(callee.child_by_field_name("property")) not in _ROUTE_VERBS:
        return False
    given = [c for c in arguments.named_children if c.type != "comment"]
    return (
        len(given) >= 2
        and given[0].type in ("string", "template_string")
        and given[0].id != function.id
    )


def _bound(pattern: Node | None) -> list[str]:
    """Every name a (nested) destructuring pattern binds."""
    if pattern is None:
        return []
    if pattern.type in _PATTERN_NAMES:
        return [text(pattern)]
    names: list[str] = []
    stack = [pattern]
    while stack:
        node = stack.pop()
        if node.type in _PATTERN_NAMES:
            names.append(text(node))
        elif node.type in ("pair_pattern", "object_assignment_pattern", "assignment_pattern"):
            inner = node.child_by_field_name("value" if node.type == "pair_pattern" else "left")
            stack.extend([inner] if inner is not None else [])
        else:
            stack.extend(node.named_children)
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
