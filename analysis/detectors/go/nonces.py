"""Constant IVs and nonces in Go's `crypto/cipher` (CWE-329 / CWE-323).

A block mode (`cipher.NewCBCEncrypter(block, iv)`, CFB, CTR, OFB) or an AEAD (`aead.Seal(dst,
nonce, ...)`) given an IV that is a literal (`[]byte("...")`, `[]byte{...}`, or a variable of
the function or package holding one) encrypts every message under the same IV.

The weakness is in the encryption; decrypting with the same constant follows from it. So a
decrypting call (`NewCBCDecrypter`, `NewCFBDecrypter`, `aead.Open`) is reported only when the
file has no encrypting call with a constant IV to carry the finding: one finding per
weakness, at the place to fix. A variable assigned anything else in its function
(`make([]byte, n)` filled by `io.ReadFull(rand.Reader, iv)`, a slice of the message) is not a
constant, whatever a same-named variable elsewhere holds.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.go.spec import arguments, callee_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text, walk
from analysis.detectors.treesitter.taint import TaintWalk

_ENCRYPTERS = re.compile(r"^cipher\.(?:NewCBCEncrypter|NewCFBEncrypter|NewCTR|NewOFB)$")
_DECRYPTERS = re.compile(r"^cipher\.(?:NewCBCDecrypter|NewCFBDecrypter)$")
_LITERAL = re.compile(r"^\[\](?:byte|uint8)(?:\(\s*[\"`]|\{)")
_FUNCTIONS = ("function_declaration", "method_declaration", "func_literal")
_NOTE = "go-constant-nonce-encryption"


def constant_nonce(walk_: TaintWalk, call: Node, callee: str, args: list[Node]) -> list[Hit]:
    """The static-iv hit of a block-mode or AEAD call with a constant IV / nonce."""
    role = _role(walk_, callee, args)
    if role is None or not constant_bytes(args[1]):
        return []
    if role == "decrypt" and _encrypts_with_constant(walk_):
        return []
    return [walk_.hit("static-iv", call, 0.8, f"{callee} with a constant IV/nonce")]


def _role(walk_: TaintWalk, callee: str, args: list[Node]) -> str | None:
    if len(args) < 2:
        return None
    if _ENCRYPTERS.match(callee):
        return "encrypt"
    if _DECRYPTERS.match(callee):
        return "decrypt"
    method = callee.rsplit(".", 1)[-1]
    aead = "." in callee and len(args) >= 3 and b'"crypto/cipher"' in walk_.parsed.source
    if aead and method == "Seal":
        return "encrypt"
    if aead and method == "Open":
        return "decrypt"
    return None


def _encrypts_with_constant(walk_: TaintWalk) -> bool:
    """Whether any encrypting call of the file takes a constant IV (computed once)."""
    noted = walk_.notes.get(_NOTE)
    if noted is None:
        found = any(
            _role(walk_, callee_name(node), arguments(node)) == "encrypt"
            and constant_bytes(arguments(node)[1])
            for node in walk(walk_.parsed.root)
            if node.type == "call_expression"
        )
        noted = walk_.notes[_NOTE] = {1} if found else set()
    return bool(noted)


def constant_bytes(node: Node) -> bool:
    """A byte-slice literal, or a variable that only ever holds one: assigned in its function
    (or, when the function does not assign it, at package level)."""
    raw = text(node)
    if _LITERAL.match(raw):
        return True
    if node.type != "identifier":
        return False
    function = node.parent
    while function is not None and function.type not in _FUNCTIONS:
        function = function.parent
    assigned = re.compile(rf"(?m)\b{re.escape(raw)}\s*(?:\[\]byte\s*)?:?=\s*([^\n;]+)")
    if function is not None:
        if raw in _parameter_names(function):
            return False
        values = assigned.findall(text(function.child_by_field_name("body")))
        if values:
            return all(_LITERAL.match(v.strip()) for v in values)
    root = node
    while root.parent is not None:
        root = root.parent
    package_values = [
        value
        for top in root.named_children
        if top.type == "var_declaration"
        for value in assigned.findall(text(top))
    ]
    return bool(package_values) and all(_LITERAL.match(v.strip()) for v in package_values)


def _parameter_names(function: Node) -> set[str]:
    parameters = function.child_by_field_name("parameters")
    names: set[str] = set()
    for declaration in parameters.named_children if parameters is not None else []:
        names.update(text(n) for n in declaration.children_by_field_name("name"))
    return names
