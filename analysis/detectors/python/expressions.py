"""Evaluating Python expressions to abstract `Value`s: literals, names, string building,
containers, request attributes and the results of calls."""

from __future__ import annotations

import ast
import builtins
import operator
from dataclasses import dataclass, field, replace

from analysis.detectors.python import sources_sinks as known
from analysis.detectors.python.values import (
    CONSTANT,
    DATA,
    ERROR,
    LOCAL,
    MAX_LABEL,
    REMOTE,
    SCALAR,
    STRINGS,
    UNKNOWN,
    Taint,
    Value,
    branches,
    constant,
    fresh,
    join,
    merge_taints,
)

_BUILTINS = frozenset(dir(builtins))
_ARITHMETIC = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.BitOr: operator.or_,
    ast.BitAnd: operator.and_,
    ast.BitXor: operator.xor,
    ast.LShift: operator.lshift,
}
_MAX_LITERAL = 4096
_TRACEBACK = frozenset(
    {
        "traceback.format_exc",
        "traceback.format_exception",
        "traceback.format_tb",
        "traceback.format_stack",
        "traceback.print_exc",
    }
)
_HTTP_CLIENTS = frozenset(
    {
        "requests.Session",
        "requests.session",
        "httpx.Client",
        "httpx.AsyncClient",
        "aiohttp.ClientSession",
        "urllib3.PoolManager",
    }
)
_OPENERS = frozenset({"open", "io.open", "codecs.open"})
_KEEP_SHAPE_METHODS = frozenset({"items", "keys", "values", "copy", "to_dict", "dict", "lists"})


@dataclass
class Frame:
    """The state of one function (or the module) while it is interpreted."""

    env: dict[str, Value]
    function: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    class_name: str = ""
    is_route: bool = False
    derived: dict[str, frozenset[str]] = field(default_factory=dict)
    returns: list[Value] = field(default_factory=list)
    loop_depth: int = 0

    def fork(self) -> Frame:
        return replace(self, env=dict(self.env), derived=dict(self.derived))


def unparse(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 3] + "..."


