"""How the taint engine reads JavaScript/TypeScript: sources, sanitisers, bindings, functions."""

from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from analysis.detectors.javascript.allow_lists import LiteralTables
from analysis.detectors.javascript.choices import chosen_value, literal_lookup
from analysis.detectors.javascript.file_facts import NO_FACTS, FileFacts, calls_thrower
from analysis.detectors.javascript.h3 import h3_request_read
from analysis.detectors.javascript.handler_params import parameter_sources
from analysis.detectors.javascript.sanitisers import sanitised_kinds
from analysis.detectors.javascript.sql_tags import SQL, sql_tagged_template, tagged_sql_call
from analysis.detectors.javascript.switches import switch_cases, switch_exit
from analysis.detectors.javascript.type_guards import (
    branch_guards,
    exit_guards,
    outside_type_tests,
)
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import Fact, FunctionShape

_REQUEST_PART = re.compile(
    r"^(?:req|request|ctx\.request|ctx|context\.request|event)\s*\.\s*"
    r"(?:query|params|body|headers|cookies|signedCookies|files?|queryStringParameters"
    r"|pathParameters|payload)$"
)
_REQUEST_GETTER = re.compile(r"^(?:req|request|ctx)\.(?:get|header|param|cookies\.get)$")
# AdonisJS's request (`ctx.request`, or `request` destructured from the HttpContext): the
# merged input, body, query string, route params, headers and cookies
_ADONIS_REQUEST = re.compile(
    r"^(?:request|(?:ctx|context)\.request)\.(?:input|all|body|qs|only|except|params|param"
    r"|header|headers|cookie|plainCookie|raw)$"
)
_BROWSER = re.compile(
    r"^(?:window\.|document\.)?(?:location(?:\.(?:hash|search|href|pathname))?"
    r"|document\.(?:URL|documentURI|referrer|baseURI)|(?:\w+\.)?(?:router|nextUrl)\.(?:query"
    r"|searchParams))$"
)
# Fetch-API request bodies (Next.js route handlers, Remix, Hono): `await request.json()`
_REQUEST_BODY_READ = re.compile(
    r"^(?:req|request|ctx\.req|c\.req)\.(?:json|formData|text|parseBody)$"
)
# Hono's request accessors: `c.req.query("url")`, `c.req.param("id")`, `c.req.header(...)`
_HONO_REQUEST = re.compile(r"^(?:c|ctx|context)\.req\.(?:query|queries|param|header)$")
# NestJS-style parameter decorators that bind request data to a parameter
_REQUEST_DECORATOR = re.compile(r"^@(Body|Query|Param|Params|Headers|Cookies|UploadedFile)\b")
_SEARCH_PARAMS_GET = re.compile(
    r"(?:searchParams|URLSearchParams\([^)]*\)|queryParamMap|paramMap)\.get$"
)
# Angular `ActivatedRoute` snapshots: `this.route.snapshot.queryParams`
_ROUTE_SNAPSHOT = re.compile(r"\.snapshot\.(?:queryParams|params|fragment)$")
_SQL_TEXT = re.compile(
    r"(?is)\b(?:select\s.+\sfrom|insert\s+into|update\s+\w+\s+set|delete\s+from)\b"
)

_SQL_MARK = frozenset({"sql"})
_ELEMENT_MAPPERS = frozenset({"map", "flatMap"})
_BOOLEAN_METHODS = frozenset(
    {"includes", "startsWith", "endsWith", "test", "has", "hasOwnProperty", "isValid", "some"}
)
_COMPARISONS = frozenset({"===", "!==", "==", "!=", "<", ">", "<=", ">=", "instanceof", "in"})
_GUARD_WORDS = re.compile(
    r"(?i)allow|whitelist|permitted|trusted|safe|\.startsWith\(|\.includes\(|\.has\(|\.test\("
    r"|===|!==|\bindexOf\("
)
_GUARD_EXIT = re.compile(r"\b(?:return|throw|next\s*\(|res\.status\s*\()")
_GUARDED_KINDS = frozenset({"ssrf", "redirect", "path", "prompt"})


