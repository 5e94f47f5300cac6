"""Java MD5 / SHA-1 (`MessageDigest.getInstance("MD5")`, commons-codec `DigestUtils.md5Hex`):
what the digest is for.

- signing or authenticating: a secret is hashed in (`md.digest((secret + body).getBytes())`,
  the "secret-prefix MAC" that length-extension attacks forge), or the digest (or the value
  computed from it) is compared with or named as a signature or token, or the hashing method
  itself signs or verifies: reported with medium severity and high confidence. Use an HMAC
  (`Mac.getInstance("HmacSHA256")`) and compare with `MessageDigest.isEqual`;
- anything else (a content fingerprint such as an ETag, a checksum or a cache key, or a
  purpose the names do not tell): the usual low-severity note. A password hashed this way is
  escalated to `weak-password-hash` by the security rules.

The purpose is read from names around the digest in its method: the data hashed in (the
call's arguments, `md.update(x)` / `md.digest(x)` on the digest object), the variables
holding the digest and the values computed from it, the statements and `if` conditions that
use them (their names and string literals, e.g. a `"X-Signature"` header), and the method's
own name.
"""

from __future__ import annotations

import re
from dataclasses import replace

from tree_sitter import Node

from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text, walk
from analysis.detectors.treesitter.taint import TaintWalk
from warden.records import Severity

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_PASSWORD = frozenset({"password", "passwd", "pwd", "passphrase"})
_SECRET = frozenset({"secret", "secrets", "private", "credential", "credentials", "apikey"})
_SECRET_PAIRS = (("signing", "key"), ("hmac", "key"), ("api", "key"), ("shared", "key"))
_SIGNING = frozenset(
    {"sign", "signs", "signed", "signer", "signing", "signature", "signatures", "sig", "hmac",
     "mac", "authenticate", "authenticator", "authentication", "token", "tokens", "verify",
     "verifies", "verification"}
)  # fmt: skip
_FINGERPRINT = frozenset(
    {"etag", "checksum", "checksums", "cache", "cached", "fingerprint", "dedup", "dedupe",
     "shard", "partition", "bucket", "gravatar"}
)  # fmt: skip
_METHODS = ("method_declaration", "constructor_declaration", "lambda_expression")
_STATEMENTS = frozenset({"local_variable_declaration", "expression_statement", "return_statement"})
_CONDITIONS = frozenset({"if_statement", "while_statement", "do_statement"})
_FEEDS = frozenset({"update", "digest"})


def weak_digest_hit(walk_: TaintWalk, call: Node, detail: str) -> Hit:
    """The weak-hash hit of an MD5/SHA-1 digest call: medium when it signs, else low."""
    reason = _signing_reason(call)
    if not reason:
        return walk_.hit("weak-hash", call, 0.6, detail)
    message = (
        f"{detail} {reason}: a plain or secret-prefixed digest can be forged; use "
        'Mac.getInstance("HmacSHA256") and compare with MessageDigest.isEqual'
    )
    return replace(walk_.hit("weak-hash", call, 0.8, message), severity=Severity.medium)


def _signing_reason(call: Node) -> str:
    """Why the digest signs or authenticates, or '' when it does not (or the names do not
    tell)."""
    chain, targets = _chain_and_targets(call)
    data = _names_in(_arguments_of(chain))
    context = list(targets)
    method = _enclosing(call, ("method_declaration", "constructor_declaration"))
    if method is not None:
        context.append(text(method.child_by_field_name("name")))
    body = _enclosing(call, _METHODS)
    if body is not None and targets:
        used, written = _uses(body, chain[-1].end_byte, set(targets))
        context.extend(used)
        data.extend(written)
    data_words = _words(data)
    if data_words & _PASSWORD:
        return ""
    secret = _secret(data_words, data)
    if secret:
        return f"signs with a secret ({secret}) hashed in"
    context_words = _words(context)
    if context_words & _FINGERPRINT:
        return ""
    signing = context_words & _SIGNING
    if not signing:
        return ""
    role = "token" if signing <= {"token", "tokens"} else "signature"
    return f"is used as a {role}"


def _chain_and_targets(call: Node) -> tuple[list[Node], list[str]]:
    """The calls chained on the digest (`getInstance("MD5").digest(x)`) and the names its
    result is stored in."""
    chain = [call]
    current = call
    while (
        current.parent is not None
        and current.parent.type == "method_invocation"
        and current.parent.child_by_field_name("object") == current
    ):
        current = current.parent
        chain.append(current)
    holder = current.parent
    while holder is not None and holder.type in ("parenthesized_expression", "cast_expression"):
        holder = holder.parent
    targets: list[str] = []
    if holder is not None and holder.type == "variable_declarator":
        targets.append(text(holder.child_by_field_name("name")))
    elif holder is not None and holder.type == "assignment_expression":
        targets.extend(_names_in([holder.child_by_field_name("left")]))
    return chain, targets


def _arguments_of(chain: list[Node]) -> list[Node]:
    found: list[Node] = []
    for link in chain:
        arguments = link.child_by_field_name("arguments")
        if arguments is not None:
            found.extend(arguments.named_children)
    return found


def _uses(body: Node, offset: int, tracked: set[str]) -> tuple[list[str], list[str]]:
    """Names and string literals of the statements after `offset` that use a tracked name
    (following the values computed from it), and the names fed into a tracked digest object
    (`md.update(x)`, `md.digest(x)`)."""
    used: list[str] = []
    written: list[str] = []
    for part in _parts_after(body, offset):
        names = _names_in([part])
        if not tracked.intersection(names):
            continue
        used.extend(names)
        used.extend(text(n) for n in walk(part) if n.type == "string_fragment")
        written.extend(_fed(part, tracked))
        if part.type == "local_variable_declaration":
            tracked.update(
                text(d.child_by_field_name("name"))
                for d in part.children_by_field_name("declarator")
            )
        else:
            for node in walk(part):
                if node.type == "assignment_expression":
                    tracked.update(_names_in([node.child_by_field_name("left")]))
    return used, written


def _parts_after(body: Node, offset: int) -> list[Node]:
    """Simple statements, and the conditions of `if` / loops, after `offset`."""
    parts: list[Node] = []
    for node in walk(body):
        if node.start_byte < offset and node.end_byte <= offset:
            continue
        if node.type in _STATEMENTS and node.start_byte >= offset:
            parts.append(node)
        elif node.type in _CONDITIONS and node.start_byte >= offset:
            condition = node.child_by_field_name("condition")
            if condition is not None:
                parts.append(condition)
    return parts


def _fed(part: Node, tracked: set[str]) -> list[str]:
    written: list[str] = []
    for node in walk(part):
        if node.type != "method_invocation":
            continue
        receiver = node.child_by_field_name("object")
        feeds = text(node.child_by_field_name("name")) in _FEEDS
        if feeds and receiver is not None and text(receiver) in tracked:
            written.extend(_names_in(_arguments_of([node])))
    return written


def _names_in(nodes: list[Node | None]) -> list[str]:
    """Variable and field names read in `nodes` (`this.secret` gives `secret`)."""
    names: list[str] = []
    for root in nodes:
        if root is None:
            continue
        for node in walk(root):
            if node.type == "identifier":
                names.append(text(node))
    return names


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


def _enclosing(node: Node, types: tuple[str, ...]) -> Node | None:
    current = node.parent
    while current is not None and current.type not in types:
        current = current.parent
    return current
