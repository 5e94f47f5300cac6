"""Go MD5 / SHA-1 (`crypto/md5`, `crypto/sha1`, `x/crypto/md4`): what the digest is for.

- used to sign or authenticate: a secret is hashed in (`md5.Sum([]byte(secret + path))`, the
  "secret-prefix MAC" that length-extension attacks forge), or the digest is named and used as
  a signature or token, or MD5 is the hash of an HMAC (`hmac.New(md5.New, key)`, not for new
  designs per RFC 6151): reported with high confidence. HMAC-SHA1 is not reported: its
  security does not rest on SHA-1's collision resistance (TOTP, RFC 6238, uses it);
- a content fingerprint: the digest only names data (an ETag, a cache or dedup key, a
  checksum, a shard): not reported;
- anything else: reported at the usual (low) confidence, as before. A password hashed this way
  is escalated to `weak-password-hash` by the security rules.

The purpose is read from the names around the digest in its function: the hashed data, the
variables holding the hash object and its result, the statements using them (header names,
map keys) and the function's own name.
"""

from __future__ import annotations

import re
from dataclasses import replace

from tree_sitter import Node

from analysis.detectors.go.spec import arguments
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text, walk
from analysis.detectors.treesitter.taint import TaintWalk
from warden.records import Severity

_BROKEN_DIGEST = re.compile(r"^(md5|sha1|md4)\.(?:New|Sum)$")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_PASSWORD = frozenset({"password", "passwd", "pwd", "passphrase"})
_SECRET = frozenset({"secret", "secrets", "private", "credential", "credentials", "apikey"})
_SECRET_PAIRS = (("signing", "key"), ("hmac", "key"), ("api", "key"), ("shared", "key"))
_SIGNING = frozenset(
    {"sign", "signs", "signed", "signer", "signing", "signature", "signatures", "sig", "hmac",
     "authenticate", "authenticator", "token", "tokens"}
)  # fmt: skip
_FINGERPRINT = frozenset(
    {"etag", "checksum", "checksums", "cache", "cached", "fingerprint", "dedup", "dedupe",
     "shard", "partition", "bucket", "gravatar"}
)  # fmt: skip
_SIGNING_USE = "signing"
_FINGERPRINT_USE = "fingerprint"
_FUNCTIONS = ("function_declaration", "method_declaration", "func_literal")
_ASSIGNMENTS = ("short_var_declaration", "assignment_statement", "var_spec", "var_declaration")
_SIMPLE_STATEMENTS = frozenset(
    {"short_var_declaration", "assignment_statement", "expression_statement", "return_statement",
     "var_declaration", "send_statement", "go_statement", "defer_statement"}
)  # fmt: skip
_WRITES = re.compile(r"^(?:io\.WriteString|fmt\.Fprint(?:f|ln)?)$")


def weak_digest(walk_: TaintWalk, call: Node, callee: str, args: list[Node]) -> list[Hit]:
    """The weak-hash hit of an MD5/SHA-1/MD4 call (or an HMAC built on MD5), if any."""
    if callee == "hmac.New" and args and text(args[0]) in ("md5.New", "md4.New"):
        detail = f"HMAC over {text(args[0]).split('.')[0].upper()} signs with a broken hash"
        return [walk_.hit("weak-hash", call, 0.7, f"{detail}; use hmac.New(sha256.New, key)")]
    found = _BROKEN_DIGEST.match(callee)
    if found is None:
        return []
    algorithm = found.group(1).upper().replace("SHA1", "SHA-1")
    purpose, reason = _purpose(call, callee, args)
    if purpose == _FINGERPRINT_USE:
        return []
    if purpose == _SIGNING_USE:
        detail = (
            f"{algorithm} {reason}: a plain or secret-prefixed {algorithm} digest can be forged; "
            "use hmac.New(sha256.New, key) and compare with hmac.Equal"
        )
        return [replace(walk_.hit("weak-hash", call, 0.8, detail), severity=Severity.medium)]
    return [walk_.hit("weak-hash", call, 0.6, callee)]


