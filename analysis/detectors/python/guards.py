"""Validation in `if` tests: allow-list membership, equality with constants, format and
prefix checks, `is_relative_to`, `netloc in ALLOWED`. A validated variable is cleared for
the sinks the check protects, in the branch where the check holds (and after the `if`
when the other branch aborts)."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from analysis.detectors.python.values import ALL_KINDS

if TYPE_CHECKING:
    from analysis.detectors.python.expressions import ExpressionEvaluator, Frame

Facts = dict[str, frozenset[str]]
URL_KINDS = frozenset({"ssrf", "redirect"})
PATH_KINDS = frozenset({"path"})
_URL_PARTS = frozenset({"netloc", "hostname", "host", "scheme", "port"})
_FORMAT_CHECKS = frozenset(
    {"isdigit", "isnumeric", "isdecimal", "isalnum", "isalpha", "isidentifier"}
)
_VALIDATOR = re.compile(
    r"(?i)^(?:is_|check_|validate_?|ensure_)?(?:safe|valid|allowed|trusted|permitted)"
    r"|url_has_allowed_host_and_scheme|^validate|^is_safe"
)
_STOPPERS = frozenset({"abort", "exit", "_exit", "quit", "fail", "raise_for_status"})
_SAFE_TYPES = frozenset({"int", "float", "bool", "UUID", "uuid.UUID", "Decimal"})
_DERIVATION_DEPTH = 2


def terminates(block: list[ast.stmt]) -> bool:
    """Does `block` always leave (return, raise, abort(), continue, break)?"""
    if not block:
        return False
    last = block[-1]
    if isinstance(last, ast.Return | ast.Raise | ast.Continue | ast.Break):
        return True
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        func = last.value.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in _STOPPERS
    if isinstance(last, ast.If):
        return terminates(last.body) and terminates(last.orelse)
    return False


def apply_guards(
    test: ast.expr, when_true: Frame, when_false: Frame, evaluator: ExpressionEvaluator
) -> None:
    positive, negative = _facts(test, evaluator, when_true)
    _validate(when_true, positive)
    _validate(when_false, negative)


def _facts(test: ast.expr, ev: ExpressionEvaluator, frame: Frame) -> tuple[Facts, Facts]:
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        positive, negative = _facts(test.operand, ev, frame)
        return negative, positive
    if isinstance(test, ast.BoolOp):
        parts = [_facts(value, ev, frame) for value in test.values]
        if isinstance(test.op, ast.And):
            return _union([p for p, _ in parts]), (parts[0][1] if len(parts) == 1 else {})
        return ({}, _union([n for _, n in parts]))
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        return _compare_facts(test, ev, frame)
    if isinstance(test, ast.Call):
        return _call_facts(test, ev, frame), {}
    return {}, {}


def _compare_facts(test: ast.Compare, ev: ExpressionEvaluator, frame: Frame) -> tuple[Facts, Facts]:
    left, op, right = test.left, test.ops[0], test.comparators[0]
    if isinstance(op, ast.In | ast.NotIn) and _is_allow_list(right, ev, frame):
        facts = _names(left, frame, URL_KINDS if _is_url_part(left, frame) else ALL_KINDS)
        return (facts, {}) if isinstance(op, ast.In) else ({}, facts)
    if isinstance(op, ast.Eq | ast.NotEq):
        checked = _checked_side(left, right, ev, frame)
        if checked is None:
            return {}, {}
        if isinstance(checked, ast.Call) and _short(checked.func) == "commonpath":
            facts = _names(checked, frame, PATH_KINDS)
        else:
            facts = _names(checked, frame, URL_KINDS if _is_url_part(checked, frame) else ALL_KINDS)
        return (facts, {}) if isinstance(op, ast.Eq) else ({}, facts)
    return {}, {}


def _call_facts(test: ast.Call, ev: ExpressionEvaluator, frame: Frame) -> Facts:
    func = test.func
    short = _short(func)
    receiver = func.value if isinstance(func, ast.Attribute) else None
    if short == "startswith" and receiver is not None and test.args:
        prefix = test.args[0]
        text = prefix.value if isinstance(prefix, ast.Constant) else None
        if isinstance(text, str) and re.match(r"(?i)^https?://[^/]+/", text):
            return _names(receiver, frame, URL_KINDS)
        if text == "/":
            return _names(receiver, frame, frozenset({"redirect"}))
        return _names(receiver, frame, PATH_KINDS)
    if short == "is_relative_to" and receiver is not None:
        return _names(receiver, frame, PATH_KINDS)
    if short in _FORMAT_CHECKS and receiver is not None:
        return _names(receiver, frame, ALL_KINDS)
    name = ev.qualname(func)
    if name in ("re.match", "re.fullmatch") and len(test.args) >= 2:
        return _names(test.args[1], frame, ALL_KINDS)
    if short in ("fullmatch", "match") and receiver is not None and test.args:
        return _names(test.args[0], frame, ALL_KINDS)
    if name == "isinstance" and len(test.args) == 2:
        types = test.args[1].elts if isinstance(test.args[1], ast.Tuple) else [test.args[1]]
        if all(ev.qualname(t) in _SAFE_TYPES for t in types):
            return _names(test.args[0], frame, ALL_KINDS)
        return {}
    if _VALIDATOR.search(short):
        kinds = URL_KINDS if "url" in short.lower() or "host" in short.lower() else ALL_KINDS
        facts: Facts = {}
        for arg in test.args[:1]:
            facts.update(_names(arg, frame, kinds))
        return facts
    return {}


def _checked_side(
    left: ast.expr, right: ast.expr, ev: ExpressionEvaluator, frame: Frame
) -> ast.expr | None:
    if _is_constant(right, ev, frame) and not _is_constant(left, ev, frame):
        return left
    if _is_constant(left, ev, frame) and not _is_constant(right, ev, frame):
        return right
    if isinstance(left, ast.Call) and _short(left.func) == "commonpath":
        return left
    return None


def _is_constant(node: ast.expr, ev: ExpressionEvaluator, frame: Frame) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name | ast.Attribute):
        name = node.id if isinstance(node, ast.Name) else node.attr
        if name.isupper():
            return True
        return isinstance(node, ast.Name) and ev.lookup(node.id, frame).constant
    return False


def _is_allow_list(node: ast.expr, ev: ExpressionEvaluator, frame: Frame) -> bool:
    if isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict):
        return True
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "keys"
    ):
        return _is_allow_list(node.func.value, ev, frame)
    return _is_constant(node, ev, frame)


def _is_url_part(node: ast.expr, frame: Frame) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in _URL_PARTS


def _short(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _names(node: ast.expr, frame: Frame, kinds: frozenset[str]) -> Facts:
    found = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in frame.env}
    frontier = set(found)
    for _ in range(_DERIVATION_DEPTH):
        frontier = {source for name in frontier for source in frame.derived.get(name, ())} - found
        found |= frontier
    return {name: kinds for name in found}


def _union(facts: list[Facts]) -> Facts:
    merged: Facts = {}
    for fact in facts:
        for name, kinds in fact.items():
            merged[name] = merged.get(name, frozenset()) | kinds
    return merged


def _validate(frame: Frame, facts: Facts) -> None:
    for name, kinds in facts.items():
        if name in frame.env:
            frame.env[name] = frame.env[name].clear(kinds)
