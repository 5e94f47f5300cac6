"""Running statements in order over a `Frame`: assignments bind values, branches run on
copies that are merged, loops run twice, `try` arms start from the state before the body,
nested functions are summarised as closures."""

from __future__ import annotations

import ast
from abc import abstractmethod
from collections.abc import Callable
from dataclasses import replace

from analysis.detectors.python.callsite import FunctionFacts, Reporter
from analysis.detectors.python.expressions import ExpressionEvaluator, Frame
from analysis.detectors.python.guards import apply_guards, terminates
from analysis.detectors.python.summaries import FunctionNode, Summary
from analysis.detectors.python.typed_objects import annotated_shape
from analysis.detectors.python.value_ops import element_of
from analysis.detectors.python.values import CONSTANT, ERROR, UNKNOWN, Value, branches, fresh, join

ReturnCheck = Callable[[ast.Return, Value, FunctionFacts, Reporter], None]
_MAX_LOOP_REPEAT_DEPTH = 2
_CATCH_ALL = frozenset(
    {"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"}
)


class StatementRunner(ExpressionEvaluator):
    """Subclasses provide `summarise(function, closure)` and `return_checks`, and are the
    `Reporter` the return checks report through."""

    return_checks: list[ReturnCheck]

    @abstractmethod
    def summarise(self, function: FunctionNode, closure: dict[str, Value] | None = None) -> Summary:
        """What a local function does with its parameters (computed once, cached)."""

    def run_block(self, statements: list[ast.stmt], frame: Frame) -> None:
        for statement in statements:
            self.run_statement(statement, frame)

    def run_statement(self, node: ast.stmt, frame: Frame) -> None:
        handler = getattr(self, f"_run_{type(node).__name__}", None)
        if handler is not None:
            handler(node, frame)
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.value(child, frame)

    def _run_Assign(self, node: ast.Assign, frame: Frame) -> None:
        result = self.value(node.value, frame)
        for target in node.targets:
            if (
                isinstance(target, ast.Tuple | ast.List)
                and isinstance(node.value, ast.Tuple | ast.List)
                and len(target.elts) == len(node.value.elts)
            ):
                for element, value_node in zip(target.elts, node.value.elts, strict=True):
                    self.bind(element, self.value(value_node, frame), frame, node.lineno)
                continue
            self.bind(target, result, frame, node.lineno)
            self._record_derivation(target, node.value, frame)

    def _run_AnnAssign(self, node: ast.AnnAssign, frame: Frame) -> None:
        if node.value is not None:
            result = self.value(node.value, frame)
            typed = annotated_shape(node.annotation, self.qualname)
            self.bind(
                node.target, replace(result, shape=typed) if typed else result, frame, node.lineno
            )
            self._record_derivation(node.target, node.value, frame)

    def _run_AugAssign(self, node: ast.AugAssign, frame: Frame) -> None:
        current = self.value(node.target, frame)
        added = self.value(node.value, frame)
        stringy = isinstance(node.op, ast.Add) and bool(current.text or added.text)
        merged = join([current, added], built="string concatenation" if stringy else "")
        self.bind(node.target, merged, frame, node.lineno)

    def _run_Return(self, node: ast.Return, frame: Frame) -> None:
        result = self.value(node.value, frame) if node.value else CONSTANT
        frame.returns.append(result)
        facts = FunctionFacts(frame.function.name if frame.function else "", frame.is_route)
        for check in self.return_checks:
            check(node, result, facts, self)

    def _run_Expr(self, node: ast.Expr, frame: Frame) -> None:
        self.value(node.value, frame)

    def _run_If(self, node: ast.If, frame: Frame) -> None:
        self.value(node.test, frame)
        body, orelse = frame.fork(), frame.fork()
        apply_guards(node.test, body, orelse, self)
        self.run_block(node.body, body)
        self.run_block(node.orelse, orelse)
        arms = [
            arm
            for arm, block in ((body, node.body), (orelse, node.orelse))
            if not terminates(block)
        ]
        if not arms:
            arms = [body, orelse]
        _merge_into(frame, arms)

    def _loop(self, node: ast.For | ast.AsyncFor | ast.While, frame: Frame) -> None:
        if isinstance(node, ast.For | ast.AsyncFor):
            element = element_of(self.value(node.iter, frame))
        else:
            self.value(node.test, frame)
            element = None
        repeats = 2 if frame.loop_depth < _MAX_LOOP_REPEAT_DEPTH else 1
        body = frame.fork()
        body.loop_depth += 1
        for _ in range(repeats):
            if element is not None:
                self.bind(node.target, element, body, node.lineno)  # type: ignore[union-attr]
            self.run_block(node.body, body)
        body.loop_depth -= 1
        self.run_block(node.orelse, body)
        _merge_into(frame, [frame.fork(), body])

    _run_For = _loop
    _run_AsyncFor = _loop
    _run_While = _loop

    def _run_With(self, node: ast.With | ast.AsyncWith, frame: Frame) -> None:
        for item in node.items:
            result = self.value(item.context_expr, frame)
            if item.optional_vars is not None:
                self.bind(item.optional_vars, result, frame, node.lineno)
        self.run_block(node.body, frame)

    _run_AsyncWith = _run_With

    def _run_Try(self, node: ast.Try, frame: Frame) -> None:
        start = frame.fork()
        self.run_block(node.body, frame)
        arms = [frame.fork()]
        for handler in node.handlers:
            arm = start.fork()
            _merge_into(arm, [start, frame])
            if handler.name:
                arm.env[handler.name] = self._exception_value(handler)
            self.run_block(handler.body, arm)
            if not terminates(handler.body):
                arms.append(arm)
        _merge_into(frame, arms)
        self.run_block(node.orelse, frame)
        self.run_block(node.finalbody, frame)

    _run_TryStar = _run_Try

    def _run_Match(self, node: ast.Match, frame: Frame) -> None:
        self.value(node.subject, frame)
        arms = [frame.fork()]
        for case in node.cases:
            arm = frame.fork()
            if case.guard is not None:
                self.value(case.guard, arm)
            self.run_block(case.body, arm)
            arms.append(arm)
        _merge_into(frame, arms)

    def _exception_value(self, handler: ast.ExceptHandler) -> Value:
        """Text of a catch-all handler (bare, `Exception`, `BaseException`, or a tuple
        holding one) may carry internal details; a handler for named exception classes
        (`except (TemplateSyntaxError, ValueError)`) describes an expected failure."""
        caught = handler.type
        names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
        if any(name is None or self.qualname(name) in _CATCH_ALL for name in names):
            return fresh(ERROR, f"exception {handler.name}")
        return fresh(UNKNOWN, f"exception {handler.name}")

    def _run_FunctionDef(self, node: FunctionNode, frame: Frame) -> None:
        for decorator in node.decorator_list:
            self.value(decorator, frame)
        if frame.function is not None:  # nested: a closure over the enclosing frame
            self.summarise(node, closure=frame.env)

    _run_AsyncFunctionDef = _run_FunctionDef

    def _run_ClassDef(self, node: ast.ClassDef, frame: Frame) -> None:
        for statement in node.body:
            if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                self.run_statement(statement, frame.fork())

    def _record_derivation(self, target: ast.AST, value: ast.AST, frame: Frame) -> None:
        if isinstance(target, ast.Name):
            names = frozenset(
                n.id for n in ast.walk(value) if isinstance(n, ast.Name) and n.id in frame.env
            )
            frame.derived[target.id] = names


def _merge_into(frame: Frame, arms: list[Frame]) -> None:
    names = set().union(*(arm.env for arm in arms))
    merged: dict[str, Value] = {}
    for name in names:
        values = [arm.env[name] for arm in arms if name in arm.env]
        merged[name] = branches(values)
    frame.env.clear()
    frame.env.update(merged)
    for arm in arms:
        frame.derived.update(arm.derived)
