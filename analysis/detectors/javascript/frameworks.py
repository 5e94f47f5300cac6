"""Framework and module shapes the sinks need to recognise: renamed and promisified imports,
named `fs` imports, declared response content types, allow-listed choices, whole request
bodies (Express, Koa, Next.js, TypeScript casts)."""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import TaintWalk

_WHOLE_BODY = re.compile(r"^(?:req|request|ctx\.request)\.body$")

_FS_NAMES = re.compile(
    r"^(?:readFile|readFileSync|createReadStream|writeFile|writeFileSync|createWriteStream"
    r"|appendFile|appendFileSync|unlink|unlinkSync|rm|rmSync|readdir|readdirSync|open|openSync"
    r"|copyFile|rename)$"
)
_FS_MODULE = r"""['"](?:node:)?fs(?:/promises)?['"]"""
_PROMISIFY = re.compile(
    rb"\b(?:const|let|var)\s+(\w+)\s*=\s*(?:util\.)?promisify\(\s*((?:\w+\.)?\w+)\s*\)"
)
_RENAMED = re.compile(rb"\b(\w+)\s+as\s+(\w+)\s*[,}]")  # `import { exec as run }`

_CONTENT_TYPE = re.compile(
    r"""(?ix)(?:\.(?:type|contentType)\(\s*|\btype\s*=\s*
    |['"]content-type['"]\s*[,:]\s*)['"`]([^'"`]+)['"`]"""
)
_MARKUP_TYPE = re.compile(r"(?i)html|xml|svg|^\.?x?htm")
_SCOPES = frozenset({"function_declaration", "function_expression", "arrow_function",
                     "method_definition", "program"})  # fmt: skip


def calls_unserialize(walk: TaintWalk) -> bool:
    """The file calls `unserialize(...)`; its import is then not reported separately."""
    return re.search(rb"\bunserialize\s*\(", walk.parsed.source) is not None


def resolve_alias(walk: TaintWalk, callee: str) -> str:
    """`import { exec as run }` / `const sh = promisify(exec)`: calls of `run` and `sh` are
    calls of `exec`."""
    if "." in callee:
        return callee
    aliases = walk.notes.get("aliases")
    if aliases is None:
        source = walk.parsed.source
        found = [*_PROMISIFY.findall(source), *((b, a) for a, b in _RENAMED.findall(source))]
        aliases = {f"{alias.decode()}={target.decode()}" for alias, target in found}
        walk.notes["aliases"] = aliases  # type: ignore[assignment]
    for _ in range(3):  # an alias of an alias
        target = next((e.split("=", 1)[1] for e in aliases if e.split("=", 1)[0] == callee), None)
        if target is None or target == callee:
            break
        callee = target
    return callee


def is_fs_import(walk: TaintWalk, callee: str) -> bool:
    """A bare `createReadStream(...)` imported by name from `fs` / `node:fs/promises`."""
    if not _FS_NAMES.match(callee):
        return False
    source = walk.parsed.source.decode("utf-8", "replace")
    named = rf"\{{[^}}]*\b{callee}\b[^}}]*\}}"
    return bool(
        re.search(rf"import\s*{named}\s*from\s*{_FS_MODULE}", source)
        or re.search(rf"{named}\s*=\s*require\(\s*{_FS_MODULE}\s*\)", source)
    )


def non_html_response(call: Node) -> bool:
    """The handler declares a content type (`res.type('application/pdf')`, `ctx.type = ...`,
    a Content-Type header) and none of its declared types is markup a browser would render."""
    scope: Node | None = call
    while scope is not None and scope.type not in _SCOPES:
        scope = scope.parent
    if scope is None:
        return False
    declared = _CONTENT_TYPE.findall(text(scope))
    return bool(declared) and not any(_MARKUP_TYPE.search(kind) for kind in declared)


_MEMBERSHIP = re.compile(r"\.(?:has|includes|test)\(\s*(\w+)\s*\)|(\w+)\s*===|===\s*(\w+)")


def checked_choice(node: Node) -> bool:
    """`ALLOWED.has(t) ? t : '/home'` (also inside `new URL(..., base)`): the value is used
    only when an allow-list accepted it."""
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node.type == "new_expression" and text(node.child_by_field_name("constructor")) == "URL":
        arguments = node.child_by_field_name("arguments")
        if arguments is not None and arguments.named_children:
            return checked_choice(arguments.named_children[0])
    if node.type != "ternary_expression":
        return False
    condition = node.child_by_field_name("condition")
    chosen = node.child_by_field_name("consequence")
    if condition is None or chosen is None or chosen.type != "identifier":
        return False
    checked = {name for group in _MEMBERSHIP.findall(text(condition)) for name in group if name}
    return text(chosen) in checked


PAYLOAD_KEYS = frozenset({"data", "create", "update", "$set", "values", "set"})
_WRAPPERS = frozenset(
    {"as_expression", "satisfies_expression", "non_null_expression", "parenthesized_expression",
     "await_expression", "type_assertion"}
)  # fmt: skip
# Fetch-API bodies (Next.js route handlers, Remix) and Hono's `c.req.json()` / `parseBody()`
_BODY_READ = re.compile(r"^(?:req|request|(?:c|ctx|context)\.req)\.(?:json|parseBody)$")
_FORM_READ = re.compile(r"^(?:req|request|(?:c|ctx|context)\.req)\.formData$")
_NAMES = frozenset({"identifier", "shorthand_property_identifier"})
_MAX_ALIASES = 4


def whole_body(node: Node | None, depth: int = 0) -> bool:
    """The whole request body: `req.body`, `ctx.request.body as Dto`, `await request.json()`,
    `await c.req.parseBody()`, `Object.fromEntries(await request.formData())`, an object that
    spreads one (`{ ...body, updatedAt }`), or a variable holding one."""
    while node is not None and node.type in _WRAPPERS and node.named_children:
        node = node.named_children[0]
    if node is None or depth > _MAX_ALIASES:
        return False
    if node.type == "object":
        return any(
            child.type == "spread_element"
            and child.named_children
            and whole_body(child.named_children[0], depth + 1)
            for child in node.named_children
        )
    if node.type in _NAMES:
        return _holds_whole_body(node, depth)
    if node.type == "call_expression":
        callee, given = _call_parts(node)
        if callee == "Object.fromEntries":
            return len(given) == 1 and _form(given[0], depth + 1)
        return not given and bool(_BODY_READ.match(callee))
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


def _form(node: Node, depth: int) -> bool:
    """`await request.formData()`, or a variable holding it (for `Object.fromEntries`)."""
    while node.type in _WRAPPERS and node.named_children:
        node = node.named_children[0]
    if node.type == "identifier":
        value = _declared_value(node)
        return value is not None and depth <= _MAX_ALIASES and _form(value, depth + 1)
    if node.type == "call_expression":
        callee, given = _call_parts(node)
        if not given and _FORM_READ.match(callee):
            return True
    return whole_body(node, depth)


def _holds_whole_body(identifier: Node, depth: int) -> bool:
    """`const body = await request.json()` earlier in the same function: `body` is the whole
    request body; so is the rest of a destructured body (`const { id, ...changes } = req.body`).
    Other destructured names are single fields."""
    value = _declared_value(identifier)
    return value is not None and whole_body(value, depth + 1)


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
