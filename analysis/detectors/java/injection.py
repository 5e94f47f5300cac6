"""Java sinks fed by the taint engine: JDBC/JPA, processes, scripts, XML, deserialisation,
servlet output, files, outbound URLs, LDAP (see `ldap`), XPath and redirects."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from analysis.detectors.java.frameworks import unhardened_parse
from analysis.detectors.java.ldap import ldap_filter
from analysis.detectors.java.redirects import checked_target
from analysis.detectors.java.responses import non_markup_response
from analysis.detectors.java.spec import arguments, method_name, qualified_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import Fact, TaintWalk

_SQL_METHODS = frozenset(
    {"executeQuery", "executeUpdate", "execute", "addBatch", "prepareStatement", "createQuery",
     "createNativeQuery", "createSQLQuery", "queryForObject", "queryForList", "queryForMap",
     "query", "update", "batchUpdate", "prepareCall"}
)  # fmt: skip
_FILE_TYPES = frozenset(
    {"File", "FileInputStream", "FileOutputStream", "FileReader", "FileWriter", "RandomAccessFile"}
)
_FILE_CALLS = re.compile(r"^(?:Paths\.get|Path\.of|Files\.\w+)$")
_REST_CALLS = frozenset(
    {"getForObject", "getForEntity", "postForObject", "postForEntity", "exchange", "put"}
)
_XML_FACTORIES = re.compile(
    r"^(?:DocumentBuilderFactory|SAXParserFactory|XMLInputFactory|TransformerFactory"
    r"|SchemaFactory|SAXReader|SAXBuilder)\.(?:newInstance|newFactory|newDefaultInstance)$"
)
_XXE_HARDENED = re.compile(
    r"disallow-doctype-decl|external-general-entities|SUPPORT_DTD|ACCESS_EXTERNAL_DTD"
    r"|IS_SUPPORTING_EXTERNAL_ENTITIES|setExpandEntityReferences\(\s*false|load-external-dtd"
)
_HTML_MARKUP = re.compile(r"<[a-zA-Z/!]")


def _request(fact: Fact | None) -> bool:
    return fact is not None and fact.source is not None and "getenv" not in fact.source


def _detail(fact: Fact, sink: str) -> str:
    return f"{fact.source} reaches {sink}"


def check_injection(node: Node, walk: TaintWalk) -> Iterable[Hit]:
    if node.type in ("method_invocation", "object_creation_expression"):
        return _call(node, walk)
    if node.type == "return_statement":
        return _spring_redirect(node, walk)
    return ()


def _fixed_program_argv(call: Node, args: list[Node]) -> bool:
    """`new ProcessBuilder("ping", "-c", "3", host)`: a literal program that is not a shell,
    given its arguments one by one."""
    if call.type != "object_creation_expression" or len(args) < 2:
        return False
    program = args[0]
    if program.type != "string_literal":
        return False
    name = text(program).strip('"').rsplit("/", 1)[-1].lower()
    return name not in _JAVA_SHELLS


_JAVA_SHELLS = frozenset({"sh", "bash", "zsh", "ksh", "dash", "cmd", "cmd.exe", "powershell",
                          "powershell.exe", "pwsh"})  # fmt: skip


def _call(call: Node, walk: TaintWalk) -> list[Hit]:
    name = method_name(call)
    qualified = qualified_name(call)
    args = arguments(call)
    hits: list[Hit] = []
    if _XML_FACTORIES.match(qualified) and not _hardened(_enclosing_class(call)):
        hits.append(_xxe(walk, call, qualified))
    if not args:
        return hits
    first = args[0]
    if call.type == "method_invocation" and name in _SQL_METHODS:
        hits.extend(_sql(walk, call, first, name))
    if (name == "exec" and "Runtime" in qualified) or (
        call.type == "object_creation_expression" and name == "ProcessBuilder"
    ):
        fact = next((f for f in (walk.fact(a) for a in args) if f.tainted_for("shell")), None)
        if fact is not None and _fixed_program_argv(call, args):
            fact = None  # no shell parses the arguments: each reaches the program as one word
        if fact is not None:
            hits.append(walk.hit("shell-injection", call, 0.9, _detail(fact, qualified), fact))
        elif name == "exec" and first.type == "binary_expression" and not walk.fact(first).constant:
            hits.append(walk.hit("shell-injection", call, 0.75, "command built from variables"))
    if name == "eval" and re.search(r"(?i)engine|script|nashorn|js", qualified):
        hits.extend(_tainted(walk, "code-injection", call, first, "code", qualified, 0.9))
    created = call.type == "object_creation_expression"
    if name in ("ObjectInputStream", "XMLDecoder") and created and not _filtered_stream(call):
        hits.extend(
            _tainted(walk, "unsafe-deserialization", call, first, "deserialize", name, 0.85)
        )
    if name in ("write", "print", "println", "printf", "append") and re.search(
        r"getWriter\(\)|getOutputStream\(\)|^(?:out|writer|pw)\.", qualified
    ):
        fact = walk.tainted(first, "html")
        if _request(fact) and fact is not None and not non_markup_response(call):
            confidence = 0.85 if _HTML_MARKUP.search(text(first)) else 0.75
            hits.append(walk.hit("xss", call, confidence, _detail(fact, qualified), fact))
    if (call.type == "object_creation_expression" and name in _FILE_TYPES) or _FILE_CALLS.match(
        qualified
    ):
        fact = next((f for f in (walk.fact(a) for a in args) if f.tainted_for("path")), None)
        if _request(fact) and fact is not None:
            hits.append(walk.hit("path-traversal", call, 0.85, _detail(fact, name), fact))
    hits.extend(_outbound(walk, call, name, qualified, first))
    hits.extend(ldap_filter(walk, call))
    if name in ("evaluate", "compile") and re.search(r"(?i)xpath", qualified):
        fact = walk.tainted(first, "xpath")
        if _request(fact) and fact is not None:
            hits.append(walk.hit("xpath-injection", call, 0.85, _detail(fact, qualified), fact))
    if name == "sendRedirect" or (
        call.type == "object_creation_expression" and name == "RedirectView"
    ):
        fact = walk.tainted(first, "redirect")
        relative = re.match(r'^"/[^/]', text(first))
        if _request(fact) and fact is not None and not relative and not checked_target(first, call):
            hits.append(walk.hit("open-redirect", call, 0.8, _detail(fact, name), fact))
    return hits


def _filtered_stream(creation: Node) -> bool:
    """An ObjectInputStream that only admits listed classes: an anonymous subclass overriding
    `resolveClass`, or a JEP 290 filter set on it (`in.setObjectInputFilter(...)`)."""
    body = next((c for c in creation.named_children if c.type == "class_body"), None)
    if body is not None and "resolveClass" in text(body):
        return True
    holder = creation.parent
    if holder is None or holder.type not in ("variable_declarator", "resource"):
        return False
    variable = re.escape(text(holder.child_by_field_name("name")))
    scope = _enclosing_method_text(creation)
    return re.search(rf"\b{variable}\.setObjectInputFilter\(", scope) is not None


def _enclosing_method_text(node: Node) -> str:
    current: Node | None = node
    while current is not None and current.type not in (
        "method_declaration",
        "constructor_declaration",
        "lambda_expression",
    ):
        current = current.parent
    return text(current)


def _xxe(walk: TaintWalk, factory: Node, qualified: str) -> Hit:
    """Reported where the unhardened builder parses; at the factory when no parse is seen
    (or the parse line is unchanged and the factory line is new)."""
    detail = f"{qualified} without disabling DTDs"
    parse = None
    if qualified.startswith("DocumentBuilderFactory."):
        parse = unhardened_parse(factory, walk, _enclosing_class_node(factory))
    if parse is None:
        return walk.hit("xxe", factory, 0.8, detail)
    line = walk.line(factory)
    return walk.hit("xxe", parse, 0.8, f"parse with {detail}", Fact(lines=(line,)))


def _sql(walk: TaintWalk, call: Node, query: Node, name: str) -> list[Hit]:
    fact = walk.fact(query)
    if fact.constant:
        return []
    if fact.tainted_for("sql") and ("sql" in fact.marks or name.startswith(("execute", "create"))):
        return [walk.hit("sql-injection", call, 0.9, _detail(fact, name), fact)]
    if fact.source is not None:
        return []  # request data a sanitiser (number parsing, escaping) made safe
    if "sql" in fact.marks:
        confidence = 0.85 if query.type != "identifier" else 0.75
        return [
            walk.hit("sql-injection", call, confidence, "query text built by concatenation", fact)
        ]
    return []


def _tainted(
    walk: TaintWalk, rule: str, call: Node, arg: Node, kind: str, sink: str, confidence: float
) -> list[Hit]:
    fact = walk.tainted(arg, kind)
    if fact is None:
        return []
    return [walk.hit(rule, call, confidence, _detail(fact, sink), fact)]


def _outbound(walk: TaintWalk, call: Node, name: str, qualified: str, first: Node) -> list[Hit]:
    is_url = call.type == "object_creation_expression" and name == "URL"
    uses_connection = is_url and (
        b".openConnection(" in walk.parsed.source or b".openStream(" in walk.parsed.source
    )
    rest = name in _REST_CALLS and re.search(r"(?i)rest|template|client", qualified)
    uri = qualified == "WebClient.create" or (name in ("uri",) and "webClient" in qualified)
    if not ((is_url and uses_connection) or rest or uri):
        return []
    if re.match(r'^"https?://[^/"]+/', text(first)):
        return []
    fact = walk.tainted(first, "ssrf")
    if _request(fact) and fact is not None:
        return [walk.hit("ssrf", call, 0.85, _detail(fact, qualified), fact)]
    return []


def _spring_redirect(node: Node, walk: TaintWalk) -> list[Hit]:
    values = node.named_children
    if not values or values[0].type != "binary_expression":
        return []
    value = values[0]
    if not text(value).startswith('"redirect:') or re.match(r'^"redirect:/[^/"]', text(value)):
        return []
    fact = walk.tainted(value, "redirect")
    if _request(fact) and fact is not None:
        return [walk.hit("open-redirect", node, 0.8, _detail(fact, "redirect:"), fact)]
    return []


def _hardened(scope: str) -> bool:
    """A hardening setting that is switched the safe way (not `..., true)` for entities)."""
    enabling = re.compile(
        r"set(?:Property|Feature)\([^;]*(?:IS_SUPPORTING_EXTERNAL_ENTITIES|SUPPORT_DTD"
        r"|external-general-entities)[^;]*,\s*true\s*\)"
    )
    return bool(_XXE_HARDENED.search(enabling.sub("", scope)))


def _enclosing_class_node(node: Node) -> Node | None:
    current: Node | None = node
    while current is not None and current.type not in ("class_declaration", "program"):
        current = current.parent
    return current


def _enclosing_class(node: Node) -> str:
    current: Node | None = node
    while current is not None and current.type not in ("class_declaration", "program"):
        current = current.parent
    return text(current)
