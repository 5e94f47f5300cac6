"""Trust managers and hostname verifiers that accept every peer (CWE-295).

`X509TrustManager.checkServerTrusted` is how a TLS client decides whether to trust the
server's chain: the JSSE contract is that it throws `CertificateException` to reject one.
A body that can never throw (empty, only logging, or a delegate call whose exception is
caught and dropped) accepts every certificate, so the finding lands on that method, one per
trust manager. `checkClientTrusted` only matters to servers asking for client certificates;
an empty one next to a real server check is the usual shape of a client-side manager.
A `HostnameVerifier.verify` returning `true` accepts every host name.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text, walk
from analysis.detectors.treesitter.taint import TaintWalk

_COMMENTS = frozenset({"line_comment", "block_comment"})
_LOGGER = re.compile(r"^(?:log|LOG|logger|LOGGER|\w*[lL]ogger|System\.(?:out|err))$")
_SWALLOWED = re.compile(
    r"^(?:[\w.]*\.)?(?:CertificateException|GeneralSecurityException|Exception|Throwable)$"
)


def trust_all(node: Node, walk_: TaintWalk) -> list[Hit]:
    """A `checkServerTrusted` that never throws, or a `verify(host, SSLSession)` returning
    true, declared at `node`."""
    name = text(node.child_by_field_name("name"))
    body = node.child_by_field_name("body")
    if body is None:
        return []
    if name == "checkServerTrusted" and _never_throws(body):
        detail = "checkServerTrusted never throws, so every server certificate is accepted"
        return [walk_.hit("tls-verification-disabled", node, 0.85, detail)]
    statements = [c for c in body.named_children if c.type not in _COMMENTS]
    verifier = name == "verify" and "SSLSession" in text(node.child_by_field_name("parameters"))
    returns_true = len(statements) == 1 and re.fullmatch(r"return\s+true\s*;", text(statements[0]))
    if verifier and returns_true:
        detail = "hostname verifier returns true"
        return [walk_.hit("tls-verification-disabled", node, 0.85, detail)]
    return []


def _never_throws(body: Node) -> bool:
    """No `throw`, and every call is (part of) a logging call or sits in a `try` whose handler drops
    the certificate exception."""
    for node in walk(body):
        if node.type == "throw_statement":
            return False
        called = node.type in ("method_invocation", "object_creation_expression")
        if called and not _logged(node, body) and not _in_swallowing_try(node, body):
            return False
    return True


def _logged(call: Node, body: Node) -> bool:
    """`call` is a logging call or is evaluated for one (`log.debug("{}", c[0].getX())`)."""
    current: Node | None = call
    while current is not None and current.id != body.id:
        if _logging(current):
            return True
        current = current.parent
    return False


def _logging(call: Node) -> bool:
    receiver = call.child_by_field_name("object")
    return (
        call.type == "method_invocation"
        and receiver is not None
        and bool(_LOGGER.match(re.sub(r"\s+", "", text(receiver))))
    )


def _in_swallowing_try(node: Node, body: Node) -> bool:
    """`node` is inside the block of a `try` with a catch of the certificate exception (or a
    supertype) whose handler does not throw."""
    current = node.parent
    while current is not None and current.id != body.id:
        parent = current.parent
        if parent is not None and parent.type == "try_statement":
            guarded = parent.child_by_field_name("body")
            if guarded is not None and guarded.id == current.id and _swallows(parent):
                return True
        current = parent
    return False


def _swallows(statement: Node) -> bool:
    for clause in statement.named_children:
        if clause.type != "catch_clause":
            continue
        types = [
            text(t)
            for parameter in clause.named_children
            if parameter.type == "catch_formal_parameter"
            for c in parameter.named_children
            if c.type == "catch_type"
            for t in c.named_children
        ]
        handler = clause.child_by_field_name("body")
        rethrows = handler is not None and any(n.type == "throw_statement" for n in walk(handler))
        if any(_SWALLOWED.match(t) for t in types) and not rethrows:
            return True
    return False
