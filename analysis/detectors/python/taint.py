"""Intra-file taint tracking over Python's `ast`.

Statements run in order over an environment of abstract values; branches run on copies
that are merged; loops run twice. Every function is interpreted once: parameters of route
handlers carry request data, other parameters are symbolic, which yields a summary
(parameter -> return value, parameter -> sink) that call sites in the same file apply.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from analysis.detectors.python.callsite import CallSite, FunctionFacts, PyHit, Reporter
from analysis.detectors.python.expressions import (
    ExpressionEvaluator,
    Frame,
    element_of,
)
from analysis.detectors.python.guards import apply_guards, terminates
from analysis.detectors.python.routes import Route
from analysis.detectors.python.values import (
    CONSTANT,
    DATA,
    ERROR,
    LOCAL,
    PARAM,
    REMOTE,
    SCALAR,
    UNKNOWN,
    Taint,
    Value,
    branches,
    fresh,
    join,
    merge_taints,
)

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
CallCheck = Callable[[CallSite, Reporter], None]
ReturnCheck = Callable[[ast.Return, Value, FunctionFacts, Reporter], None]
_MAX_LOOP_REPEAT_DEPTH = 2


@dataclass(frozen=True)
class ParamSink:
    """A parameter of a helper reaches a sink inside it."""

    param: int
    rule_id: str
    kind: str
    sink: str
    line: int
    remote: float | None
    local: float | None
    shapes: frozenset[str] | None


@dataclass
class Summary:
    params: dict[str, int]
    returns: Value = CONSTANT
    sinks: list[ParamSink] = field(default_factory=list)


class Interpreter(ExpressionEvaluator):
    def __init__(
        self,
        aliases: dict[str, str],
        functions: dict[str, FunctionNode],
        methods: dict[tuple[str, str], FunctionNode],
        route_of: Callable[[FunctionNode], Route | None],
        imports: frozenset[str],
        call_checks: list[CallCheck],
        return_checks: list[ReturnCheck],
    ) -> None:
        names = frozenset(functions) | frozenset(class_name for class_name, _ in methods)
        super().__init__(aliases, names)
        self.functions = functions
        self.methods = methods
        self.route_of = route_of
        self.imports = imports
        self.call_checks = call_checks
        self.return_checks = return_checks
        self.hits: list[PyHit] = []
        self.summaries: dict[FunctionNode, Summary] = {}
        self.in_progress: set[FunctionNode] = set()
        self.owner_class: dict[FunctionNode, str] = {
            node: class_name for (class_name, _), node in methods.items()
        }
        self.current: Summary | None = None

    # ---- reporting ---------------------------------------------------------------------
    def report(
        self, rule_id: str, node: ast.AST, confidence: float, detail: str, group: str = ""
    ) -> None:
        line = getattr(node, "lineno", 1)
        end = getattr(node, "end_lineno", None) or line
        self.hits.append(
            PyHit(rule_id, line, end, confidence, detail, group or f"{rule_id}@{line}")
        )

    def sink(
        self,
        rule_id: str,
        node: ast.AST,
        value: Value,
        sink: str,
        *,
        kind: str,
        remote: float | None = None,
        local: float | None = None,
        dynamic: float | None = None,
        dynamic_detail: str = "",
        shapes: frozenset[str] | None = None,
        group: str = "",
    ) -> None:
        line = getattr(node, "lineno", 1)
        reaching = value.reaching(kind)
        if shapes is not None:
            reaching = tuple(t for t in reaching if t.shape in shapes)
        for taint_kind, confidence in ((REMOTE, remote), (LOCAL, local)):
            found = next((t for t in reaching if t.kind == taint_kind), None)
            if confidence is not None and found is not None:
                self.report(rule_id, node, confidence, found.path_to(sink), group)
                break
        if self.current is not None:
            for taint in reaching:
                if taint.kind == PARAM:
                    self.current.sinks.append(
                        ParamSink(taint.param, rule_id, kind, sink, line, remote, local, shapes)
                    )
        non_constant = value.reaching(kind) if shapes is None else reaching
        if dynamic is not None and non_constant:
            detail = dynamic_detail or f"{sink} with non-constant data"
            self.report(rule_id, node, dynamic, detail, group)

    # ---- module and functions ----------------------------------------------------------
    def run_module(self, tree: ast.Module) -> None:
        frame = Frame(env=self.globals)
        self.run_block(tree.body, frame)
        for function in list(self.functions.values()) + list(self.methods.values()):
            self.summarise(function)

    def summarise(self, function: FunctionNode, closure: dict[str, Value] | None = None) -> Summary:
        if function in self.summaries:
            return self.summaries[function]
        params = _param_indices(function, function in self.owner_class)
        if function in self.in_progress:
            return Summary(params, fresh(UNKNOWN, f"{function.name}()"))
        self.in_progress.add(function)
        summary = Summary(params)
        route = self.route_of(function)
        frame = Frame(
            env=dict(closure or {}),
            function=function,
            class_name=self.owner_class.get(function, ""),
            is_route=route is not None,
        )
        for arg in _all_params(function):
            frame.env[arg.arg] = self._param_value(arg, params, route)
        outer, self.current = self.current, summary
        try:
            self.run_block(function.body, frame)
        finally:
            self.current = outer
            self.in_progress.discard(function)
        summary.returns = branches(frame.returns) if frame.returns else CONSTANT
        self.summaries[function] = summary
        return summary

    def _param_value(self, arg: ast.arg, params: dict[str, int], route: Route | None) -> Value:
        name = arg.arg
        annotation = self.qualname(arg.annotation).rsplit(".", 1)[-1] if arg.annotation else ""
        if name == "request" or annotation in ("Request", "HttpRequest", "WebSocket"):
            return Value(shape="request")
        if route is None:
            if name in params:
                return fresh(PARAM, name, param=params[name])
            return fresh(UNKNOWN, name)
        if name in route.safe_params:
            return CONSTANT
        if name in route.skip_params or route.framework == "django":
            return fresh(UNKNOWN, name)
        if route.framework == "flask" and name not in route.path_params:
            return fresh(UNKNOWN, name)
        shape = DATA if name in route.data_params else SCALAR
        return fresh(REMOTE, f"route parameter {name}", shape)

    # ---- statements --------------------------------------------------------------------
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
            self.bind(node.target, self.value(node.value, frame), frame, node.lineno)
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
        caught = self.qualname(handler.type) if handler.type is not None else ""
        if caught in ("", "Exception", "BaseException"):
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

    # ---- calls -------------------------------------------------------------------------
    def call_value(self, node: ast.Call, frame: Frame) -> Value:
        func = node.func
        name = self.qualname(func)
        short = (
            func.attr
            if isinstance(func, ast.Attribute)
            else (func.id if isinstance(func, ast.Name) else "")
        )
        receiver = self.value(func.value, frame) if isinstance(func, ast.Attribute) else None
        if not isinstance(func, ast.Name | ast.Attribute):
            self.value(func, frame)
        args = [self.value(a, frame) for a in node.args if not isinstance(a, ast.Starred)]
        kwargs = {kw.arg or "**": self.value(kw.value, frame) for kw in node.keywords}
        for starred in (a for a in node.args if isinstance(a, ast.Starred)):
            kwargs["*"] = self.value(starred.value, frame)
        function_name = frame.function.name if frame.function is not None else ""
        site = CallSite(
            node,
            name,
            short,
            receiver,
            args,
            kwargs,
            self.imports,
            FunctionFacts(function_name, frame.is_route),
        )
        for check in self.call_checks:
            check(site, self)
        local = self._local_function(func, frame)
        if local is not None:
            return self._apply_summary(site, local)
        return self.library_call(node, name, receiver, args + list(kwargs.values()))

    def _local_function(self, func: ast.AST, frame: Frame) -> FunctionNode | None:
        if isinstance(func, ast.Name) and func.id not in frame.env:
            return self.functions.get(func.id)
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in ("self", "cls")
            and frame.class_name
        ):
            return self.methods.get((frame.class_name, func.attr))
        return None

    def _apply_summary(self, site: CallSite, function: FunctionNode) -> Value:
        summary = self.summarise(function)
        bound = _bind_arguments(site, summary.params)
        step = f"{function.name}() (line {site.node.lineno})"
        for param_sink in summary.sinks:
            argument = bound.get(param_sink.param)
            if argument is not None:
                self._sink_through_helper(site, function, param_sink, argument)
        taints: list[Taint] = []
        for taint in summary.returns.taints:
            if taint.kind != PARAM:
                taints.append(taint)
                continue
            argument = bound.get(taint.param)
            if argument is None:
                continue
            for inner in argument.taints:
                cleared = inner.cleared | taint.cleared
                taints.append(
                    Taint(
                        inner.kind, inner.label, inner.trail, cleared, inner.param, inner.shape
                    ).via(step)
                )
        returns = summary.returns
        if not taints:
            return Value(
                literal=returns.literal,
                text=returns.text,
                prefix=returns.prefix,
                shape=returns.shape,
            )
        prefix = returns.prefix
        only = [t for t in returns.taints if t.kind == PARAM]
        if not prefix and len(only) == 1 and only[0].param in bound:
            prefix = bound[only[0].param].prefix
        return Value(
            taints=merge_taints([tuple(taints)]),
            text=returns.text,
            built=returns.built,
            prefix=prefix,
            shape=returns.shape,
        )

    def _sink_through_helper(
        self, site: CallSite, function: FunctionNode, param_sink: ParamSink, argument: Value
    ) -> None:
        sink = f"{function.name}() -> {param_sink.sink} (line {param_sink.line})"
        self.sink(
            param_sink.rule_id,
            site.node,
            argument,
            sink,
            kind=param_sink.kind,
            remote=param_sink.remote,
            local=param_sink.local,
            shapes=param_sink.shapes,
            group=f"{param_sink.rule_id}@{param_sink.line}",
        )


def _all_params(function: FunctionNode) -> list[ast.arg]:
    args = function.args
    params = args.posonlyargs + args.args + args.kwonlyargs
    return params + [a for a in (args.vararg, args.kwarg) if a is not None]


def _param_indices(function: FunctionNode, is_method: bool) -> dict[str, int]:
    positional = function.args.posonlyargs + function.args.args
    if is_method and positional and positional[0].arg in ("self", "cls"):
        positional = positional[1:]
    names = [a.arg for a in positional] + [a.arg for a in function.args.kwonlyargs]
    return {name: index for index, name in enumerate(names)}


def _bind_arguments(site: CallSite, params: dict[str, int]) -> dict[int, Value]:
    bound: dict[int, Value] = {}
    for index, value in enumerate(site.args):
        bound[index] = value
    for name, value in site.kwargs.items():
        if name in params:
            bound[params[name]] = value
    return bound


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