def _purpose(call: Node, callee: str, args: list[Node]) -> tuple[str, str]:
    """(_SIGNING_USE, why), (_FINGERPRINT_USE, "") or ("", "") when the names do not tell."""
    function = _enclosing_function(call)
    targets = _assigned_names(call)
    data = [text(n) for arg in args for n in walk(arg) if n.type == "identifier"] + [
        text(n) for arg in args for n in walk(arg) if n.type == "field_identifier"
    ]
    context: list[str] = list(targets)
    if function is not None:
        name = function.child_by_field_name("name")
        context.append(text(name))
        used, written = _uses(function, call, set(targets), callee.endswith(".New"))
        context.extend(used)
        data.extend(written)
    data_words = _words(data)
    if data_words & _PASSWORD:
        return "", ""
    secret = _secret(data_words, data)
    if secret:
        return _SIGNING_USE, f"signs with a secret ({secret}) hashed in"
    context_words = _words(context)
    if context_words & _FINGERPRINT:
        return _FINGERPRINT_USE, ""
    signing = context_words & _SIGNING
    if not signing:
        return "", ""
    role = "token" if signing <= {"token", "tokens"} else "signature"
    return _SIGNING_USE, f"digest used as a {role}"


def _secret(words: set[str], names: list[str]) -> str:
    if not (words & _SECRET or any(a in words and b in words for a, b in _SECRET_PAIRS)):
        return ""
    for name in names:
        named = _words([name])
        if named & _SECRET or any(a in named and b in named for a, b in _SECRET_PAIRS):
            return name
    return "a key"


def _words(names: list[str]) -> set[str]:
    """camelCase / snake_case parts, and each whole name ("ETag" -> e, tag, etag)."""
    words = {word.lower() for name in names for word in _WORD.findall(name)}
    return words | {name.lower() for name in names if name.isalnum()}


def _enclosing_function(node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.type not in _FUNCTIONS:
        current = current.parent
    return current


def _assigned_names(call: Node) -> list[str]:
    """`sum := md5.Sum(...)` / `h = md5.New()` -> the names on the left."""
    current = call.parent
    while current is not None and current.type in ("expression_list", "parenthesized_expression"):
        current = current.parent
    if current is None or current.type not in _ASSIGNMENTS:
        return []
    left = current.child_by_field_name("left") or current.child_by_field_name("name")
    return [text(n) for n in walk(left) if n.type == "identifier"] if left is not None else []


def _uses(function: Node, call: Node, tracked: set[str], hash_object: bool):
    """Words of the statements after `call` that use its result (following assignments), and
    the names written into a hash object (`h.Write(x)`, `io.WriteString(h, x)`)."""
    used: list[str] = []
    written: list[str] = []
    if not tracked:
        return used, written
    for statement in _statements_after(function, call.end_byte):
        names = [n for n in walk(statement) if n.type in ("identifier", "field_identifier")]
        if not any(n.type == "identifier" and text(n) in tracked for n in names):
            continue
        strings = [
            text(n) for n in walk(statement) if n.type == "interpreted_string_literal_content"
        ]
        used.extend(strings)
        used.extend(text(n) for n in names)
        if hash_object:
            written.extend(_written(statement, tracked))
        if statement.type in _ASSIGNMENTS:
            tracked |= set(_assigned_names_of(statement))
    return used, written


def _statements_after(function: Node, offset: int) -> list[Node]:
    body = function.child_by_field_name("body")
    if body is None:
        return []
    return [
        n for n in walk(body) if n.type in _SIMPLE_STATEMENTS and n.start_byte >= offset
    ]  # fmt: skip


def _assigned_names_of(statement: Node) -> list[str]:
    specs = [c for c in statement.named_children if c.type == "var_spec"] or [statement]
    lefts = [s.child_by_field_name("left") or s.child_by_field_name("name") for s in specs]
    return [
        text(n) for left in lefts if left is not None for n in walk(left) if n.type == "identifier"
    ]


def _written(statement: Node, tracked: set[str]) -> list[str]:
    written: list[str] = []
    for node in walk(statement):
        if node.type != "call_expression":
            continue
        function = node.child_by_field_name("function")
        callee = text(function)
        args = arguments(node)
        receiver = callee.rsplit(".", 1)[0] if "." in callee else ""
        if receiver in tracked and callee.endswith((".Write", ".WriteString")):
            sources = args
        elif _WRITES.match(callee) and args and text(args[0]) in tracked:
            sources = args[1:]
        else:
            continue
        for arg in sources:
            written.extend(
                text(n) for n in walk(arg) if n.type in ("identifier", "field_identifier")
            )
    return written
