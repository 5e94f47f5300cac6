"""How the taint engine reads Go: net/http, gorilla/mux and gin sources; sanitisers."""

from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from analysis.detectors.go.archives import archive_entry_field
from analysis.detectors.go.pathguards import path_guards, rejects_only_literals
from analysis.detectors.go.sanitisers import library_sanitiser
from analysis.detectors.go.sql_calls import SQL_TEXT
from analysis.detectors.treesitter.guards import allow_list_guard
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import ANY_KIND, CONSTANT, Fact, FunctionShape

_SOURCE_CALL = re.compile(
    r"^(?:\w+\.(?:FormValue|PostFormValue|URL\.Query|Header\.Get|Cookie|Query|Param|PostForm"
    r"|GetHeader|DefaultQuery|DefaultPostForm|GetQuery|QueryParam|FormFile|(?:Should)?Bind\w*)"
    r"|mux\.Vars|os\.Getenv|os\.LookupEnv|chi\.URLParam"
    # fiber and echo request accessors, on the handler's context only
    r"|(?:c|ctx)\.(?:Params|AllParams|Queries|Cookies|Body|BodyParser|QueryParser|ParamsParser"
    r"|ReqHeaderParser|OriginalURL|ParamValues|QueryParams|QueryString|FormParams))$"
)
_SOURCE_FIELD = re.compile(
    r"^(?:r|req|request|c|ctx)\.(?:URL\.(?:Path|RawQuery)|Body|Form|PostForm|Header)$"
)
_SANITISERS: dict[str, frozenset[str]] = {
    "strconv.Atoi": frozenset({ANY_KIND}),
    "strconv.ParseInt": frozenset({ANY_KIND}),
    "strconv.ParseUint": frozenset({ANY_KIND}),
    "strconv.ParseFloat": frozenset({ANY_KIND}),
    "strconv.ParseBool": frozenset({ANY_KIND}),
    "uuid.Parse": frozenset({ANY_KIND}),
    "filepath.Base": frozenset({"path"}),
    "path.Base": frozenset({"path"}),
    "html.EscapeString": frozenset({"html"}),
    "template.HTMLEscapeString": frozenset({"html"}),
    "url.QueryEscape": frozenset({"html", "redirect", "shell"}),
    "url.PathEscape": frozenset({"html", "redirect"}),
    "ldap.EscapeFilter": frozenset({"ldap"}),
}
_BOOLEAN = re.compile(
    r"^(?:strings\.(?:HasPrefix|HasSuffix|Contains|EqualFold)|len|regexp\.\w+\.MatchString)$"
)
# calls whose result is built only from their inputs: constant in, constant out
_PURE_BUILDERS = re.compile(
    r"^(?:fmt\.Sprint\w*|strings\.(?:Join|To\w+|Trim\w*|Replace\w*|Repeat|Title)"
    r"|strconv\.(?:Itoa|Format\w+|Quote)|(?:file)?path\.Join)$"
)
_COMPARISONS = frozenset({"==", "!=", "<", ">", "<=", ">=", "&&", "||"})


