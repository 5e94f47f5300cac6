"""JavaScript/TypeScript checks that need no taint: cryptography, randomness, TLS, JWT, CORS,
cookies, error leaks, cleartext URLs with credentials and risky imports."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from analysis.detectors.javascript.ciphers import cipher_hits
from analysis.detectors.javascript.cors import cors_hits
from analysis.detectors.javascript.frameworks import calls_unserialize
from analysis.detectors.javascript.spec import arguments, callee_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import TaintWalk

_WEAK_HASH = re.compile(r"^(?:md4|md5|sha1|sha-1|ripemd160)$", re.IGNORECASE)
_TOKEN_NAME = re.compile(
    r"(?i)token|secret|passw|nonce|salt|otp|session|api_?key|csrf|reset|invite|verif|uuid|guid"
)
_SESSION_COOKIE = re.compile(r"(?i)sess|token|auth|sid|jwt|login|remember")
_ERROR_DETAIL = re.compile(r"\b(?:err|error|e|ex|exc|exception)\.stack\b")
_CREDENTIAL_URL = re.compile(r"^http://[^/\s:@]+:[^/\s@]+@(?!localhost|127\.0\.0\.1)")
_RESPONSE = re.compile(r"^(?:res|response|reply|ctx)\b")
# jsonwebtoken's decode and jose's decodeJwt return claims without verifying the signature
_JWT_DECODE = re.compile(r"^(?:(?:jwt|jsonwebtoken)\.decode|(?:jose\.)?decodeJwt)$")
# Koa `ctx.cookies.set`, Next.js `response.cookies.set` / `cookies().set`
_COOKIE_JAR_SET = re.compile(r"\bcookies(?:\(\))?\.set$")


def check_hardening(node: Node, walk: TaintWalk) -> Iterable[Hit]:
    kind = node.type
    if kind == "call_expression":
        return _call(node, walk)
    if kind == "pair":
        return _option(node, walk)
    if kind == "string" and "http://" in text(node):
        value = text(node)[1:-1]
        if _CREDENTIAL_URL.match(value):
            return [walk.hit("cleartext-transport", node, 0.8, "credentials in an http:// URL")]
    imported = kind == "import_statement" and "node-serialize" in text(
        node.child_by_field_name("source")
    )
    if imported and not calls_unserialize(walk):  # a call is reported where it happens
        return [walk.hit("unsafe-deserialization", node, 0.85, "node-serialize imported")]
    return ()


def _call(call: Node, walk: TaintWalk) -> list[Hit]:
    callee = callee_name(call)
    method = callee.rsplit(".", 1)[-1]
    args = arguments(call)
    hits: list[Hit] = []
    first_value = _string(args[0]) if args else None
    if method == "createHash" and first_value and _WEAK_HASH.match(first_value):
        hits.append(walk.hit("weak-hash", call, 0.6, f"createHash('{first_value}')"))
    hits.extend(cipher_hits(call, method, walk))
    if method in ("generateKeyPair", "generateKeyPairSync") and len(args) >= 2:
        bits = re.search(r"modulusLength\s*:\s*(\d+)", text(args[1]))
        if bits and int(bits.group(1)) < 2048 and (first_value or "") in ("rsa", "dsa"):
            hits.append(walk.hit("weak-key-size", call, 0.9, f"{bits.group(1)}-bit key"))
    if callee == "Math.random" and _TOKEN_NAME.search(_purpose(call)):
        hits.append(walk.hit("insecure-randomness", call, 0.75, "Math.random for a secret value"))
    if _JWT_DECODE.match(callee) and not _verifies_nearby(call):
        detail = f"{callee} reads claims without checking the signature"
        hits.append(walk.hit("jwt-verification-disabled", call, 0.7, detail))
    # Express `res.cookie`, Fastify `reply.setCookie` (@fastify/cookie)
    if method in ("cookie", "setCookie") and _RESPONSE.match(callee) and len(args) >= 2:
        hits.extend(_cookie(call, args, walk))
    if _COOKIE_JAR_SET.search(callee) and len(args) >= 3:
        hits.extend(_explicitly_weak_cookie(call, args[2], walk))
    hits.extend(cors_hits(call, callee, method, args, walk))
    writes = _RESPONSE.match(callee) and method in ("send", "json", "write", "end", "render")
    if writes and any(_ERROR_DETAIL.search(text(a)) for a in args):
        hits.append(walk.hit("information-leak", call, 0.8, "stack trace sent to the client"))
    if method in ("setHeader", "header", "set") and len(args) >= 2:
        name = (_string(args[0]) or "").lower()
        fact = walk.fact(args[1])
        if name == "access-control-allow-origin" and fact.source and "origin" in fact.source:
            detail = "reflects the request Origin"
            hits.append(walk.hit("permissive-cors", call, 0.75, detail))
    return hits


def _option(pair: Node, walk: TaintWalk) -> list[Hit]:
    key = text(pair.child_by_field_name("key")).strip("'\"")
    value = text(pair.child_by_field_name("value"))
    if key == "rejectUnauthorized" and value == "false":
        return [walk.hit("tls-verification-disabled", pair, 0.9, "rejectUnauthorized: false")]
    if key == "strictSSL" and value == "false":
        return [walk.hit("tls-verification-disabled", pair, 0.85, "strictSSL: false")]
    if key in ("algorithms", "algorithm") and re.search(r"""['"]none['"]""", value, re.I):
        return [walk.hit("jwt-none-algorithm", pair, 0.9, "JWT algorithm 'none' accepted")]
    if key in ("secure", "httpOnly") and value == "false" and _inside_key(pair, "cookie"):
        return [walk.hit("insecure-cookie", pair, 0.75, f"session cookie {key}: false")]
    return []


