"""Java framework sinks beyond Servlet/Spring MVC: MyBatis annotation mappers, WebFlux
WebClient / RestClient targets, redirects built by response APIs (redirects.py), Vert.x
responses, and where an unhardened DocumentBuilder parses (the XXE happens at `parse`, not
at `newInstance`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from analysis.detectors.java.redirects import redirect_hits
from analysis.detectors.java.spec import arguments, method_name, qualified_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text, walk
from analysis.detectors.treesitter.taint import Fact, TaintWalk

_MAPPER_ANNOTATIONS = frozenset({"Select", "Update", "Delete", "Insert"})
_SQL_WORDS = re.compile(
    r"(?i)\b(?:select|insert\s+into|update|delete\s+from|where|order\s+by|values|from)\b"
)
_RAW_SUBSTITUTION = re.compile(r"\$\{\s*(\w+)")
_NUMERIC_TYPES = frozenset(
    {"int", "long", "short", "Integer", "Long", "Short", "double", "Double", "float", "Float",
     "boolean", "Boolean", "BigDecimal", "BigInteger", "UUID"}
)  # fmt: skip
_CLIENT_CALL = re.compile(r"(?i)client\w*(?:\(\))?\.(?:get|post|put|patch|delete|head|method)\(")
_FIXED_URL = re.compile(r'^"https?://[^/"{]+/')
_ROUTING = re.compile(r"(?i)(?:routingContext|ctx|rc|context)(?:\.response\(\))?$")


def _request(fact: Fact | None) -> bool:
    return fact is not None and fact.source is not None and "getenv" not in fact.source


def check_frameworks(node: Node, walk: TaintWalk) -> Iterable[Hit]:
    if node.type == "method_declaration":  # the walk enters methods at their body only
        modifiers = next((c for c in node.children if c.type == "modifiers"), None)
        annotations = modifiers.named_children if modifiers is not None else []
        return [hit for a in annotations if a.type == "annotation" for hit in _mybatis(a, walk)]
    if node.type == "method_invocation":
        return _call(node, walk)
    return ()


def _mybatis(node: Node, walk: TaintWalk) -> list[Hit]:
    """`@Select("... ${name} ...")` splices the value into the SQL text; `#{name}` binds it."""
    if text(node.child_by_field_name("name")) not in _MAPPER_ANNOTATIONS:
        return []
    strings = [n for n in walk_strings(node.child_by_field_name("arguments"))]
    sql = " ".join(strings)
    names = _RAW_SUBSTITUTION.findall(sql)
    if not names or not _SQL_WORDS.search(sql):
        return []
    numeric = _numeric_parameters(node)
    spliced = [n for n in names if n not in numeric]
    if not spliced:
        return []
    detail = f"${{{spliced[0]}}} is pasted into the SQL text (use #{{{spliced[0]}}})"
    return [walk.hit("sql-injection", node, 0.85, detail)]


def walk_strings(node: Node | None) -> list[str]:
    if node is None:
        return []
    return [text(n)[1:-1] for n in walk(node) if n.type == "string_literal"]


def _numeric_parameters(annotation: Node) -> set[str]:
    """Names of the mapper method's parameters that can only hold numbers."""
    method = annotation.parent.parent if annotation.parent is not None else None
    if method is None or method.type != "method_declaration":
        return set()
    numeric: set[str] = set()
    parameters = method.child_by_field_name("parameters")
    for param in parameters.named_children if parameters is not None else []:
        if param.type != "formal_parameter":
            continue
        if text(param.child_by_field_name("type")) not in _NUMERIC_TYPES:
            continue
        numeric.add(text(param.child_by_field_name("name")))
        named = re.search(r'@Param\(\s*"(\w+)"', text(param))
        if named:
            numeric.add(named.group(1))
    return numeric


def _call(call: Node, walk: TaintWalk) -> list[Hit]:
    name = method_name(call)
    qualified = qualified_name(call)
    args = arguments(call)
    if not args:
        return []
    first = args[0]
    client = name == "uri" and _CLIENT_CALL.search(qualified) and "webClient" not in qualified
    if client and not _FIXED_URL.match(text(first)):
        return _tainted(walk, "ssrf", call, first, "ssrf", qualified)
    redirects = redirect_hits(call, walk)
    if redirects:
        return redirects
    receiver = text(call.child_by_field_name("object"))
    if name == "sendFile" and receiver.endswith("response()"):
        return _tainted(walk, "path-traversal", call, first, "path", qualified)
    if name == "redirect" and _ROUTING.search(receiver) and not re.match(r'^"/[^/]', text(first)):
        return _tainted(walk, "open-redirect", call, first, "redirect", qualified)
    return []


def _tainted(walk: TaintWalk, rule: str, call: Node, arg: Node, kind: str, sink: str) -> list[Hit]:
    fact = walk.tainted(arg, kind)
    if not _request(fact) or fact is None:
        return []
    return [walk.hit(rule, call, 0.85, f"{fact.source} reaches {sink}", fact)]


def unhardened_parse(factory_call: Node, walk: TaintWalk, scope: Node | None) -> Node | None:
    """The first `parse(...)` of a DocumentBuilder made from this factory, if any."""
    if scope is None:
        return None
    holder = factory_call.parent
    factory = text(holder.child_by_field_name("name")) if holder is not None else ""
    chained = holder is not None and holder.type == "method_invocation"
    if not factory and not chained:
        return None
    source = text(scope)
    builders = set(re.findall(rf"(\w+)\s*=\s*{re.escape(factory)}\.newDocumentBuilder\(\)", source))
    for node in walk_nodes(scope):
        if node.type != "method_invocation" or method_name(node) != "parse":
            continue
        receiver = text(node.child_by_field_name("object"))
        direct = receiver == f"{factory}.newDocumentBuilder()" if factory else False
        inline = chained and receiver.startswith(text(factory_call))
        if receiver in builders or direct or inline:
            return node
    return None


def walk_nodes(node: Node):
    return walk(node)