class JavaScriptSpec:
    """Reads one file; `file` holds what its imports and directives say (sanitiser names,
    server actions, validation libraries)."""

    function_types = frozenset(
        {
            "function_declaration",
            "function_expression",
            "function",
            "arrow_function",
            "method_definition",
            "generator_function_declaration",
            "generator_function",
        }
    )
    call_types = frozenset({"call_expression", "new_expression"})
    identifier_types = frozenset({"identifier", "shorthand_property_identifier"})
    string_types = frozenset({"string", "template_string"})
    # an object key is literal text: `{ total: "total_cents" }` is a literal table
    constant_types = frozenset(
        {"number", "true", "false", "null", "undefined", "regex", "property_identifier"}
    )
    member_fields = {"member_expression": "object", "subscript_expression": "object"}
    return_types = frozenset({"return_statement"})

    def __init__(self, file: FileFacts = NO_FACTS) -> None:
        self.file = file
        self.tables = LiteralTables()

    def source(self, node: Node) -> str | None:
        """Request data (and browser-controlled values). `process.env` is deployment
        configuration, not a source: `path.join(process.env.DIR, req.params.name)` carries
        the request's name, and a configured base URL fixes a request's host."""
        kind = node.type
        if kind == "member_expression":
            raw = _compact(text(node))
            if _REQUEST_PART.match(raw) or _BROWSER.match(raw) or _ROUTE_SNAPSHOT.search(raw):
                return raw
        elif kind == "identifier" and text(node) == "location":
            return "location"
        elif kind == "call_expression":
            function = node.child_by_field_name("function")
            if (
                function is not None
                and function.type == "await_expression"
                and function.named_children
            ):
                function = function.named_children[0]  # TypeScript: `await c.req.json<T>()`
            callee = _compact(text(function))
            if (
                _REQUEST_GETTER.match(callee)
                or _ADONIS_REQUEST.match(callee)
                or _SEARCH_PARAMS_GET.search(callee)
                or _REQUEST_BODY_READ.match(callee)
                or _HONO_REQUEST.match(callee)
            ):
                return callee
            if h3_request_read(callee, node, self.file):
                return callee
        return None

    def marks(self, node: Node) -> frozenset[str]:
        """ "sql" on SQL-looking text built by concatenation or an untagged template (the
        text of a SQL library's tag is parameterised, not built)."""
        kind = node.type
        if kind == "binary_expression" and text(node.child_by_field_name("operator")) != "+":
            return frozenset()
        if kind == "template_string" and sql_tagged_template(node):
            return frozenset()
        if kind in ("template_string", "binary_expression") and _SQL_TEXT.search(text(node)):
            return _SQL_MARK
        return frozenset()

    def guards(self, node: Node) -> list[tuple[str, frozenset[str]]]:
        """`if (!ALLOWED.has(url)) return ...` / `if (p.startsWith(base)) {...}` allow-lists,
        and type guards / validations that leave a value a primitive."""
        kind = node.type
        if kind == "expression_statement":
            return exit_guards(node, self.file, self.tables)
        if kind == "switch_statement":
            return switch_exit(node, self.file)
        if kind != "if_statement":
            return []
        return exit_guards(node, self.file, self.tables) + self._allow_list(node)

    def branch_guards(self, node: Node) -> list[tuple[Node, str, frozenset[str]]]:
        if node.type == "if_statement":
            return branch_guards(node, self.tables)
        return switch_cases(node) if node.type == "switch_body" else []

    def conditional(self, node: Node, fact: Callable[[Node], Fact]) -> Fact | None:
        """`COLUMNS.includes(c) ? c : "id"`: see `choices.chosen_value`."""
        return chosen_value(node, fact, self.tables)

    def derived(self, call: Node, fact: Callable[[Node], Fact]) -> Fact | None:
        """`new Map([...])`, `SORTS.get(key)`: see `choices.literal_lookup`."""
        return literal_lookup(call, fact)

    def _allow_list(self, node: Node) -> list[tuple[str, frozenset[str]]]:
        condition = node.child_by_field_name("condition")
        if condition is None:
            return []
        raw, names = outside_type_tests(condition)
        if not _GUARD_WORDS.search(raw):
            return []
        consequence = text(node.child_by_field_name("consequence"))
        negated = raw.lstrip("( ").startswith("!") or "!==" in raw or "=== -1" in raw
        if negated and not (
            _GUARD_EXIT.search(consequence) or calls_thrower(consequence, self.file)
        ):
            return []
        return [(name, _GUARDED_KINDS) for name in sorted(names)]

    def sanitiser(self, call: Node) -> frozenset[str] | None:
        function = call.child_by_field_name("function")
        if function is None:
            return None
        if tagged_sql_call(call):
            return SQL
        return sanitised_kinds(_compact(text(function)), self.file)

    def clears(self, node: Node) -> bool:
        kind = node.type
        if kind == "binary_expression":
            return text(node.child_by_field_name("operator")) in _COMPARISONS
        if kind == "unary_expression":
            return text(node.child_by_field_name("operator")) in ("!", "typeof", "void")
        if kind == "member_expression":
            return text(node.child_by_field_name("property")) == "length"
        if kind == "call_expression":
            function = node.child_by_field_name("function")
            if function is not None and function.type == "member_expression":
                return text(function.child_by_field_name("property")) in _BOOLEAN_METHODS
        return False

    def bindings(self, node: Node) -> list[tuple[str, Node | None, bool]]:
        kind = node.type
        if kind == "variable_declarator":
            value = node.child_by_field_name("value")
            return [(name, value, False) for name in _names(node.child_by_field_name("name"))]
        if kind in ("assignment_expression", "augmented_assignment_expression"):
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            augmented = kind == "augmented_assignment_expression"
            if left is not None and left.type == "identifier":
                return [(text(left), right, augmented)]
            return [(name, right, False) for name in _names(left)] if left else []
        if kind == "for_in_statement":
            right = node.child_by_field_name("right")
            return [(name, right, False) for name in _names(node.child_by_field_name("left"))]
        return []

    def function(self, node: Node) -> FunctionShape | None:
        name_node = node.child_by_field_name("name")
        params = node.child_by_field_name("parameters") or node.child_by_field_name("parameter")
        body = node.child_by_field_name("body")
        bound: list[tuple[str, str | None]] = []
        if params is not None and params.type == "identifier":
            bound = [(text(params), None)]
        elif params is not None:
            for child in params.named_children:
                source = _decorated_source(child)
                bound.extend((name, source) for name in _names_of_parameter(child))
        return FunctionShape(
            name=text(name_node) if name_node is not None else None,
            params=tuple(parameter_sources(node, bound, self.file.server_actions)),
            body=body,
            expression_body=body is not None and body.type != "statement_block",
        )

    def call_target(self, call: Node) -> str | None:
        function = call.child_by_field_name("function")
        if function is None:
            return None
        if function.type == "identifier":
            return text(function)
        if function.type == "member_expression" and text(
            function.child_by_field_name("object")
        ) in ("this", "self"):
            return text(function.child_by_field_name("property"))
        return None

    def callback_result(self, call: Node) -> tuple[Node | None, Node] | None:
        """`xs.map(x => ...)` yields what the callback returns for an element of `xs`;
        React's `useMemo(() => ..., deps)` yields what its factory returns."""
        function = call.child_by_field_name("function")
        arguments = call.child_by_field_name("arguments")
        if function is None or arguments is None or call.type != "call_expression":
            return None
        given = [c for c in arguments.named_children if c.type != "comment"]
        if not given or given[0].type not in ("arrow_function", "function_expression"):
            return None
        if function.type == "member_expression":
            method = text(function.child_by_field_name("property"))
            if method in _ELEMENT_MAPPERS:
                return function.child_by_field_name("object"), given[0]
            if method != "useMemo":
                return None
        elif text(function) != "useMemo":
            return None
        return None, given[0]

    def call_inputs(self, call: Node) -> list[Node]:
        inputs: list[Node] = []
        function = call.child_by_field_name("function")
        if function is not None and function.type == "member_expression":
            receiver = function.child_by_field_name("object")
            if receiver is not None:
                inputs.append(receiver)
        arguments = call.child_by_field_name("arguments")
        if arguments is not None:
            if arguments.type == "template_string":
                inputs.append(arguments)
            else:
                inputs.extend(c for c in arguments.named_children if c.type != "comment")
        return inputs


