"""Constant IVs and nonces in `javax.crypto` parameter specs (CWE-329 / CWE-323).

`new IvParameterSpec(iv)`, `new GCMParameterSpec(tagBits, iv)` and `new
ChaCha20ParameterSpec(nonce, counter)` with an IV that is the same for every message: a
literal (`"...".getBytes(..)`, `new byte[]{...}`, `Hex.decode("...")`), a zero buffer (`new
byte[16]`) that nothing fills, or a variable or field that only ever holds one.

Not constant: a buffer filled after it is made (`random.nextBytes(iv)`, `buffer.get(iv)`,
`System.arraycopy(msg, 0, iv, 0, 16)`), a slice of the message (`Arrays.copyOfRange(msg, 0,
16)`, `new IvParameterSpec(msg, 0, 16)`), a parameter, `cipher.getIV()`. A variable is
resolved in its own method first, then among the class's fields: a same-named variable of
another method does not count.

The weakness is in the encryption; decrypting with the constant follows from it. A spec used
only in `init(Cipher.DECRYPT_MODE | UNWRAP_MODE, ...)` is reported only when no constant spec
of the file is used to encrypt (or in an unknown mode): one finding, at the place to fix.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text, walk
from analysis.detectors.treesitter.taint import TaintWalk

#: spec type -> index of its IV / nonce argument
_SPECS = {"IvParameterSpec": 0, "GCMParameterSpec": 1, "ChaCha20ParameterSpec": 0}
_DECODERS = frozenset({"decode", "parseHex", "parseHexBinary", "decodeHex", "decodeBase64"})
_METHODS = ("method_declaration", "constructor_declaration", "lambda_expression")
_DECRYPT = re.compile(r"\b(?:DECRYPT_MODE|UNWRAP_MODE)\b")
_NOTE = "java-constant-iv-encryption"


def constant_iv(walk_: TaintWalk, call: Node) -> list[Hit]:
    """The static-iv hit of a parameter spec built from a constant IV, if any."""
    if not _constant_spec(call):
        return []
    if _decrypt_only(call) and _encrypts_with_constant(walk_):
        return []
    name = text(call.child_by_field_name("type"))
    return [walk_.hit("static-iv", call, 0.8, f"{name} with a constant IV")]


def _constant_spec(call: Node) -> bool:
    if call.type != "object_creation_expression":
        return False
    index = _SPECS.get(text(call.child_by_field_name("type")))
    given = _arguments(call)
    return index is not None and len(given) > index and _constant_bytes(given[index], call)


def _encrypts_with_constant(walk_: TaintWalk) -> bool:
    noted = walk_.notes.get(_NOTE)
    if noted is None:
        found = any(
            _constant_spec(node) and not _decrypt_only(node)
            for node in walk(walk_.parsed.root)
            if node.type == "object_creation_expression"
        )
        noted = walk_.notes[_NOTE] = {1} if found else set()
    return bool(noted)


def _decrypt_only(spec: Node) -> bool:
    """The spec reaches `init` calls, and all of them decrypt or unwrap."""
    modes = _init_modes(spec)
    return bool(modes) and all(_DECRYPT.search(mode) for mode in modes)


def _init_modes(spec: Node) -> list[str]:
    holder = spec.parent
    if holder is not None and holder.type == "argument_list":
        call = holder.parent
        given = _arguments(call) if call is not None else []
        if call is not None and text(call.child_by_field_name("name")) == "init" and given:
            return [text(given[0])]
        return []
    if holder is None or holder.type != "variable_declarator":
        return []
    name = text(holder.child_by_field_name("name"))
    field = holder.parent is not None and _is_field(holder.parent)
    scope = _class_scope(holder) if field else _method_scope(holder)
    modes: list[str] = []
    for node in walk(scope) if scope is not None else ():
        if node.type == "method_invocation" and text(node.child_by_field_name("name")) == "init":
            given = _arguments(node)
            if given and any(_refers_to(a, name) for a in given[1:]):
                modes.append(text(given[0]))
    return modes


def _constant_bytes(node: Node, use: Node) -> bool:
    if _literal_bytes(node) or _zero_buffer(node):
        return True  # a `new byte[16]` made right here: nothing can have filled it
    name = _variable_name(node)
    if name is None:
        return False
    current = use.parent
    while current is not None and current.type not in ("class_body", "enum_body"):
        if current.type in _METHODS or current.type == "static_initializer":
            if name in _parameters(current):
                return False
            values = _assigned_values(current, name, before=use.start_byte)
            if values:
                return _only_constants(values, current, name)
        current = current.parent
    values = _assigned_values(current, name, before=use.start_byte) if current else []
    return bool(values) and _only_constants(values, current, name)


def _only_constants(values: list[Node], scope: Node, name: str) -> bool:
    if not all(_literal_bytes(v) or _zero_buffer(v) for v in values):
        return False
    return not (any(_zero_buffer(v) for v in values) and _filled(scope, name))


def _literal_bytes(node: Node) -> bool:
    """`"...".getBytes(..)`, `new byte[]{...}`, `{...}`, `Hex.decode("...")`."""
    if node.type == "array_initializer":
        return True
    if node.type == "array_creation_expression":
        return any(c.type == "array_initializer" for c in node.named_children)
    if node.type != "method_invocation":
        return False
    receiver = node.child_by_field_name("object")
    name = text(node.child_by_field_name("name"))
    if name == "getBytes" and receiver is not None and receiver.type == "string_literal":
        return True
    given = _arguments(node)
    return name in _DECODERS and len(given) == 1 and given[0].type == "string_literal"


def _zero_buffer(node: Node) -> bool:
    return node.type == "array_creation_expression" and not any(
        c.type == "array_initializer" for c in node.named_children
    )


def _variable_name(node: Node) -> str | None:
    if node.type == "identifier":
        return text(node)
    if node.type == "field_access" and text(node.child_by_field_name("object")) == "this":
        return text(node.child_by_field_name("field"))
    return None


def _refers_to(node: Node, name: str) -> bool:
    return _variable_name(node) == name


def _method_scope(node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.type not in (*_METHODS, "static_initializer"):
        current = current.parent
    return current


def _class_scope(node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.type not in ("class_body", "enum_body"):
        current = current.parent
    return current


def _is_field(node: Node) -> bool:
    return node.type in ("field_declaration", "constant_declaration")


def _parameters(method: Node) -> set[str]:
    """Parameter names of a method, constructor or lambda (`x -> ..`, `(a, b) -> ..`)."""
    parameters = method.child_by_field_name("parameters")
    if parameters is None:
        return set()
    if parameters.type == "identifier":
        return {text(parameters)}
    names: set[str] = set()
    for child in parameters.named_children:
        if child.type == "identifier":
            names.add(text(child))
        elif child.type in ("formal_parameter", "spread_parameter"):
            names.add(text(child.child_by_field_name("name")))
    return names


def _assigned_values(scope: Node, name: str, *, before: int) -> list[Node]:
    """Values `name` is declared with or assigned in `scope` (fields: only declarations)."""
    values: list[Node] = []
    field_scope = scope.type in ("class_body", "enum_body")
    for node in walk(scope):
        if node.type == "variable_declarator" and text(node.child_by_field_name("name")) == name:
            if field_scope and not (node.parent is not None and _is_field(node.parent)):
                continue
            value = node.child_by_field_name("value")
            if value is not None and (field_scope or node.start_byte < before):
                values.append(value)
        elif node.type == "assignment_expression" and not field_scope:
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is not None and _refers_to(left, name) and right is not None:
                values.append(right)
    return values


def _filled(scope: Node, name: str) -> bool:
    """`name` passed to a call other than a parameter spec (`nextBytes(iv)`, `get(iv)`), or
    written element by element (`iv[i] = ...`)."""
    for node in walk(scope):
        if not _refers_to(node, name) or node.parent is None:
            continue
        parent = node.parent
        if parent.type == "argument_list":
            call = parent.parent
            if call is not None and text(call.child_by_field_name("type")) not in _SPECS:
                return True
        if parent.type == "array_access" and parent.parent is not None:
            holder = parent.parent
            if (
                holder.type == "assignment_expression"
                and holder.child_by_field_name("left") == parent
            ):
                return True
    return False


def _arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [c for c in args.named_children if c.type not in ("line_comment", "block_comment")]
