"""The results of calls that need no summary: sources (environment, files, request
objects), cleaning and partly sanitising calls, propagators, methods on values, and calls
the pass cannot see into."""

from __future__ import annotations

import ast
import base64
import binascii
from dataclasses import replace

from analysis.detectors.python import sources_sinks as known
from analysis.detectors.python.archives import archive_value
from analysis.detectors.python.hashing import hash_object_shape
from analysis.detectors.python.nonces import CIPHER_OBJECTS
from analysis.detectors.python.typed_objects import HTTP_CLIENT, HTTP_CLIENT_TYPES
from analysis.detectors.python.value_ops import derive, small_int, unparse
from analysis.detectors.python.values import (
    CONSTANT,
    DATA,
    ERROR,
    LOCAL,
    REMOTE,
    SCALAR,
    STRINGS,
    TEMPLATE_SANDBOX,
    UNKNOWN,
    UNSAFE_YAML_LOADER,
    YAML_LOADER,
    Taint,
    Value,
    constant,
    fresh,
    join,
    merge_taints,
)

_TRACEBACK = frozenset(
    {
        "traceback.format_exc",
        "traceback.format_exception",
        "traceback.format_tb",
        "traceback.format_stack",
        "traceback.print_exc",
    }
)
# Jinja's sandbox, documented for rendering untrusted templates: attribute access and calls
# inside the template are checked, so `from_string(user_text)` on one is not an injection
_SANDBOX_ENVIRONMENTS = frozenset(
    {"jinja2.sandbox.SandboxedEnvironment", "jinja2.sandbox.ImmutableSandboxedEnvironment"}
)
_RUAMEL_YAML = frozenset({"ruamel.yaml.YAML", "ruamel.yaml.main.YAML"})
# ruamel.yaml picks its constructor from `typ` (a name or a list): 'rt' (the default),
# 'safe' and 'base' win over 'unsafe', which builds arbitrary Python objects
_RUAMEL_NOT_UNSAFE = frozenset({"rt", "safe", "base"})
_DECODERS = {
    "binascii.unhexlify": binascii.unhexlify,
    "binascii.a2b_hex": binascii.a2b_hex,
    "base64.b64decode": base64.b64decode,
    "base64.urlsafe_b64decode": base64.urlsafe_b64decode,
    "base64.b16decode": base64.b16decode,
}
_OPENERS = frozenset({"open", "io.open", "codecs.open"})
_KEEP_SHAPE_METHODS = frozenset({"items", "keys", "values", "copy", "to_dict", "dict", "lists"})


def library_call_value(
    node: ast.Call,
    name: str,
    receiver: Value | None,
    args: list[Value],
    aliases: dict[str, str],
) -> Value:
    """What a call to a library (or a method on a value) returns."""
    short = (
        name.rsplit(".", 1)[-1]
        if name
        else (node.func.attr if isinstance(node.func, ast.Attribute) else "")
    )
    if name in known.LOCAL_SOURCE_CALLS:
        return fresh(
            LOCAL, known.LOCAL_SOURCE_CALLS[name], STRINGS if "environ" in name else SCALAR
        )
    if name in _TRACEBACK:
        return fresh(ERROR, f"{name}()")
    if name in known.HANDLER_SOURCES:
        return fresh(REMOTE, unparse(node), known.HANDLER_SOURCES[name])
    if receiver is not None and receiver.shape == "request":
        shape = known.REQUEST_ATTRIBUTES.get(short)
        return fresh(REMOTE, unparse(node), shape) if shape is not None else CONSTANT
    if name in known.CLEANING_CALLS or (receiver is not None and short in known.CLEANING_METHODS):
        return CONSTANT
    if name in known.PARTIAL_SANITISERS:
        return join(args).clear(known.PARTIAL_SANITISERS[name])
    if receiver is not None and short in known.PARTIAL_SANITISER_METHODS:
        return join(args).clear(known.PARTIAL_SANITISER_METHODS[short])
    if name in _OPENERS:
        label = f"contents of {unparse(node.args[0])}" if node.args else "file contents"
        return fresh(LOCAL, label).with_shape("file")
    if name in HTTP_CLIENT_TYPES:
        return Value(shape=HTTP_CLIENT)
    if name in _SANDBOX_ENVIRONMENTS:
        return Value(shape=TEMPLATE_SANDBOX)
    if name in _RUAMEL_YAML:
        return Value(shape=_ruamel_shape(node))
    archive = archive_value(name, args)
    if archive is not None:
        return archive
    if name in CIPHER_OBJECTS:
        return Value(shape=CIPHER_OBJECTS[name])
    hash_object = hash_object_shape(name, node) if name else ""
    if hash_object:
        return Value(shape=hash_object)
    folded = _decoded_constant(name, short, receiver, args)
    if folded is not None:
        return folded
    if receiver is not None and short in known.FILE_READ_METHODS:
        if receiver.constant or receiver.shape in ("file", "path"):
            return fresh(LOCAL, f"{unparse(node.func)}()")
        return derive(receiver, node.func.value, node)  # type: ignore[attr-defined]
    if name in ("bytes", "bytearray") and len(args) == 1 and small_int(args[0].literal):
        return constant(bytes(args[0].literal))  # type: ignore[arg-type]
    if name in known.JSON_DECODERS:
        return _as_data(join(args))
    if name in known.PROPAGATORS:
        shape = "path" if "Path" in name or name.startswith("os.path") else ""
        return join(args, shape=shape)
    if receiver is not None and (receiver.taints or not _is_module(node.func, aliases)):
        return _method_result(node, short, receiver, args)
    return _unknown_call(node, args)


