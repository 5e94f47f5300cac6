"""How the taint engine reads Java: Spring/Servlet sources, sanitisers, bindings, methods."""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.treesitter.guards import allow_list_guard
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import ANY_KIND, FunctionShape

_SOURCE_ANNOTATIONS = re.compile(
    r"@(?:RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|ModelAttribute"
    r"|QueryParam|PathParam|FormParam|HeaderParam)\b"
)
_SOURCE_METHODS = frozenset(
    {"getParameter", "getParameterValues", "getParameterMap", "getHeader", "getHeaders",
     "getCookies", "getQueryString", "getInputStream", "getReader", "getPathInfo",
     "getRequestURI", "getPart", "getParts"}
)  # fmt: skip
_REQUEST_RECEIVER = re.compile(r"(?i)^(?:\w*request|req)$")
_SANITISERS: dict[str, frozenset[str]] = {
    "Integer.parseInt": frozenset({ANY_KIND}),
    "Integer.valueOf": frozenset({ANY_KIND}),
    "Long.parseLong": frozenset({ANY_KIND}),
    "Long.valueOf": frozenset({ANY_KIND}),
    "UUID.fromString": frozenset({ANY_KIND}),
    "Encode.forHtml": frozenset({"html"}),
    "StringEscapeUtils.escapeHtml4": frozenset({"html"}),
    "HtmlUtils.htmlEscape": frozenset({"html"}),
    "Jsoup.clean": frozenset({"html"}),
    "FilenameUtils.getName": frozenset({"path"}),
    "LdapEncoder.filterEncode": frozenset({"ldap"}),
    "URLEncoder.encode": frozenset({"html", "redirect", "ldap"}),
}
_BOOLEAN_METHODS = frozenset({"equals", "startsWith", "endsWith", "contains", "matches", "isEmpty"})
_COMPARISONS = frozenset({"==", "!=", "<", ">", "<=", ">=", "&&", "||", "instanceof"})
_SQL_TEXT = re.compile(
    r"(?is)\b(?:select\s.+\sfrom|insert\s+into|update\s+\w+\s+set|delete\s+from)\b"
)


class JavaSpec:
    function_types = frozenset(
        {"method_declaration", "constructor_declaration", "lambda_expression"}
    )
    call_types = frozenset({"method_invocation", "object_creation_expression"})
    identifier_types = frozenset({"identifier"})
    string_types = frozenset({"string_literal"})
    constant_types = frozenset(
        {"decimal_integer_literal", "hex_integer_literal", "decimal_floating_point_literal",
         "true", "false", "null_literal", "character_literal"}
    )  # fmt: skip
    member_fields = {"field_access": "object", "array_access": "array"}
    return_types = frozenset({"return_statement"})

    def source(self, node: Node) -> str | None:
        if node.type == "method_invocation":
            name = text(node.child_by_field_name("name"))
            receiver = text(node.child_by_field_name("object"))
            if name in _SOURCE_METHODS and _REQUEST_RECEIVER.match(receiver):
                return f"{receiver}.{name}"
        return None

    def marks(self, node: Node) -> frozenset[str]:
        built = node.type == "binary_expression" or (
            node.type == "method_invocation" and method_name(node) in ("format", "formatted")
        )
        if built and _SQL_TEXT.search(text(node)):
            return frozenset({"sql"})
        return frozenset()

    def guards(self, node: Node) -> list[tuple[str, frozenset[str]]]:
        return allow_list_guard(node, self.identifier_types)

    def sanitiser(self, call: Node) -> frozenset[str] | None:
        return _SANITISERS.get(qualified_name(call))

    def clears(self, node: Node) -> bool:
        if node.type == "binary_expression":
            return text(node.child_by_field_name("operator")) in _COMPARISONS
        if node.type == "method_invocation":
            return method_name(node) in _BOOLEAN_METHODS
        return False

    def bindings(self, node: Node) -> list[tuple[str, Node | None, bool]]:
        kind = node.type
        if kind == "variable_declarator":
            return [
                (text(node.child_by_field_name("name")), node.child_by_field_name("value"), False)
            ]
        if kind == "assignment_expression":
            left = node.child_by_field_name("left")
            if left is None or left.type != "identifier":
                return []
            augmented = text(node.child_by_field_name("operator")) == "+="
            return [(text(left), node.child_by_field_name("right"), augmented)]
        if kind == "enhanced_for_statement":
            return [
                (text(node.child_by_field_name("name")), node.child_by_field_name("value"), False)
            ]
        return []

    def function(self, node: Node) -> FunctionShape | None:
        params: list[tuple[str, str | None]] = []
        parameters = node.child_by_field_name("parameters")
        if parameters is not None:
            for param in parameters.named_children:
                if param.type in ("formal_parameter", "spread_parameter"):
                    name = text(param.child_by_field_name("name"))
                    modifiers = next((c for c in param.children if c.type == "modifiers"), None)
                    annotation = _SOURCE_ANNOTATIONS.search(text(modifiers))
                    params.append((name, annotation.group(0) if annotation else None))
                elif param.type == "identifier":
                    params.append((text(param), None))
                elif param.type == "inferred_parameters":
                    params.extend((text(c), None) for c in param.named_children)
        body = node.child_by_field_name("body")
        name = node.child_by_field_name("name")
        return FunctionShape(
            name=text(name) if name is not None and node.type == "method_declaration" else None,
            params=tuple(params),
            body=body,
            expression_body=body is not None and body.type != "block",
        )

    def call_target(self, call: Node) -> str | None:
        if call.type != "method_invocation":
            return None
        receiver = call.child_by_field_name("object")
        if receiver is None or text(receiver) == "this":
            return method_name(call)
        return None

    def call_inputs(self, call: Node) -> list[Node]:
        inputs: list[Node] = []
        receiver = call.child_by_field_name("object")
        if receiver is not None and not text(receiver)[:1].isupper():
            inputs.append(receiver)
        return inputs + arguments(call)


def method_name(call: Node) -> str:
    if call.type == "object_creation_expression":
        return text(call.child_by_field_name("type"))
    return text(call.child_by_field_name("name"))


def qualified_name(call: Node) -> str:
    """`Class.method` / `receiver.method` / `new Type` -> `Type`."""
    if call.type == "object_creation_expression":
        return text(call.child_by_field_name("type"))
    receiver = call.child_by_field_name("object")
    name = method_name(call)
    if receiver is None:
        return name
    return re.sub(r"\s+", "", text(receiver)) + "." + name


def arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [
        c for c in args.named_children if c.type not in ("comment", "line_comment", "block_comment")
    ]
