"""Java checks beside the classic sinks: shells fed built scripts, SpEL fed request text
(request text as a template: see `templates`), JNDI/XPath queries built by concatenation,
Jackson default typing, auth0 JWT decode without verify, CORS patterns, literal JDBC
passwords, cleartext endpoints, world permissions, predictable temp files, java.util.Random
tokens, ReDoS-prone patterns, stack traces returned to clients, request bodies saved whole
and HTML returned by REST handlers."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from analysis.detectors.java.spec import arguments, method_name, qualified_name
from analysis.detectors.regex_safety import is_redos_prone
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import Fact, TaintWalk

_SHELLS = frozenset({"sh", "bash", "/bin/sh", "/bin/bash", "zsh", "cmd", "cmd.exe", "powershell"})
# loopback, and XML namespace / schema identifiers that are names, not endpoints
_LOCAL_HOST = re.compile(
    r"^http://(?:localhost|127\.|0\.0\.0\.0|\[::1\]|(?:www\.)?w3\.org/|xmlns\.|schemas?\.)"
)
_CORS_WILDCARD = frozenset({"addAllowedOriginPattern", "allowedOriginPatterns", "addAllowedOrigin"})
_RANDOM_DRAWS = re.compile(r"^next(?:Int|Long|Bytes|Double|Float|Boolean|Gaussian)$")
_TOKEN_NAME = re.compile(r"(?i)token|secret|passw|nonce|salt|otp|session|apikey|csrf|reset|verif")
_REGEX_CALLS = frozenset({"Pattern.compile", "Pattern.matches"})
_PERSIST = frozenset({"save", "saveAndFlush", "saveAll", "persist", "merge"})
_HTML_MARKUP = re.compile(r"<[a-zA-Z/!]")


def _request(fact: Fact | None) -> bool:
    return fact is not None and fact.source is not None and "getenv" not in fact.source


def check_exposure(node: Node, walk: TaintWalk) -> Iterable[Hit]:
    if node.type in ("method_invocation", "object_creation_expression"):
        return _call(node, walk)
    if node.type == "return_statement":
        return _html_response(node, walk)
    return ()


def _call(call: Node, walk: TaintWalk) -> list[Hit]:
    name = method_name(call)
    qualified = qualified_name(call)
    args = arguments(call)
    created = call.type == "object_creation_expression"
    source = walk.parsed.source
    hits: list[Hit] = []
    if (created and name == "ProcessBuilder") or (name == "exec" and "Runtime" in qualified):
        hits.extend(_shell_script(walk, call, args))
    if name == "parseExpression" and b"expression" in source and args:
        fact = walk.tainted(args[0], "code")
        if _request(fact) and fact is not None:
            detail = f"{fact.source} parsed as an expression"
            hits.append(walk.hit("code-injection", call, 0.85, detail, fact))
    if name == "search" and len(args) >= 2:
        fact = walk.fact(args[1])
        if {"built", "filter"} <= fact.marks and fact.source is None:
            hits.append(walk.hit("ldap-injection", call, 0.7, "LDAP filter built by concatenation"))
    if name in ("evaluate", "compile") and args and _xpath_receiver(qualified, source):
        fact = walk.fact(args[0])
        if "built" in fact.marks and fact.source is None:
            hits.append(walk.hit("xpath-injection", call, 0.7, "XPath built by concatenation"))
    if name == "enableDefaultTyping" or (
        name == "activateDefaultTyping" and "LaissezFaire" in text(call)
    ):
        hits.append(walk.hit("unsafe-deserialization", call, 0.8, "Jackson default typing"))
    if qualified == "JWT.decode" and b".verify(" not in source:
        hits.append(walk.hit("jwt-verification-disabled", call, 0.8, "JWT decoded, never verified"))
    if name in _CORS_WILDCARD and args and text(args[0]) == '"*"':
        hits.append(walk.hit("permissive-cors", call, 0.85, f'{name}("*")'))
    if qualified == "DriverManager.getConnection" and len(args) == 3:
        password = text(args[2])
        if password.startswith('"') and len(password) > 2:
            hits.append(walk.hit("hardcoded-credential", call, 0.8, "literal database password"))
    hits.extend(_files(walk, call, name, qualified, args))
    hits.extend(_leaks_and_models(walk, call, name, args))
    secret = _TOKEN_NAME.search(_enclosing_method_name(call))
    if _RANDOM_DRAWS.match(name) and secret and _is_util_random(walk, call):
        detail = "Random, not SecureRandom, for a secret"
        hits.append(walk.hit("insecure-randomness", call, 0.75, detail))
    if (qualified in _REGEX_CALLS or name in ("matches", "replaceAll", "split")) and args:
        pattern = _java_string(text(args[0]))
        if pattern is not None and is_redos_prone(pattern):
            hits.append(walk.hit("redos", call, 0.7, "nested or overlapping quantifiers"))
    enables = name == "setProperty" and len(args) == 2 and text(args[1]) == "true"
    if enables and re.search(r"IS_SUPPORTING_EXTERNAL_ENTITIES|SUPPORT_DTD", text(args[0])):
        hits.append(walk.hit("xxe", call, 0.85, "external entities switched on"))
    return hits


def _xpath_receiver(qualified: str, source: bytes) -> bool:
    if re.search(r"(?i)xpath", qualified):
        return True
    return b"javax.xml.xpath" in source and not qualified.startswith("Pattern.")


def _shell_script(walk: TaintWalk, call: Node, args: list[Node]) -> list[Hit]:
    if len(args) == 1 and args[0].type == "array_creation_expression":
        initializer = args[0].child_by_field_name("value")
        args = list(initializer.named_children) if initializer is not None else []
    if len(args) < 3 or walk.fact(args[0]).value not in _SHELLS:
        return []
    if walk.fact(args[1]).value not in ("-c", "/c"):
        return []
    script = walk.fact(args[2])
    if script.constant or script.source is not None:
        return []  # constant scripts are fine; request taint is reported by injection.py
    return [walk.hit("shell-injection", call, 0.75, "shell -c with a script built from variables")]


def _files(walk: TaintWalk, call: Node, name: str, qualified: str, args: list[Node]) -> list[Hit]:
    hits: list[Hit] = []
    if qualified == "PosixFilePermissions.fromString" and args:
        mode = _java_string(text(args[0])) or ""
        if len(mode) == 9 and mode[7] == "w":
            hits.append(walk.hit("insecure-permissions", call, 0.8, f"world-writable {mode}"))
    if call.type == "object_creation_expression" and name in ("File", "FileOutputStream") and args:
        first = text(args[0])
        if re.match(r'^"/tmp/[^"]', first) or (
            "java.io.tmpdir" in first and len(args) > 1 and text(args[1]).startswith('"')
        ):
            hits.append(walk.hit("insecure-temp-file", call, 0.7, "fixed name in /tmp"))
    if qualified == "URI.create" or (
        call.type == "object_creation_expression" and name in ("URL", "URI")
    ):
        url = _java_string(text(args[0])) if args else None
        if url and url.startswith("http://") and not _LOCAL_HOST.match(url):
            hits.append(walk.hit("cleartext-transport", call, 0.7, "endpoint over plain http"))
    return hits


def _leaks_and_models(walk: TaintWalk, call: Node, name: str, args: list[Node]) -> list[Hit]:
    responds = name in ("body", "ok", "write", "print", "println", "entity")
    scope = _enclosing_method(call) if responds or name in _PERSIST else None
    if scope is None:
        return []
    hits: list[Hit] = []
    traced = re.findall(r"printStackTrace\(\s*new\s+PrintWriter\(\s*(\w+)\s*\)", text(scope))
    sent = " ".join(text(a) for a in args)
    if responds and any(re.search(rf"\b{re.escape(w)}\.toString\(\)", sent) for w in traced):
        hits.append(walk.hit("information-leak", call, 0.8, "stack trace returned to the client"))
    parameters = text(scope.child_by_field_name("parameters"))
    persisted = name in _PERSIST and len(args) == 1 and args[0].type == "identifier"
    if persisted and "@RequestBody" in parameters:
        bound = re.search(
            rf"@RequestBody\s+(?:final\s+)?[\w<>.]+\s+{re.escape(text(args[0]))}\b",
            parameters,
        )
        if bound:
            detail = f"request body {text(args[0])} persisted whole"
            hits.append(walk.hit("mass-assignment", call, 0.75, detail))
    return hits


def _html_response(node: Node, walk: TaintWalk) -> list[Hit]:
    method = _enclosing_method(node)
    values = node.named_children
    if method is None or not values or method.type != "method_declaration":
        return []
    modifiers = next((c for c in method.children if c.type == "modifiers"), None)
    if not re.search(r"TEXT_HTML|text/html", text(modifiers)):
        return []
    fact = walk.tainted(values[0], "html")
    if _request(fact) and fact is not None and _HTML_MARKUP.search(text(values[0])):
        detail = f"{fact.source} returned inside an HTML response"
        return [walk.hit("xss", node, 0.8, detail, fact)]
    return []


def _is_util_random(walk: TaintWalk, call: Node) -> bool:
    receiver = text(call.child_by_field_name("object"))
    if not receiver.isidentifier():
        return False
    declared = rf"\b{re.escape(receiver)}\s*=\s*new\s+Random\s*\("
    return re.search(declared.encode(), walk.parsed.source) is not None


def _enclosing_method(node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.type not in (
        "method_declaration",
        "constructor_declaration",
    ):
        current = current.parent
    return current


def _enclosing_method_name(node: Node) -> str:
    method = _enclosing_method(node)
    return text(method.child_by_field_name("name")) if method is not None else ""


def _java_string(raw: str) -> str | None:
    if len(raw) < 2 or not raw.startswith('"') or not raw.endswith('"'):
        return None
    try:
        return raw[1:-1].encode("utf-8").decode("unicode_escape")
    except UnicodeDecodeError:
        return None