def _cookie(call: Node, args: list[Node], walk: TaintWalk) -> list[Hit]:
    options = text(args[2]) if len(args) >= 3 else ""
    compact = re.sub(r"\s+", "", options)
    for flag in ("secure", "httpOnly"):
        if f"{flag}:false" in compact:
            return [walk.hit("insecure-cookie", call, 0.85, f"cookie with {flag}: false")]
    name = _string(args[0]) or text(args[0])
    if not _SESSION_COOKIE.search(name):
        return []
    missing = [flag for flag in ("secure", "httpOnly") if f"{flag}:true" not in compact]
    if missing and (len(args) < 3 or args[2].type == "object"):
        detail = f"session cookie '{name}' without {' and '.join(missing)}"
        return [walk.hit("insecure-cookie", call, 0.65, detail)]
    return []


def _explicitly_weak_cookie(call: Node, options: Node, walk: TaintWalk) -> list[Hit]:
    """Cookie jars with framework defaults (Koa sets httpOnly by default): only an explicit
    `secure: false` / `httpOnly: false` is reported."""
    compact = re.sub(r"\s+", "", text(options))
    for flag in ("secure", "httpOnly"):
        if f"{flag}:false" in compact:
            return [walk.hit("insecure-cookie", call, 0.85, f"cookie with {flag}: false")]
    return []


def _string(node: Node) -> str | None:
    plain = all(c.type != "template_substitution" for c in node.named_children)
    if plain and node.type in ("string", "template_string"):
        return text(node)[1:-1]
    return None


def _purpose(call: Node) -> str:
    """Names the random value goes into: declarator, assignment target, property, function."""
    names: list[str] = []
    node: Node | None = call.parent
    for _ in range(12):
        if node is None:
            break
        if node.type == "variable_declarator":
            names.append(text(node.child_by_field_name("name")))
        elif node.type in ("assignment_expression", "pair"):
            names.append(text(node.child_by_field_name("left") or node.child_by_field_name("key")))
        elif node.type in ("function_declaration", "method_definition"):
            names.append(text(node.child_by_field_name("name")))
            break
        elif node.type == "program":
            break
        node = node.parent
    return " ".join(names)


def _verifies_nearby(call: Node) -> bool:
    node: Node | None = call.parent
    while node is not None and node.type not in (
        "function_declaration", "arrow_function", "method_definition", "function_expression"
    ):  # fmt: skip
        node = node.parent
    scope = text(node) if node is not None else ""
    return ".verify(" in scope or "jwtVerify(" in scope


def _inside_key(pair: Node, key: str) -> bool:
    node = pair.parent
    while node is not None and node.type in ("object", "pair"):
        if node.type == "pair" and text(node.child_by_field_name("key")).strip("'\"") == key:
            return True
        node = node.parent
    return False
