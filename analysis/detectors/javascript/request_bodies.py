"""The whole request body, as mass assignment sees it: `req.body`, `ctx.request.body as Dto`,
`await request.json()`, `await c.req.parseBody()`, a FormData turned into an object
(`Object.fromEntries(await request.formData())`, and in a Next.js server action
`Object.fromEntries(formData)` / `Object.fromEntries(formData.entries())` of the FormData the
browser posted), AdonisJS's `request.all()` / `request.body()` / `request.qs()` and
`request.except([...])` (everything but the listed keys), an object spreading one, or a
variable holding one. Picked fields (`request.only([...])`) and schema-parsed values
(`request.validateUsing(validator)`) are not the whole body."""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.javascript.handler_params import SERVER_ACTION
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import TaintWalk

_WHOLE_BODY = re.compile(r"^(?:req|request|ctx\.request)\.body$")
_SCOPES = frozenset({"function_declaration", "function_expression", "arrow_function",
                     "method_definition", "program"})  # fmt: skip

PAYLOAD_KEYS = frozenset({"data", "create", "update", "$set", "values", "set"})
_WRAPPERS = frozenset(
    {"as_expression", "satisfies_expression", "non_null_expression", "parenthesized_expression",
     "await_expression", "type_assertion"}
)  # fmt: skip
# Fetch-API bodies (Next.js route handlers, Remix) and Hono's `c.req.json()` / `parseBody()`
_BODY_READ = re.compile(r"^(?:req|request|(?:c|ctx|context)\.req)\.(?:json|parseBody)$")
_FORM_READ = re.compile(r"^(?:req|request|(?:c|ctx|context)\.req)\.formData$")
# AdonisJS's request: `all()` is the body merged with the query string; `except(keys)` drops
# only the keys it names, so whatever else a client adds still comes through
_ADONIS_READ = re.compile(r"^(?:request|(?:ctx|context)\.request)\.(?:all|body|qs)$")
_ADONIS_EXCEPT = re.compile(r"^(?:request|(?:ctx|context)\.request)\.except$")
_NAMES = frozenset({"identifier", "shorthand_property_identifier"})
_MAX_ALIASES = 4


def whole_body(node: Node | None, walk: TaintWalk | None = None, depth: int = 0) -> bool:
    """`node` is the whole request body (see the module). With `walk`, the parameters a
    framework fills from the request (server-action arguments) are known too."""
    while node is not None and node.type in _WRAPPERS and node.named_children:
        node = node.named_children[0]
    if node is None or depth > _MAX_ALIASES:
        return False
    if node.type == "object":
        return any(
            child.type == "spread_element"
            and child.named_children
            and whole_body(child.named_children[0], walk, depth + 1)
            for child in node.named_children
        )
    if node.type in _NAMES:
        return _holds_whole_body(node, walk, depth)
    if node.type == "call_expression":
        callee, given = _call_parts(node)
        if callee == "Object.fromEntries":
            return len(given) == 1 and _form(given[0], walk, depth + 1)
        if _ADONIS_EXCEPT.match(callee):
            return True
        return not given and bool(_BODY_READ.match(callee) or _ADONIS_READ.match(callee))
    return bool(_WHOLE_BODY.match(re.sub(r"\s+", "", text(node))))


def _call_parts(call: Node) -> tuple[str, list[Node]]:
    """The callee text (no whitespace; type arguments are a separate field) and arguments.
    TypeScript parses `await f<T>()` as a call of `await f`: the `await` is dropped."""
    function = call.child_by_field_name("function")
    while function is not None and function.type in _WRAPPERS and function.named_children:
        function = function.named_children[0]
    callee = re.sub(r"\s+", "", text(function))
    arguments = call.child_by_field_name("arguments")
    given = [c for c in arguments.named_children if c.type != "comment"] if arguments else []
    return callee, given


def _form(node: Node, walk: TaintWalk | None, depth: int) -> bool:
    """Posted form data (for `Object.fromEntries`): `await request.formData()`, a server
    action's FormData argument, its `.entries()`, or a variable holding one."""
    while node.type in _WRAPPERS and node.named_children:
        node = node.named_children[0]
    if node.type == "identifier":
        value = _declared_value(node)
        if value is None:
            return walk is not None and walk.fact(node).source == SERVER_ACTION
        return depth <= _MAX_ALIASES and _form(value, walk, depth + 1)
    if node.type == "call_expression":
        callee, given = _call_parts(node)
        if not given and _FORM_READ.match(callee):
            return True
        receiver = node.child_by_field_name("function")
        if not given and callee.endswith(".entries") and receiver is not None:
            target = receiver.child_by_field_name("object")
            return target is not None and _form(target, walk, depth + 1)
    return whole_body(node, walk, depth)


def _holds_whole_body(identifier: Node, walk: TaintWalk | None, depth: int) -> bool:
    """`const body = await request.json()` earlier in the same function: `body` is the whole
    request body; so is the rest of a destructured body (`const { id, ...changes } = req.body`).
    Other destructured names are single fields."""
    value = _declared_value(identifier)
    return value is not None and whole_body(value, walk, depth + 1)


def _declared_value(identifier: Node) -> Node | None:
    """The value of the declaration of `identifier` before it in its function (also the rest
    element of an object pattern); None if there is none."""
    scope: Node | None = identifier.parent
    while scope is not None and scope.type not in _SCOPES:
        scope = scope.parent
    if scope is None:
        return None
    name = text(identifier)
    stack = [scope]
    while stack:
        current = stack.pop()
        if current.start_byte >= identifier.start_byte:
            continue
        if current.type == "variable_declarator":
            declared = current.child_by_field_name("name")
            if declared is not None and _declares(declared, name):
                return current.child_by_field_name("value")
        stack.extend(current.named_children)
    return None


def _declares(pattern: Node, name: str) -> bool:
    if pattern.type == "identifier":
        return text(pattern) == name
    if pattern.type != "object_pattern":
        return False
    rest = next((c for c in pattern.named_children if c.type == "rest_pattern"), None)
    return rest is not None and text(rest).lstrip(".").strip() == name