class GoSpec:
    function_types = frozenset({"function_declaration", "method_declaration", "func_literal"})
    call_types = frozenset({"call_expression"})
    identifier_types = frozenset({"identifier"})
    string_types = frozenset({"interpreted_string_literal", "raw_string_literal"})
    # type nodes hold no data: `map[string]string{...}` is as constant as its elements
    constant_types = frozenset(
        {"int_literal", "float_literal", "true", "false", "nil", "rune_literal",
         "type_identifier", "qualified_type", "map_type", "slice_type", "array_type",
         "pointer_type", "generic_type", "struct_type", "interface_type"}
    )  # fmt: skip
    member_fields = {"selector_expression": "operand", "index_expression": "operand"}
    return_types = frozenset({"return_statement"})

    def source(self, node: Node) -> str | None:
        if node.type == "call_expression":
            callee = callee_name(node)
            if _SOURCE_CALL.match(callee):
                return callee
        elif node.type == "selector_expression":
            if _SOURCE_FIELD.match(text(node)):
                return text(node)
            return archive_entry_field(node)
        return None

    def marks(self, node: Node) -> frozenset[str]:
        built = node.type == "binary_expression" or (
            node.type == "call_expression" and callee_name(node).endswith("printf")
        )
        if built and SQL_TEXT.search(text(node)):
            return frozenset({"sql"})
        return frozenset()

    def guards(self, node: Node) -> list[tuple[str, frozenset[str]]]:
        if rejects_only_literals(node):
            return path_guards(node)
        return allow_list_guard(node, self.identifier_types) + path_guards(node)

    def sanitiser(self, call: Node) -> frozenset[str] | None:
        callee = callee_name(call)
        known = _SANITISERS.get(callee)
        return known if known is not None else library_sanitiser(call, callee)

    def derived(self, call: Node, fact: Callable[[Node], Fact]) -> Fact | None:
        if _PURE_BUILDERS.match(callee_name(call)):
            inputs = arguments(call)
            if inputs and all(fact(i).constant for i in inputs):
                return CONSTANT
        return None

    def clears(self, node: Node) -> bool:
        if node.type == "binary_expression":
            return text(node.child_by_field_name("operator")) in _COMPARISONS
        if node.type == "call_expression":
            return bool(_BOOLEAN.match(callee_name(node)))
        return False

    def bindings(self, node: Node) -> list[tuple[str, Node | None, bool]]:
        kind = node.type
        if kind in ("short_var_declaration", "assignment_statement", "range_clause"):
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            augmented = (
                kind == "assignment_statement"
                and text(node.child_by_field_name("operator")) == "+="
            )
            return _pairs(left, right, augmented)
        if kind == "call_expression":
            return _decoded_into(node)
        if kind in ("var_spec", "const_spec"):
            names = [text(c) for c in node.children_by_field_name("name")]
            value = node.child_by_field_name("value")
            values = value.named_children if value is not None else []
            if len(values) == len(names):
                return [(n, v, False) for n, v in zip(names, values, strict=True)]
            return [(n, values[0] if values else None, False) for n in names]
        return []

    def function(self, node: Node) -> FunctionShape | None:
        params = node.child_by_field_name("parameters")
        names: list[str] = []
        if params is not None:
            for declaration in params.named_children:
                names.extend(text(n) for n in declaration.children_by_field_name("name"))
        name = node.child_by_field_name("name")
        return FunctionShape(
            name=text(name) if name is not None else None,
            params=tuple((n, None) for n in names),
            body=node.child_by_field_name("body"),
        )

    def call_target(self, call: Node) -> str | None:
        function = call.child_by_field_name("function")
        if function is not None and function.type == "identifier":
            return text(function)
        return None

    def call_inputs(self, call: Node) -> list[Node]:
        inputs: list[Node] = []
        function = call.child_by_field_name("function")
        if function is not None and function.type == "selector_expression":
            operand = function.child_by_field_name("operand")
            if (operand is not None and operand.type != "identifier") or _is_variable(operand):
                inputs.append(operand)
        return inputs + arguments(call)


def _is_variable(node: Node | None) -> bool:
    """A lower-case receiver that is not a package name we know (fmt, strings, ...)."""
    return node is not None and text(node) not in _PACKAGES


_PACKAGES = frozenset(
    {"fmt", "strings", "strconv", "filepath", "path", "os", "http", "url", "html", "template",
     "exec", "json", "bytes", "io", "ioutil", "errors", "time", "sql", "log"}
)  # fmt: skip


def _decoded_into(call: Node) -> list[tuple[str, Node | None, bool]]:
    """`dec.Decode(&v)` / `json.Unmarshal(data, &v)` / `c.Bind(&v)` fill `v` from their input."""
    callee = callee_name(call)
    given = arguments(call)
    targets = [a for a in given if a.type == "unary_expression" and text(a).startswith("&")]
    if not targets:
        return []
    value: Node | None = None
    if _DECODE.search(callee):
        function = call.child_by_field_name("function")
        value = function.child_by_field_name("operand") if function is not None else None
    elif _UNMARSHAL.match(callee) and len(given) >= 2:
        value = given[0]
    elif _SOURCE_CALL.match(callee):
        value = call
    name = text(targets[-1].child_by_field_name("operand"))
    if value is None or not re.fullmatch(r"\w+", name):
        return []
    return [(name, value, False)]


_DECODE = re.compile(r"\.Decode$")
_UNMARSHAL = re.compile(r"^(?:json|xml|yaml|toml)\.Unmarshal$")


def _pairs(
    left: Node | None, right: Node | None, augmented: bool
) -> list[tuple[str, Node | None, bool]]:
    if left is None:
        return []
    names = [text(n) if n.type == "identifier" else "" for n in left.named_children]
    values = (
        right.named_children
        if right is not None and right.type == "expression_list"
        else ([right] if right is not None else [])
    )
    if len(values) == len(names):
        pairs = zip(names, values, strict=True)
    else:
        pairs = ((n, values[0] if values else None) for n in names)
    return [(n, v, augmented) for n, v in pairs if n and n != "_"]


def callee_name(call: Node) -> str:
    return re.sub(r"\s+", "", text(call.child_by_field_name("function")))


def arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [c for c in args.named_children if c.type != "comment"]