class ExpressionEvaluator:
    """Subclasses provide `call_value(node, frame)` (calls need summaries and checks)."""

    def __init__(self, aliases: dict[str, str], module_names: frozenset[str]) -> None:
        self.aliases = aliases
        self.module_names = module_names  # functions and classes defined in the file
        self.globals: dict[str, Value] = {}

    # ---- names -------------------------------------------------------------------------
    def qualname(self, node: ast.AST | None) -> str:
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualname(node.value)
            return f"{base}.{node.attr}" if base else ""
        return ""

    def lookup(self, name: str, frame: Frame) -> Value:
        if name in frame.env:
            return frame.env[name]
        if name in self.globals:
            return self.globals[name]
        qualified = self.aliases.get(name, "")
        if qualified in known.REQUEST_OBJECTS or name in ("request", "req"):
            return Value(shape="request")
        if qualified or name in self.module_names or name in _BUILTINS:
            return CONSTANT
        return fresh(UNKNOWN, name)

    # ---- evaluation --------------------------------------------------------------------
    def value(self, node: ast.AST | None, frame: Frame) -> Value:
        if node is None:
            return CONSTANT
        handler = getattr(self, f"_value_{type(node).__name__}", None)
        if handler is not None:
            return handler(node, frame)
        children = [
            self.value(c, frame) for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)
        ]
        return join(children)

    def call_value(self, node: ast.Call, frame: Frame) -> Value:  # pragma: no cover - abstract
        raise NotImplementedError

    def _value_Call(self, node: ast.Call, frame: Frame) -> Value:
        return self.call_value(node, frame)

    def _value_Constant(self, node: ast.Constant, frame: Frame) -> Value:
        return constant(node.value)

    def _value_Name(self, node: ast.Name, frame: Frame) -> Value:
        return self.lookup(node.id, frame)

    def _value_Attribute(self, node: ast.Attribute, frame: Frame) -> Value:
        dotted = _dotted(node)
        if dotted and dotted in frame.env:
            return frame.env[dotted]
        qualified = self.qualname(node)
        if qualified in known.LOCAL_SOURCE_ATTRIBUTES:
            return fresh(LOCAL, known.LOCAL_SOURCE_ATTRIBUTES[qualified], STRINGS)
        if qualified in known.REQUEST_OBJECTS or dotted in known.REQUEST_OBJECTS:
            return Value(shape="request")
        base = self.value(node.value, frame)
        if base.shape == "request":
            shape = known.REQUEST_ATTRIBUTES.get(node.attr)
            return fresh(REMOTE, unparse(node), shape) if shape is not None else CONSTANT
        if not base.taints:
            return CONSTANT
        return derive(base, node.value, node, shape=_member_shape(base))

    def _value_Subscript(self, node: ast.Subscript, frame: Frame) -> Value:
        base = self.value(node.value, frame)
        self.value(node.slice, frame)
        if not base.taints:
            literal = base.literal
            if isinstance(literal, tuple | list | str | bytes) and isinstance(
                node.slice, ast.Constant
            ):
                try:
                    return constant(literal[node.slice.value])  # type: ignore[index]
                except (IndexError, TypeError):
                    return CONSTANT
            return CONSTANT
        return derive(base, node.value, node, shape=_member_shape(base))

    def _value_JoinedStr(self, node: ast.JoinedStr, frame: Frame) -> Value:
        parts = [
            self.value(part.value, frame)
            if isinstance(part, ast.FormattedValue)
            else self.value(part, frame)
            for part in node.values
        ]
        if all(part.constant for part in parts):
            text = "".join(part.text for part in parts)
            return constant(text)
        return join(parts, built="an f-string")

    def _value_BinOp(self, node: ast.BinOp, frame: Frame) -> Value:
        left = self.value(node.left, frame)
        right = self.value(node.right, frame)
        folded = _fold(node.op, left, right)
        if folded is not None:
            return folded
        if isinstance(node.op, ast.Mod) and (left.text or isinstance(left.literal, str)):
            return join([left, right], built="%-formatting")
        stringy = left.text or right.text or isinstance(node.left, ast.JoinedStr)
        if isinstance(node.op, ast.Add) and stringy:
            return join([left, right], built="string concatenation")
        if isinstance(node.op, ast.Div) and (left.shape == "path" or right.shape == "path"):
            return join([left, right], shape="path")
        return join([left, right])

    def _value_BoolOp(self, node: ast.BoolOp, frame: Frame) -> Value:
        return branches(self.value(v, frame) for v in node.values)

    def _value_IfExp(self, node: ast.IfExp, frame: Frame) -> Value:
        self.value(node.test, frame)
        return branches([self.value(node.body, frame), self.value(node.orelse, frame)])

    def _value_Compare(self, node: ast.Compare, frame: Frame) -> Value:
        self.value(node.left, frame)
        for comparator in node.comparators:
            self.value(comparator, frame)
        return CONSTANT

    def _value_UnaryOp(self, node: ast.UnaryOp, frame: Frame) -> Value:
        operand = self.value(node.operand, frame)
        if isinstance(node.op, ast.Not):
            return CONSTANT
        if isinstance(node.op, ast.USub) and isinstance(operand.literal, int | float):
            return constant(-operand.literal)
        return operand

    def _value_Dict(self, node: ast.Dict, frame: Frame) -> Value:
        parts = [self.value(k, frame) for k in node.keys if k is not None]
        parts += [self.value(v, frame) for v in node.values]
        return join(parts, shape="dict")

    def _sequence(self, node: ast.List | ast.Tuple | ast.Set, frame: Frame, shape: str) -> Value:
        items = [self.value(e, frame) for e in node.elts]
        merged = join(items, shape=shape)
        if items and all(item.constant and item.literal is not None for item in items):
            return replace(merged, literal=tuple(item.literal for item in items))
        return merged

    def _value_List(self, node: ast.List, frame: Frame) -> Value:
        return self._sequence(node, frame, "list")

    def _value_Tuple(self, node: ast.Tuple, frame: Frame) -> Value:
        return self._sequence(node, frame, "tuple")

    def _value_Set(self, node: ast.Set, frame: Frame) -> Value:
        return self._sequence(node, frame, "set")

    def _comprehension(
        self, node: ast.AST, frame: Frame, results: list[ast.expr], shape: str
    ) -> Value:
        for generator in node.generators:  # type: ignore[attr-defined]
            source = self.value(generator.iter, frame)
            self.bind(generator.target, element_of(source), frame, generator.target.lineno)
            for condition in generator.ifs:
                self.value(condition, frame)
        return join([self.value(r, frame) for r in results], shape=shape)

    def _value_ListComp(self, node: ast.ListComp, frame: Frame) -> Value:
        return self._comprehension(node, frame, [node.elt], "list")

    def _value_SetComp(self, node: ast.SetComp, frame: Frame) -> Value:
        return self._comprehension(node, frame, [node.elt], "set")

    def _value_GeneratorExp(self, node: ast.GeneratorExp, frame: Frame) -> Value:
        return self._comprehension(node, frame, [node.elt], "list")

    def _value_DictComp(self, node: ast.DictComp, frame: Frame) -> Value:
        return self._comprehension(node, frame, [node.key, node.value], "dict")

    def _value_Await(self, node: ast.Await, frame: Frame) -> Value:
        return self.value(node.value, frame)

    def _value_Starred(self, node: ast.Starred, frame: Frame) -> Value:
        return self.value(node.value, frame)

    def _value_NamedExpr(self, node: ast.NamedExpr, frame: Frame) -> Value:
        result = self.value(node.value, frame)
        self.bind(node.target, result, frame, node.lineno)
        return result

    def _value_Lambda(self, node: ast.Lambda, frame: Frame) -> Value:
        self.value(node.body, frame.fork())
        return CONSTANT

    # ---- binding -----------------------------------------------------------------------
    def bind(self, target: ast.AST, value: Value, frame: Frame, line: int) -> None:
        if isinstance(target, ast.Name):
            frame.env[target.id] = value.via(f"{target.id} (line {line})")
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.bind(
                    element, element_of(value) if value.shape != "tuple" else value, frame, line
                )
        elif isinstance(target, ast.Starred):
            self.bind(target.value, value, frame, line)
        elif isinstance(target, ast.Attribute):
            dotted = _dotted(target)
            if dotted:
                frame.env[dotted] = value.via(f"{dotted} (line {line})")
        elif isinstance(target, ast.Subscript):
            container = _dotted(target.value)
            if container:
                current = frame.env.get(container) or self.lookup(container, frame)
                merged = join([current, value.via(f"{container}[...] (line {line})")])
                frame.env[container] = replace(merged, shape=current.shape or "dict")

    # ---- results of calls that need no summary -----------------------------------------
    def library_call(
        self, node: ast.Call, name: str, receiver: Value | None, args: list[Value]
    ) -> Value:
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
        if receiver is not None and receiver.shape == "request":
            shape = known.REQUEST_ATTRIBUTES.get(short)
            return fresh(REMOTE, unparse(node), shape) if shape is not None else CONSTANT
        if name in known.CLEANING_CALLS or (
            receiver is not None and short in known.CLEANING_METHODS
        ):
            return CONSTANT
        if name in known.PARTIAL_SANITISERS:
            return join(args).clear(known.PARTIAL_SANITISERS[name])
        if receiver is not None and short in known.PARTIAL_SANITISER_METHODS:
            return join(args).clear(known.PARTIAL_SANITISER_METHODS[short])
        if name in _OPENERS:
            label = f"contents of {unparse(node.args[0])}" if node.args else "file contents"
            return fresh(LOCAL, label).with_shape("file")
        if name in _HTTP_CLIENTS:
            return Value(shape="http-client")
        if receiver is not None and short in known.FILE_READ_METHODS:
            if receiver.constant or receiver.shape in ("file", "path"):
                return fresh(LOCAL, f"{unparse(node.func)}()")
            return derive(receiver, node.func.value, node)  # type: ignore[attr-defined]
        if name in ("bytes", "bytearray") and len(args) == 1 and _small_int(args[0].literal):
            return constant(bytes(args[0].literal))  # type: ignore[arg-type]
        if name in known.PROPAGATORS:
            shape = "path" if "Path" in name or name.startswith("os.path") else ""
            return join(args, shape=shape)
        if receiver is not None and (receiver.taints or not _is_module(node.func, self.aliases)):
            return self._method_result(node, short, receiver, args)
        return self._unknown_call(node, args)

    def _method_result(
        self, node: ast.Call, short: str, receiver: Value, args: list[Value]
    ) -> Value:
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

    def _unknown_call(self, node: ast.Call, args: list[Value]) -> Value:
        """A call the pass cannot see into: its result is non-constant, of unknown origin."""
        downgraded = [
            Taint(UNKNOWN, t.label, t.trail, t.cleared, t.param) for a in args for t in a.taints
        ]
        return Value(taints=merge_taints([(Taint(UNKNOWN, unparse(node)),), tuple(downgraded)]))


