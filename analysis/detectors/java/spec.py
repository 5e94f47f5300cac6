"""How the taint engine reads Java: Spring/Servlet sources, sanitisers, bindings, methods."""

from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from analysis.detectors.java.jaxrs import is_entity, takes_entity
from analysis.detectors.java.stripping import stripped_kinds
from analysis.detectors.treesitter.guards import allow_list_guard
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import ANY_KIND, CONSTANT, Fact, FunctionShape

_SOURCE_ANNOTATIONS = re.compile(
    r"@(?:RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|ModelAttribute"
    r"|QueryParam|PathParam|FormParam|HeaderParam|MatrixParam|BeanParam|QueryValue|Body|Header"
    r"|Part|RestQuery|RestPath|RestForm|RestHeader|RestCookie|CookieParam)\b"
)
# a handler method: its InputStream / Reader / byte[] parameter is the request body
_HANDLER_ANNOTATIONS = re.compile(
    r"@(?:POST|PUT|PATCH|Post|Put|Patch|(?:Post|Put|Patch|Request)Mapping|Consumes)\b"
)
_BODY_TYPES = frozenset({"InputStream", "Reader", "byte[]"})
_SOURCE_METHODS = frozenset(
    {"getParameter", "getParameterValues", "getParameterMap", "getHeader", "getHeaders",
     "getCookies", "getQueryString", "getInputStream", "getReader", "getPathInfo",
     "getRequestURI", "getPart", "getParts",
     # Spring WebFlux ServerRequest, Vert.x HttpServerRequest
     "queryParam", "queryParams", "pathVariable", "pathVariables", "bodyToMono", "bodyToFlux",
     "formData", "multipartData", "cookies", "headers", "getParam", "params",
     "getFormAttribute", "formAttributes",
     # WebFlux ServerWebExchange / ServerHttpRequest, JDK HttpExchange
     "getQueryParams", "getFormData", "getMultipartData", "getRequestBody", "getRequestHeaders"}
)  # fmt: skip
_REQUEST_RECEIVER = re.compile(
    r"(?i)^(?:\w*request|req|serverRequest|\w*(?:routingContext|ctx|context|rc)\.request\(\)"
    r"|\w*exchange(?:\.getRequest\(\))?)$"
)
# Vert.x RoutingContext and Javalin Context accessors (`ctx.uploadedFile(n).content()` carries
# the upload through the chain)
_ROUTING_METHODS = frozenset(
    {"pathParam", "queryParam", "pathParams", "queryParams", "getBodyAsString",
     "getBodyAsJson", "getBodyAsJsonArray", "body", "fileUploads", "formParam", "formParams",
     "bodyAsBytes", "bodyInputStream", "bodyAsClass", "bodyStreamAsClass", "bodyValidator",
     "formParamMap", "formParamAsClass", "queryParamMap", "queryParamAsClass", "queryString",
     "pathParamMap", "pathParamAsClass", "headerMap", "headerAsClass", "cookieMap",
     "uploadedFile", "uploadedFiles", "uploadedFileMap"}
)  # fmt: skip
# read with one argument, written with two (`ctx.header("X-Id")` / `ctx.header("X-Id", v)`)
_ROUTING_GETTERS = frozenset({"header", "cookie"})
_ROUTING_RECEIVER = re.compile(r"(?i)^(?:\w*routingContext|rc|routingCtx|ctx|context)$")
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
    # Spring LDAP filter objects encode their value (`encode()` escapes it)
    "EqualsFilter": frozenset({"ldap"}),
    "LikeFilter": frozenset({"ldap"}),
    "GreaterThanOrEqualsFilter": frozenset({"ldap"}),
    "LessThanOrEqualsFilter": frozenset({"ldap"}),
    "WhitespaceWildcardsFilter": frozenset({"ldap"}),
    "URLEncoder.encode": frozenset({"html", "redirect", "ldap"}),
}
_BOOLEAN_METHODS = frozenset({"equals", "startsWith", "endsWith", "contains", "matches", "isEmpty"})
# methods that yield a number (a count, a length, a numeric column): no text reaches the sink
_NUMERIC_METHODS = re.compile(
    r"^(?:size|length|getLength|count|hashCode|compareTo|indexOf|lastIndexOf|intValue"
    r"|longValue|doubleValue|get(?:Int|Long|Double|Float|Short|Byte|Boolean)|equalsIgnoreCase"
    r"|containsKey|isPresent|isBlank)$"
)
# immutable collections built from their arguments: literals in, a literal table out
_LITERAL_TABLES = re.compile(
    r"^(?:(?:Map|Set|List)\.(?:of|copyOf|entry|ofEntries)|Arrays\.asList)$"
)
_LOOKUPS = frozenset({"get", "getOrDefault"})
_FORMATTERS = frozenset({"String.format", "String.join", "String.valueOf"})
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
            routed = name in _ROUTING_METHODS or (
                name in _ROUTING_GETTERS and len(arguments(node)) == 1
            )
            if routed and _ROUTING_RECEIVER.match(receiver):
                return f"{receiver}.{name}"
        return None

    def marks(self, node: Node) -> frozenset[str]:
        built = node.type == "binary_expression" or (
            node.type == "method_invocation" and method_name(node) in ("format", "formatted")
        )
        if not built:
            return frozenset()
        raw = text(node)
        marks = {"sql"} if _SQL_TEXT.search(raw) else set()
        if node.type == "binary_expression" and _spliced(node):
            marks.add("built")  # query text with a raw (not encoded) value spliced in
            if _FILTER_TEXT.search(raw):
                marks.add("filter")
        return frozenset(marks)

    def guards(self, node: Node) -> list[tuple[str, frozenset[str]]]:
        return allow_list_guard(node, self.identifier_types)

    def sanitiser(self, call: Node) -> frozenset[str] | None:
        known = _SANITISERS.get(qualified_name(call))
        if known is not None or call.type != "method_invocation":
            return known
        return stripped_kinds(call, method_name(call), arguments(call))

    def clears(self, node: Node) -> bool:
        if node.type == "binary_expression":
            return text(node.child_by_field_name("operator")) in _COMPARISONS
        if node.type == "method_invocation":
            name = method_name(node)
            return name in _BOOLEAN_METHODS or bool(_NUMERIC_METHODS.match(name))
        if node.type == "field_access":
            return text(node.child_by_field_name("field")) == "length"  # an array's size
        return False

    def derived(self, call: Node, fact: Callable[[Node], Fact]) -> Fact | None:
        if call.type != "method_invocation":
            return None
        qualified = qualified_name(call)
        args = arguments(call)
        if _LITERAL_TABLES.match(qualified) or qualified in _FORMATTERS:
            return CONSTANT if all(fact(a).constant for a in args) else None
        receiver = call.child_by_field_name("object")
        if method_name(call) in _LOOKUPS and receiver is not None and fact(receiver).constant:
            # a lookup in a literal table yields one of its values (or the literal default)
            return CONSTANT if all(fact(a).constant for a in args[1:]) else None
        return None

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
        annotations = text(next((c for c in node.children if c.type == "modifiers"), None))
        handler = node.type == "method_declaration" and _HANDLER_ANNOTATIONS.search(annotations)
        jaxrs = node.type == "method_declaration" and takes_entity(annotations)
        parameters = node.child_by_field_name("parameters")
        if parameters is not None:
            for param in parameters.named_children:
                if param.type in ("formal_parameter", "spread_parameter"):
                    name = text(param.child_by_field_name("name"))
                    modifiers = next((c for c in param.children if c.type == "modifiers"), None)
                    annotation = _SOURCE_ANNOTATIONS.search(text(modifiers))
                    source = annotation.group(0) if annotation else None
                    declared = re.sub(r"\s+", "", text(param.child_by_field_name("type")))
                    if source is None and handler and declared in _BODY_TYPES:
                        source = f"request body ({declared})"
                    elif source is None and jaxrs and is_entity(text(modifiers), declared):
                        source = f"request entity ({declared})"
                    params.append((name, source))
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
        # a class name (`Paths`, `java.util.Optional`) holds no data; a call chain that starts
        # at one (`Optional.ofNullable(x).orElse(..)`) carries what it was built from
        type_name = receiver is not None and receiver.type in ("identifier", "field_access")
        if receiver is not None and not (type_name and _CLASS_NAME.match(text(receiver))):
            inputs.append(receiver)
        return inputs + arguments(call)


_CLASS_NAME = re.compile(r"^(?:[a-z_]\w*\.)*[A-Z]")
_FILTER_TEXT = re.compile(r"\(\s*&?\(?[\w.-]+\s*[~<>]?=")
_ENCODER = re.compile(r"(?i)encode|escape|quote|sanitiz|sanitis")


def _spliced(node: Node) -> bool:
    """A `+` concatenation with a piece that is neither a literal nor an encoder's output."""
    if text(node.child_by_field_name("operator")) != "+":
        return False
    stack = [node]
    while stack:
        current = stack.pop()
        if (
            current.type == "binary_expression"
            and text(current.child_by_field_name("operator")) == "+"
        ):
            stack.extend(
                (current.child_by_field_name("left"), current.child_by_field_name("right"))
            )
        elif current.type == "parenthesized_expression":
            stack.extend(current.named_children)
        elif not _safe_piece(current):
            return True
    return False


def _safe_piece(node: Node) -> bool:
    if node.type.endswith("_literal"):
        return True
    return node.type == "method_invocation" and bool(_ENCODER.search(method_name(node)))


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
