"""Evaluating Python expressions to abstract `Value`s: literals, names, string building,
containers, request attributes and the results of calls.

Pure helpers over values live in `value_ops`; the results of library calls in
`library_calls`."""

from __future__ import annotations

import ast
import builtins
import stat
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace

from analysis.detectors.python import sources_sinks as known
from analysis.detectors.python.guards import apply_guards
from analysis.detectors.python.library_calls import library_call_value
from analysis.detectors.python.value_ops import (
    derive,
    dotted_name,
    element_of,
    fold,
    member_shape,
    unparse,
)
from analysis.detectors.python.values import (
    CONSTANT,
    LOCAL,
    REMOTE,
    STRINGS,
    UNKNOWN,
    Value,
    branches,
    constant,
    fresh,
    join,
)

__all__ = ["ExpressionEvaluator", "Frame", "derive", "element_of", "unparse"]

_BUILTINS = frozenset(dir(builtins))
# sinks where only a mapping's keys matter (`Model(**fields)`): a dict whose keys the code
# chose or validated is safe for them whatever its values hold
_KEYED = frozenset({"mass"})


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


class ExpressionEvaluator(ABC):
    """Subclasses provide `call_value(node, frame)` (calls need summaries and checks)."""

    def __init__(self, aliases: dict[str, str], module_names: frozenset[str]) -> None:
        self.aliases = aliases
        self.module_names = module_names  # functions and classes defined in the file
        self.globals: dict[str, Value] = {}
        # (class, attribute) -> shape of objects the class keeps on `self` (HTTP clients)
        self.instance_shapes: dict[tuple[str, str], str] = {}

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

    @abstractmethod
    def call_value(self, node: ast.Call, frame: Frame) -> Value:
        """The value of a call (the interpreter resolves local functions and summaries)."""

    def _value_Call(self, node: ast.Call, frame: Frame) -> Value:
        return self.call_value(node, frame)

    def _value_Constant(self, node: ast.Constant, frame: Frame) -> Value:
        return constant(node.value)

    def _value_Name(self, node: ast.Name, frame: Frame) -> Value:
        return self.lookup(node.id, frame)

    def _value_Attribute(self, node: ast.Attribute, frame: Frame) -> Value:
        dotted = dotted_name(node)
        if dotted and dotted in frame.env:
            return frame.env[dotted]
        if frame.class_name and isinstance(node.value, ast.Name) and node.value.id == "self":
            kept = self.instance_shapes.get((frame.class_name, node.attr))
            if kept:
                return Value(shape=kept)
        qualified = self.qualname(node)
        if qualified.startswith("stat.S_"):  # permission bits: `stat.S_IRUSR | stat.S_IWUSR`
            bits = getattr(stat, node.attr, None)
            return constant(bits) if isinstance(bits, int) else CONSTANT
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
        return derive(base, node.value, node, shape=member_shape(base))

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
        return derive(base, node.value, node, shape=member_shape(base))

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
        folded = fold(node.op, left, right)
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
        keys = [self.value(k, frame) for k in node.keys if k is not None]
        values = [self.value(v, frame) for v in node.values]
        self.literal_built(node, values)
        result = join(keys + values, shape="dict")
        if None not in node.keys and all(key.constant for key in keys):
            return result.clear(_KEYED)  # the code chose every key: no client-chosen field
        return result

    def literal_built(self, node: ast.Dict | ast.Tuple, values: list[Value]) -> None:
        """Called with the values of each dict / tuple display (checks of message shapes)."""
        return None

    def _sequence(self, node: ast.List | ast.Tuple | ast.Set, frame: Frame, shape: str) -> Value:
        items = [self.value(e, frame) for e in node.elts]
        if isinstance(node, ast.Tuple):
            self.literal_built(node, items)
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
        """The comprehension runs in its own scope; its `if` clauses validate the targets
        like an `if` statement (`{k: v for k, v in data.items() if k in ALLOWED}`)."""
        inner = frame.fork()
        for generator in node.generators:  # type: ignore[attr-defined]
            source = self.value(generator.iter, inner)
            self.bind(generator.target, element_of(source), inner, generator.target.lineno)
            for condition in generator.ifs:
                self.value(condition, inner)
                apply_guards(condition, inner, inner.fork(), self)
        values = [self.value(r, inner) for r in results]
        result = join(values, shape=shape)
        if isinstance(node, ast.DictComp) and not values[0].reaching("mass"):
            return result.clear(_KEYED)  # keys validated or chosen by the code
        return result

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
            dotted = dotted_name(target)
            if dotted:
                frame.env[dotted] = value.via(f"{dotted} (line {line})")
        elif isinstance(target, ast.Subscript):
            container = dotted_name(target.value)
            if container:
                current = frame.env.get(container) or self.lookup(container, frame)
                merged = join([current, value.via(f"{container}[...] (line {line})")])
                frame.env[container] = replace(merged, shape=current.shape or "dict")

    # ---- results of calls that need no summary -----------------------------------------
    def library_call(
        self, node: ast.Call, name: str, receiver: Value | None, args: list[Value]
    ) -> Value:
        return library_call_value(node, name, receiver, args, self.aliases)