def _compact(raw: str) -> str:
    return re.sub(r"\s+|\?(?=\.)", "", raw)


_PATTERN_NAMES = frozenset({"identifier", "shorthand_property_identifier_pattern"})


def _names(pattern: Node | None) -> list[str]:
    """Variable names bound by a declarator / parameter list / destructuring pattern."""
    if pattern is None:
        return []
    if pattern.type in _PATTERN_NAMES:
        return [text(pattern)]
    names: list[str] = []
    for child in pattern.named_children:
        if child.type == "pair_pattern":
            names.extend(_names(child.child_by_field_name("value")))
        elif child.type in ("assignment_pattern", "object_assignment_pattern"):
            names.extend(_names(child.child_by_field_name("left")))
        elif child.type in ("required_parameter", "optional_parameter"):
            names.extend(_names(child.child_by_field_name("pattern")))
        elif child.type in _PATTERN_NAMES or child.type.endswith("pattern"):
            names.extend(_names(child))
    return names


def _names_of_parameter(parameter: Node) -> list[str]:
    if parameter.type in ("required_parameter", "optional_parameter"):
        return _names(parameter.child_by_field_name("pattern"))
    if parameter.type in _PATTERN_NAMES:
        return [text(parameter)]
    if parameter.type in ("assignment_pattern", "object_assignment_pattern"):
        return _names(parameter.child_by_field_name("left"))
    return _names(parameter) if parameter.type.endswith("pattern") else []


def _decorated_source(parameter: Node) -> str | None:
    """`@Body() dto: Dto` binds the request body to `dto` (TypeScript parameter decorators)."""
    for child in parameter.children:
        if child.type == "decorator":
            found = _REQUEST_DECORATOR.match(_compact(text(child)))
            if found:
                return f"@{found.group(1)}()"
    return None


def callee_name(call: Node) -> str:
    """`db.query`, `exec`, `new Function` -> `Function`; whitespace and `?.` removed."""
    function = call.child_by_field_name("function") or call.child_by_field_name("constructor")
    return _compact(text(function))


def arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    if args.type == "template_string":
        return [args]
    return [c for c in args.named_children if c.type != "comment"]


def is_sql_text(raw: str) -> bool:
    return bool(_SQL_TEXT.search(raw))
