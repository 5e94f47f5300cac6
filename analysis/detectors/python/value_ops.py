"""Pure operations on abstract values while expressions are evaluated: labels from source
text, elements of containers, reads from a tainted base, and constant folding."""

from __future__ import annotations

import ast
import operator
from dataclasses import replace

from analysis.detectors.python.values import (
    CONSTANT,
    MAX_LABEL,
    SCALAR,
    STRINGS,
    Value,
    constant,
)

MAX_LITERAL = 4096
_ARITHMETIC = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.BitOr: operator.or_,
    ast.BitAnd: operator.and_,
    ast.BitXor: operator.xor,
    ast.LShift: operator.lshift,
}


def unparse(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 3] + "..."


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


def member_shape(base: Value) -> str:
    shape = base.taints[0].shape if base.taints else SCALAR
    return SCALAR if shape == STRINGS else shape


def dotted_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def small_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_LITERAL


def fold(op: ast.operator, left: Value, right: Value) -> Value | None:
    """Constant folding for numbers, strings and bytes (modes, key sizes, IVs)."""
    if not (left.constant and right.constant):
        return None
    a, b = left.literal, right.literal
    function = _ARITHMETIC.get(type(op))
    if function is None or a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
        return CONSTANT if left.constant and right.constant else None
    if isinstance(a, str | bytes) and isinstance(b, int) and len(a) * b > MAX_LITERAL:
        return CONSTANT
    try:
        return constant(function(a, b))
    except (TypeError, ValueError, OverflowError):
        return CONSTANT