def _ruamel_shape(node: ast.Call) -> str:
    typ = next((kw.value for kw in node.keywords if kw.arg == "typ"), None)
    items = typ.elts if isinstance(typ, ast.List | ast.Tuple) else [typ]
    names = {item.value for item in items if isinstance(item, ast.Constant)}
    unsafe = "unsafe" in names and not names & _RUAMEL_NOT_UNSAFE
    return UNSAFE_YAML_LOADER if unsafe else YAML_LOADER


def _decoded_constant(
    name: str, short: str, receiver: Value | None, args: list[Value]
) -> Value | None:
    """Bytes spelled in code: `"...".encode()`, `bytes.fromhex("00ff")`,
    `binascii.unhexlify(...)`, `base64.b64decode(...)` of a literal."""
    literal = args[0].literal if args and args[0].constant else None
    try:
        if short == "encode" and receiver is not None and isinstance(receiver.literal, str):
            if all(arg.constant for arg in args):
                return constant(receiver.literal.encode())
        elif name in ("bytes.fromhex", "bytearray.fromhex") and isinstance(literal, str):
            return constant(bytes.fromhex(literal))
        elif name in _DECODERS and isinstance(literal, str | bytes):
            return constant(_DECODERS[name](literal))
    except (ValueError, TypeError, UnicodeError):
        return CONSTANT
    return None


def _method_result(node: ast.Call, short: str, receiver: Value, args: list[Value]) -> Value:
    if short == "format" and isinstance(receiver.literal, str):
        if all(arg.constant for arg in args):
            return CONSTANT
        merged = join([receiver, *args], built="str.format()")
        return replace(merged, prefix=receiver.literal.split("{", 1)[0])
    if short == "join" and receiver.constant:
        if all(arg.constant for arg in args):
            return CONSTANT
        return replace(join(args, built="str.join()"), prefix="")
    if receiver.taints:
        shape = receiver.taints[0].shape
        if not (shape == DATA or (shape == STRINGS and short in _KEEP_SHAPE_METHODS)):
            shape = SCALAR
        result = derive(receiver, node.func.value, node, shape=shape)  # type: ignore[attr-defined]
        return join([result, *args]) if any(a.taints for a in args) else result
    if receiver.constant and receiver.literal is not None:
        return join(args) if any(a.taints for a in args) else CONSTANT
    if receiver.shape in ("path", "file"):
        return join([receiver, *args], shape=receiver.shape)
    return fresh(UNKNOWN, unparse(node))


def _as_data(value: Value) -> Value:
    """Decoded JSON: the same taints, now holding structured data."""
    return Value(taints=tuple(replace(t, shape=DATA) for t in value.taints))


def _unknown_call(node: ast.Call, args: list[Value]) -> Value:
    """A call the pass cannot see into: its result is non-constant, of unknown origin."""
    downgraded = [
        Taint(UNKNOWN, t.label, t.trail, t.cleared, t.param) for a in args for t in a.taints
    ]
    return Value(taints=merge_taints([(Taint(UNKNOWN, unparse(node)),), tuple(downgraded)]))


def _is_module(func: ast.AST, aliases: dict[str, str]) -> bool:
    """`os.path.join` / `requests.get`: the receiver is an imported module, not data."""
    node = func.value if isinstance(func, ast.Attribute) else func
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id in aliases