def element_of(value: Value) -> Value:
    """An element of a container (a loop variable, a comprehension target)."""
    if not value.taints:
        return CONSTANT
    taints = tuple(
        replace(t, shape=SCALAR if t.shape == STRINGS else t.shape) for t in value.taints
    )
    return Value(taints=taints)


def derive(base: Value, base_node: ast.AST, node: ast.AST, *, shape: str | None = None) -> Value:
    """`node` reads from `base` (attribute, item, method): same taints, a more precise label."""
    base_text = unparse(base_node)
    text = unparse(node)
    taints = []
    for taint in base.taints:
        if not taint.trail and taint.label == base_text and len(text) < MAX_LABEL:
            taint = replace(taint, label=text)
        if shape is not None:
            taint = replace(taint, shape=shape)
        taints.append(taint)
    return Value(taints=tuple(taints))


def _member_shape(base: Value) -> str:
    shape = base.taints[0].shape if base.taints else SCALAR
    return SCALAR if shape == STRINGS else shape


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def _is_module(func: ast.AST, aliases: dict[str, str]) -> bool:
    """`os.path.join` / `requests.get`: the receiver is an imported module, not data."""
    node = func.value if isinstance(func, ast.Attribute) else func
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id in aliases


def _small_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_LITERAL


def _fold(op: ast.operator, left: Value, right: Value) -> Value | None:
    """Constant folding for numbers, strings and bytes (modes, key sizes, IVs)."""
    if not (left.constant and right.constant):
        return None
    a, b = left.literal, right.literal
    function = _ARITHMETIC.get(type(op))
    if function is None or a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
        return CONSTANT if left.constant and right.constant else None
    if isinstance(a, str | bytes) and isinstance(b, int) and len(a) * b > _MAX_LITERAL:
        return CONSTANT
    try:
        return constant(function(a, b))
    except (TypeError, ValueError, OverflowError):
        return CONSTANT
