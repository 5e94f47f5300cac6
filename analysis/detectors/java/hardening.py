"""Java checks without taint: crypto, randomness, TLS trust, JWT, cookies, CORS, error leaks
and Spring handlers missing the method-security annotation their siblings carry."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from analysis.detectors.java.cipher_params import constant_iv
from analysis.detectors.java.hashing import weak_digest_hit
from analysis.detectors.java.jwt import unsigned_jwt
from analysis.detectors.java.spec import arguments, method_name, qualified_name
from analysis.detectors.java.trust import trust_all
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import ParsedSource, text, walk
from analysis.detectors.treesitter.taint import TaintWalk

_WEAK_DIGEST = re.compile(r'^"(?:MD2|MD4|MD5|SHA-?1|SHA)"$', re.IGNORECASE)
_WEAK_CIPHER = re.compile(r'^"(?:DES|DESede|TripleDES|RC2|RC4|ARCFOUR|Blowfish)(?:/|")', re.I)
_ECB = re.compile(r'^"(?:AES|[A-Za-z0-9]+/ECB/[^"]*)"$', re.IGNORECASE)
_TOKEN_NAME = re.compile(
    r"(?i)token|secret|passw|nonce|salt|otp|session|apikey|api_key|csrf|reset|verif"
)
_SESSION = re.compile(r"(?i)sess|token|auth|sid|jwt|remember")
_MAPPING = re.compile(r"@(?:Get|Post|Put|Patch|Delete|Request)Mapping\b")
_GUARD = re.compile(r"@(?:PreAuthorize|Secured|RolesAllowed|PostAuthorize)\b")
_PUBLIC = re.compile(r"@PermitAll\b|(?i:\"/?(?:login|signup|register|health|public|status)\b)")
_ERROR_DETAIL = re.compile(r"\b(?:e|ex|exc|exception|err)\.(?:printStackTrace|getStackTrace)\(")


def check_hardening(node: Node, walk: TaintWalk) -> Iterable[Hit]:
    kind = node.type
    if kind in ("method_invocation", "object_creation_expression"):
        return _call(node, walk)
    if kind == "method_declaration":
        return trust_all(node, walk)
    if kind == "lambda_expression" and _verifier_lambda_returns_true(node):
        return [walk.hit("tls-verification-disabled", node, 0.85, "hostname verifier returns true")]
    if (
        kind in ("annotation", "marker_annotation")
        and text(node.child_by_field_name("name")) == "CrossOrigin"
    ):
        raw = text(node)
        if kind == "marker_annotation" or re.search(r'"\*"', raw):
            return [walk.hit("permissive-cors", node, 0.8, "@CrossOrigin allows every origin")]
    return ()


def _call(call: Node, walk: TaintWalk) -> list[Hit]:
    name = method_name(call)
    qualified = qualified_name(call)
    args = arguments(call)
    first = text(args[0]) if args else ""
    hits: list[Hit] = []
    if qualified == "MessageDigest.getInstance" and _WEAK_DIGEST.match(first):
        hits.append(weak_digest_hit(walk, call, f"MessageDigest {first}"))
    if qualified in (
        "DigestUtils.md5Hex",
        "DigestUtils.sha1Hex",
        "DigestUtils.md5",
        "DigestUtils.sha1",
    ):
        hits.append(weak_digest_hit(walk, call, qualified))
    if qualified == "Cipher.getInstance":
        if _WEAK_CIPHER.match(first):
            hits.append(walk.hit("weak-cipher", call, 0.9, f"cipher {first}"))
        elif _ECB.match(first):
            hits.append(walk.hit("ecb-mode", call, 0.85, f"cipher {first} (ECB)"))
    if call.type == "object_creation_expression" and name.endswith("ParameterSpec"):
        hits.extend(constant_iv(walk, call))
    short_key = first.isdigit() and int(first) < 2048
    if name == "initialize" and short_key and b"KeyPairGenerator" in walk.parsed.source:
        hits.append(walk.hit("weak-key-size", call, 0.85, f"{first}-bit key"))
    random = (name == "Random" and call.type == "object_creation_expression") or (
        qualified == "Math.random"
    )
    if random and _TOKEN_NAME.search(_purpose(call)):
        hits.append(walk.hit("insecure-randomness", call, 0.75, f"{name} for a secret value"))
    hits.extend(unsigned_jwt(walk, call, name, qualified, args))
    if name == "Cookie" and call.type == "object_creation_expression" and args:
        hits.extend(_cookie(call, first, walk))
    if name in ("setSecure", "setHttpOnly") and first == "false" and _first_weakening(call):
        hits.append(walk.hit("insecure-cookie", call, 0.85, f"{name}(false)"))
    if name == "allowedOrigins" and '"*"' in text(call.child_by_field_name("arguments")):
        hits.append(walk.hit("permissive-cors", call, 0.85, 'allowedOrigins("*")'))
    if name in ("setHostnameVerifier", "setDefaultHostnameVerifier") and re.search(
        r"NoopHostnameVerifier|ALLOW_ALL", first
    ):
        hits.append(walk.hit("tls-verification-disabled", call, 0.85, "hostname checks disabled"))
    if (
        name in ("print", "println", "write")
        and "getWriter()" in qualified
        and _ERROR_DETAIL.search(first)
    ):
        hits.append(walk.hit("information-leak", call, 0.75, "stack trace written to the response"))
    if name == "printStackTrace" and args and "getWriter()" in first:
        hits.append(walk.hit("information-leak", call, 0.8, "stack trace written to the response"))
    return hits


def _cookie(call: Node, name: str, walk: TaintWalk) -> list[Hit]:
    if not _SESSION.search(name):
        return []
    parent = call.parent
    variable = (
        text(parent.child_by_field_name("name"))
        if parent and parent.type == "variable_declarator"
        else ""
    )
    scope = _enclosing_method(call)
    if re.search(rf"\b{re.escape(variable)}\.set(?:Secure|HttpOnly)\(\s*false\s*\)", scope):
        return []  # the explicit `setX(false)` is the finding, once
    missing = [
        flag for flag in ("setSecure", "setHttpOnly")
        if not re.search(rf"\b{re.escape(variable)}\.{flag}\(\s*true\s*\)", scope)
    ]  # fmt: skip
    if variable and missing:
        detail = f"session cookie {name} without {' and '.join(missing)}(true)"
        return [walk.hit("insecure-cookie", call, 0.65, detail)]
    return []


def _first_weakening(call: Node) -> bool:
    """One finding per cookie: only the first `setSecure/setHttpOnly(false)` on a receiver."""
    receiver = text(call.child_by_field_name("object"))
    weakening = re.compile(rf"\b{re.escape(receiver)}\.set(?:Secure|HttpOnly)\(\s*false\s*\)")
    scope = _enclosing_method(call)
    offset = call.start_byte - _enclosing_start(call)
    return weakening.search(scope[:offset]) is None


def _enclosing_start(node: Node) -> int:
    current: Node | None = node
    while current is not None and current.type not in (
        "method_declaration",
        "constructor_declaration",
    ):
        current = current.parent
    return current.start_byte if current is not None else 0


def _verifier_lambda_returns_true(node: Node) -> bool:
    """`(host, session) -> true` passed where a HostnameVerifier is expected."""
    if text(node.child_by_field_name("body")) != "true":
        return False
    holder = node.parent.parent if node.parent is not None else None
    return holder is not None and "HostnameVerifier" in text(holder)


def _purpose(call: Node) -> str:
    names: list[str] = []
    node = call.parent
    for _ in range(12):
        if node is None:
            break
        if node.type == "variable_declarator":
            names.append(text(node.child_by_field_name("name")))
        elif node.type == "method_declaration":
            names.append(text(node.child_by_field_name("name")))
            break
        node = node.parent
    return " ".join(names)


def _enclosing_method(node: Node) -> str:
    current: Node | None = node
    while current is not None and current.type not in (
        "method_declaration",
        "constructor_declaration",
    ):
        current = current.parent
    return text(current)


def missing_auth_guard(parsed: ParsedSource, _walk: TaintWalk) -> list[Hit]:
    hits: list[Hit] = []
    for node in walk(parsed.root):
        if node.type != "class_declaration":
            continue
        modifiers = next((c for c in node.children if c.type == "modifiers"), None)
        if _GUARD.search(text(modifiers)):
            continue
        body = node.child_by_field_name("body")
        handlers = []
        for member in body.named_children if body is not None else []:
            if member.type != "method_declaration":
                continue
            annotations = text(next((c for c in member.children if c.type == "modifiers"), None))
            if _MAPPING.search(annotations):
                handlers.append((member, annotations))
        for member, annotations in handlers:
            if _GUARD.search(annotations) or _PUBLIC.search(annotations):
                continue
            siblings = [a for m, a in handlers if m is not member]
            if len(siblings) >= 2 and all(_GUARD.search(a) for a in siblings):
                line = parsed.line_of(member.child_by_field_name("name"))
                name = text(member.child_by_field_name("name"))
                detail = f"handler {name} lacks the guard its siblings use"
                hits.append(Hit("missing-auth-guard", line, line, 0.7, detail))
    return hits
