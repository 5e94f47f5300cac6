"""Go sinks (taint) and hardening checks: database/sql, os/exec, html/template, files, HTTP
clients and redirects, TLS, crypto, math/rand, cookies, permissions, temp files, JWT."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from analysis.detectors.go.frameworks import (
    cookie_flags_set_later,
    credentialed_any_origin,
    framework_call,
)
from analysis.detectors.go.hardening import hardening_call, hardening_import, hardening_selector
from analysis.detectors.go.hashing import weak_digest
from analysis.detectors.go.nonces import constant_nonce
from analysis.detectors.go.spec import arguments, callee_name
from analysis.detectors.go.sql_calls import assigned_sql_text, is_sql_method, query_argument
from analysis.detectors.go.tempfiles import predictable_temp_write
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import Fact, TaintWalk

_SHELLS = frozenset({"sh", "bash", "/bin/sh", "/bin/bash", "zsh", "cmd", "cmd.exe", "powershell"})
_FILE_CALLS = re.compile(
    r"^(?:os\.(?:Open|OpenFile|ReadFile|WriteFile|Create|Remove|RemoveAll|ReadDir|Stat|Lstat"
    r"|Symlink|Link)"
    r"|ioutil\.(?:ReadFile|WriteFile|ReadDir))$"
)
_HTTP_GET = re.compile(
    r"^(?:http\.(?:Get|Post|Head|PostForm)|(?:\w+\.)*\w*[cC]lient\.(?:Get|Post|Head))$"
)
_FIXED_HOST = re.compile(r"""^(?:fmt\.Sprintf\()?["`]https?://[^/"`%]+/""")
_CONTEXT_REDIRECT = re.compile(r"^(?:c|ctx|context|e)\.Redirect$")
_RELATIVE = re.compile(r"""^["`]/[^/\\]""")
_WEAK_CIPHER = re.compile(
    r"^(?:des\.(?:NewCipher|NewTripleDESCipher)|rc4\.NewCipher|blowfish\.NewCipher)$"
)
_SESSION = re.compile(r"(?i)sess|token|auth|sid|jwt|remember")
_HTML_MARKUP = re.compile(r"<[a-zA-Z/!]")


def _request(fact: Fact | None) -> bool:
    return fact is not None and fact.source is not None and not fact.source.startswith("os.")


def _detail(fact: Fact, sink: str) -> str:
    return f"{fact.source} reaches {sink}"


def check_go(node: Node, walk: TaintWalk) -> Iterable[Hit]:
    if node.type == "call_expression":
        return _call(node, walk)
    if node.type == "keyed_element":
        return _keyed(node, walk)
    if node.type == "composite_literal":
        return _cookie(node, walk)
    if node.type == "selector_expression":
        return hardening_selector(walk, node)
    if node.type == "import_spec":
        return hardening_import(walk, node)
    return ()


def _call(call: Node, walk: TaintWalk) -> list[Hit]:
    callee = callee_name(call)
    method = callee.rsplit(".", 1)[-1]
    args = arguments(call)
    hits: list[Hit] = _crypto(walk, call, callee, args)
    hits.extend(hardening_call(walk, call, callee, args))
    hits.extend(framework_call(walk, call, callee, args))
    if not args:
        return hits
    if is_sql_method(method) and "." in callee and not _not_sql(callee):
        query = query_argument(callee, method, args)
        if query is not None:
            hits.extend(_sql(walk, call, query, method))
    if callee in ("exec.Command", "exec.CommandContext"):
        hits.extend(_command(walk, call, args[1:] if callee.endswith("Context") else args))
    if callee == "template.HTML":
        fact = walk.fact(args[0])
        if fact.tainted_for("html"):
            hits.append(walk.hit("xss", call, 0.9, _detail(fact, callee), fact))
        elif (
            not fact.constant
            and fact.source is None
            and "html" not in fact.sanitised
            and args[0].type != "identifier"
        ):
            hits.append(walk.hit("xss", call, 0.6, "template.HTML of a built string", fact))
    if callee in ("fmt.Fprintf", "fmt.Fprint", "io.WriteString", "w.Write") or method == "Write":
        hits.extend(_response_write(walk, call, callee, args))
    if _FILE_CALLS.match(callee) or callee == "http.ServeFile":
        target = args[2] if callee == "http.ServeFile" and len(args) > 2 else args[0]
        if callee in ("os.Symlink", "os.Link") and len(args) > 1:
            # the link made outside the directory, or pointing out of it (`../../etc`)
            target = args[1] if walk.tainted(args[1], "path") else args[0]
        fact = walk.tainted(target, "path")
        if _request(fact) and fact is not None:
            hits.append(walk.hit("path-traversal", call, 0.85, _detail(fact, callee), fact))
        hits.extend(predictable_temp_write(walk, call))
    hits.extend(_http(walk, call, callee, args))
    if callee in (
        "os.WriteFile",
        "ioutil.WriteFile",
        "os.Chmod",
        "os.MkdirAll",
        "os.Mkdir",
        "os.OpenFile",
    ):
        mode = text(args[-1])
        if re.fullmatch(r"0o?[0-7]{3,4}", mode) and int(mode.replace("o", ""), 8) & 0o002:
            hits.append(walk.hit("insecure-permissions", call, 0.8, f"world-writable mode {mode}"))
    hits.extend(_templates(walk, call, method, args))
    if callee in ("jwt.ParseUnverified",) or method == "ParseUnverified":
        hits.append(walk.hit("jwt-verification-disabled", call, 0.85, "ParseUnverified"))
    return hits


def _not_sql(callee: str) -> bool:
    return callee.startswith(("http.", "os.")) or bool(_HTTP_GET.match(callee))


def _sql(walk: TaintWalk, call: Node, query: Node, method: str) -> list[Hit]:
    fact = walk.fact(query)
    if fact.constant:
        return []
    if fact.tainted_for("sql") and (
        "sql" in fact.marks
        or query.type != "identifier"
        or assigned_sql_text(call, text(query))  # `q := "SELECT ..."; q += <request data>`
    ):
        return [walk.hit("sql-injection", call, 0.9, _detail(fact, method), fact)]
    if fact.source is not None:
        return []  # request data a sanitiser (number parsing, escaping) made safe
    if "sql" in fact.marks:
        confidence = 0.85 if query.type != "identifier" else 0.75
        return [
            walk.hit("sql-injection", call, confidence, "query text built with Sprintf or +", fact)
        ]
    return []


def _command(walk: TaintWalk, call: Node, args: list[Node]) -> list[Hit]:
    program = walk.fact(args[0])
    if program.value in _SHELLS and len(args) >= 3 and walk.fact(args[1]).value in ("-c", "/c"):
        script = walk.fact(args[2])
        if script.tainted_for("shell"):
            return [walk.hit("shell-injection", call, 0.9, _detail(script, "sh -c"), script)]
        if not script.constant and script.source is None:
            return [
                walk.hit("shell-injection", call, 0.75, "sh -c with a non-constant script", script)
            ]
        return []
    if program.tainted_for("shell"):
        return [walk.hit("shell-injection", call, 0.8, _detail(program, "exec.Command"), program)]
    return []


def _response_write(walk: TaintWalk, call: Node, callee: str, args: list[Node]) -> list[Hit]:
    for arg in args[1:] if callee.startswith(("fmt.", "io.")) else args:
        fact = walk.tainted(arg, "html")
        if not _request(fact) or fact is None:
            continue
        markup = bool(_HTML_MARKUP.search(text(call)))
        if markup or callee.startswith("fmt.Fprint"):
            return [walk.hit("xss", call, 0.8 if markup else 0.65, _detail(fact, callee), fact)]
    return []


def _http(walk: TaintWalk, call: Node, callee: str, args: list[Node]) -> list[Hit]:
    target = None
    if _HTTP_GET.match(callee):
        target = args[0]
    elif callee == "http.NewRequest" and len(args) > 1:
        target = args[1]
    elif callee == "http.NewRequestWithContext" and len(args) > 2:
        target = args[2]
    if target is not None and not _FIXED_HOST.match(text(target)):
        fact = walk.tainted(target, "ssrf")
        if _request(fact) and fact is not None:
            return [walk.hit("ssrf", call, 0.85, _detail(fact, callee), fact)]
    location = None
    if callee == "http.Redirect" and len(args) > 2:
        location = args[2]
    elif _CONTEXT_REDIRECT.match(callee) and len(args) == 2:  # echo / gin: c.Redirect(code, url)
        location = args[1]
    if location is not None:
        fact = walk.tainted(location, "redirect")
        if _request(fact) and fact is not None and not _RELATIVE.match(text(location)):
            return [walk.hit("open-redirect", call, 0.8, _detail(fact, callee), fact)]
    return []


def _crypto(walk: TaintWalk, call: Node, callee: str, args: list[Node]) -> list[Hit]:
    digest = weak_digest(walk, call, callee, args)
    if digest:
        return digest
    if _WEAK_CIPHER.match(callee):
        return [walk.hit("weak-cipher", call, 0.9, callee)]
    nonce = constant_nonce(walk, call, callee, args)
    if nonce:
        return nonce
    bits = text(args[1]) if len(args) > 1 else ""
    if callee == "rsa.GenerateKey" and bits.isdigit() and int(bits) < 2048:
        return [walk.hit("weak-key-size", call, 0.9, f"{text(args[1])}-bit RSA key")]
    return []


def _keyed(node: Node, walk: TaintWalk) -> list[Hit]:
    children = node.named_children
    if len(children) != 2:
        return []
    key, value = text(children[0]), text(children[1])
    if key in ('"$where"', '"$function"', '"$accumulator"'):
        fact = walk.tainted(children[1], "nosql")
        if _request(fact) and fact is not None:
            return [walk.hit("nosql-injection", node, 0.85, _detail(fact, key), fact)]
    if key == "InsecureSkipVerify" and value == "true":
        return [walk.hit("tls-verification-disabled", node, 0.9, "InsecureSkipVerify: true")]
    if key == "AllowOriginFunc":
        return credentialed_any_origin(node, walk)
    if key == "AllowAllOrigins" and value == "true":
        return [walk.hit("permissive-cors", node, 0.85, "AllowAllOrigins: true")]
    if key in ("AllowedOrigins", "AllowOrigins") and re.search(r'\{\s*"\*"\s*\}', value):
        return [walk.hit("permissive-cors", node, 0.85, f'{key}: "*"')]
    return []


def _cookie(node: Node, walk: TaintWalk) -> list[Hit]:
    if not text(node.child_by_field_name("type")).endswith("Cookie"):
        return []
    fields = {}
    for element in node.child_by_field_name("body").named_children:
        if element.type == "keyed_element" and len(element.named_children) == 2:
            key = text(element.named_children[0])
            fields["HttpOnly" if key == "HTTPOnly" else key] = text(element.named_children[1])
    fields.update(dict.fromkeys(cookie_flags_set_later(node), "true"))
    for flag in ("Secure", "HttpOnly"):
        if fields.get(flag) == "false":
            return [walk.hit("insecure-cookie", node, 0.85, f"cookie with {flag}: false")]
    if not _SESSION.search(fields.get("Name", "")):
        return []
    missing = [flag for flag in ("Secure", "HttpOnly") if fields.get(flag) != "true"]
    if missing:
        detail = f"session cookie without {' and '.join(missing)}"
        return [walk.hit("insecure-cookie", node, 0.65, detail)]
    return []


def _templates(walk: TaintWalk, call: Node, method: str, args: list[Node]) -> list[Hit]:
    """Request text parsed as a template (either package: templates can call methods on
    their data), and request data rendered by text/template, which does not escape HTML."""
    if method not in ("Parse", "Execute", "ExecuteTemplate") or not args:
        return []
    source = walk.parsed.source
    if b'"text/template"' not in source and b'"html/template"' not in source:
        return []
    if method == "Parse":
        fact = walk.tainted(args[0], "template")
        if _request(fact) and fact is not None:
            return [walk.hit("template-injection", call, 0.85, _detail(fact, "Parse"), fact)]
    text_only = b'"text/template"' in source and b'"html/template"' not in source
    if text_only and method in ("Execute", "ExecuteTemplate") and len(args) >= 2:
        fact = walk.tainted(args[-1], "html")
        if _request(fact) and fact is not None and b'"net/http"' in source:
            detail = f"{fact.source} rendered by text/template, which does not escape HTML"
            return [walk.hit("xss", call, 0.7, detail, fact)]
    return []
