"""Intra-file taint tracking over Python's `ast`.

Statements run in order over an environment of abstract values; branches run on copies
that are merged; loops run twice. Every function is interpreted once: parameters of route
handlers carry request data, other parameters are symbolic, which yields a summary
(parameter -> return value, parameter -> sink) that call sites in the same file apply.

Expressions are evaluated in `expressions`, statements run in `statements`, summaries are
built and applied with `summaries`; this module holds the interpreter that ties them to the
checks and collects the hits.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import replace

from analysis.detectors.python import sources_sinks as known
from analysis.detectors.python.callsite import (
    CallSite,
    FunctionFacts,
    PyHit,
    Reporter,
    handed_on_call,
)
from analysis.detectors.python.expressions import Frame
from analysis.detectors.python.routes import Route
from analysis.detectors.python.statements import ReturnCheck, StatementRunner
from analysis.detectors.python.summaries import (
    FunctionNode,
    ParamSink,
    Summary,
    all_params,
    bind_arguments,
    param_indices,
    returned_value,
)
from analysis.detectors.python.typed_objects import annotated_shape
from analysis.detectors.python.values import (
    CONSTANT,
    DATA,
    LOCAL,
    PARAM,
    REMOTE,
    SCALAR,
    UNKNOWN,
    Value,
    branches,
    fresh,
)
from warden.records import Severity

__all__ = [
    "CallCheck",
    "FunctionNode",
    "Interpreter",
    "LiteralCheck",
    "ParamSink",
    "ReturnCheck",
    "Summary",
]

CallCheck = Callable[[CallSite, Reporter], None]
_INSTANCE = "instance:"  # the shape of an object of a class defined in the file
# a check of a dict / tuple display, given its values in order and the file's imports
LiteralCheck = Callable[[ast.Dict | ast.Tuple, list[Value], Reporter, frozenset[str]], None]


class Interpreter(StatementRunner):
    def __init__(
        self,
        aliases: dict[str, str],
        functions: dict[str, FunctionNode],
        methods: dict[tuple[str, str], FunctionNode],
        route_of: Callable[[FunctionNode], Route | None],
        imports: frozenset[str],
        call_checks: list[CallCheck],
        return_checks: list[ReturnCheck],
        literal_checks: list[LiteralCheck] | None = None,
    ) -> None:
        names = frozenset(functions) | frozenset(class_name for class_name, _ in methods)
        super().__init__(aliases, names)
        self.functions = functions
        self.methods = methods
        self.route_of = route_of
        self.imports = imports
        self.call_checks = call_checks
        self.return_checks = return_checks
        self.literal_checks = literal_checks or []
        self.hits: list[PyHit] = []
        self.summaries: dict[FunctionNode, Summary] = {}
        self.in_progress: set[FunctionNode] = set()
        self.owner_class: dict[FunctionNode, str] = {
            node: class_name for (class_name, _), node in methods.items()
        }
        self.current: Summary | None = None
        self.classes = frozenset(class_name for class_name, _ in methods)

    # ---- reporting ---------------------------------------------------------------------
    def report(
        self,
        rule_id: str,
        node: ast.AST,
        confidence: float,
        detail: str,
        group: str = "",
        severity: Severity | None = None,
    ) -> None:
        line = getattr(node, "lineno", 1)
        end = getattr(node, "end_lineno", None) or line
        self.hits.append(
            PyHit(rule_id, line, end, confidence, detail, group or f"{rule_id}@{line}", severity)
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
        inner: ParamSink | None = None,
        prefer: tuple[tuple[int, int], ...] = (),
    ) -> None:
        """Report `value` reaching a sink at `node`. `inner` is set when the sink is inside
        a local helper called at `node`: the hit then prefers the helper's sink line;
        `prefer` names other spans to anchor at first (the declaration that makes the
        call dangerous)."""
        line = getattr(node, "lineno", 1)
        here = (line, getattr(node, "end_lineno", None) or line)
        anchors = (*prefer, *inner.anchors, here) if inner is not None else (*prefer, here)
        reaching = value.reaching(kind)
        if shapes is not None:
            reaching = tuple(t for t in reaching if t.shape in shapes)
        for taint_kind, confidence in ((REMOTE, remote), (LOCAL, local)):
            found = next((t for t in reaching if t.kind == taint_kind), None)
            if confidence is not None and found is not None:
                self.report(rule_id, node, confidence, found.path_to(sink), group)
                if inner is not None or prefer:
                    preferred = (*prefer, *(inner.anchors if inner is not None else ()))
                    self.hits[-1] = replace(self.hits[-1], prefer=preferred)
                break
        if self.current is not None:
            sink_line = inner.line if inner is not None else line
            for taint in reaching:
                if taint.kind == PARAM:
                    self.current.sinks.append(
                        ParamSink(
                            taint.param,
                            rule_id,
                            kind,
                            sink,
                            sink_line,
                            remote,
                            local,
                            shapes,
                            anchors,
                        )
                    )
        non_constant = value.reaching(kind) if shapes is None else reaching
        if dynamic is not None and non_constant:
            detail = dynamic_detail or f"{sink} with non-constant data"
            self.report(rule_id, node, dynamic, detail, group)

    def literal_built(self, node: ast.Dict | ast.Tuple, values: list[Value]) -> None:
        for check in self.literal_checks:
            check(node, values, self, self.imports)

    # ---- module and functions ----------------------------------------------------------
    def run_module(self, tree: ast.Module) -> None:
        frame = Frame(env=self.globals)
        self.run_block(tree.body, frame)
        for function in list(self.functions.values()) + list(self.methods.values()):
            self.summarise(function)

    def summarise(self, function: FunctionNode, closure: dict[str, Value] | None = None) -> Summary:
        if function in self.summaries:
            return self.summaries[function]
        params = param_indices(function, function in self.owner_class)
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
        for arg in all_params(function):
            frame.env[arg.arg] = self._param_value(arg, params, route, function.name)
        outer, self.current = self.current, summary
        try:
            self.run_block(function.body, frame)
        finally:
            self.current = outer
            self.in_progress.discard(function)
        summary.returns = branches(frame.returns) if frame.returns else CONSTANT
        self.summaries[function] = summary
        return summary

    def _param_value(
        self, arg: ast.arg, params: dict[str, int], route: Route | None, function: str = ""
    ) -> Value:
        name = arg.arg
        typed = annotated_shape(arg.annotation, self.qualname)
        if typed:  # `session: aiohttp.ClientSession`: an object, not client data
            return Value(shape=typed)
        annotation = self.qualname(arg.annotation).rsplit(".", 1)[-1] if arg.annotation else ""
        responder = name == "req" and function.startswith("on_")  # Falcon `on_get(req, resp)`
        if name == "request" or responder or annotation in known.REQUEST_ANNOTATIONS:
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

    # ---- calls -------------------------------------------------------------------------
    def call_value(self, node: ast.Call, frame: Frame) -> Value:
        func = node.func
        name = self.qualname(func)
        handed_on = handed_on_call(node, name)
        if handed_on is not None:  # `asyncio.to_thread(subprocess.run, cmd, shell=True)`
            return self.call_value(handed_on, frame)
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
            FunctionFacts(function_name, frame.is_route, frame.function),
        )
        for check in self.call_checks:
            check(site, self)
        local = self._local_function(func, receiver, frame)
        if local is not None:
            return self._apply_summary(site, local)
        result = self.library_call(node, name, receiver, args + list(kwargs.values()))
        if isinstance(func, ast.Name) and func.id in self.classes and func.id not in frame.env:
            return replace(result, shape=_INSTANCE + func.id)  # an object of a local class
        return result

    def _local_function(
        self, func: ast.AST, receiver: Value | None, frame: Frame
    ) -> FunctionNode | None:
        if isinstance(func, ast.Name) and func.id not in frame.env:
            return self.functions.get(func.id)
        if not isinstance(func, ast.Attribute):
            return None
        if isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
            return self.methods.get((frame.class_name, func.attr)) if frame.class_name else None
        if receiver is not None and receiver.shape.startswith(_INSTANCE):
            # `repo = Repository(db)` ... `repo.search(term)`: a method of a local class
            return self.methods.get((receiver.shape[len(_INSTANCE) :], func.attr))
        return None

    def _apply_summary(self, site: CallSite, function: FunctionNode) -> Value:
        summary = self.summarise(function)
        bound = bind_arguments(site, summary.params)
        step = f"{function.name}() (line {site.node.lineno})"
        for param_sink in summary.sinks:
            argument = bound.get(param_sink.param)
            if argument is not None:
                self._sink_through_helper(site, function, param_sink, argument)
        return returned_value(summary, bound, step)

    def _sink_through_helper(
        self, site: CallSite, function: FunctionNode, param_sink: ParamSink, argument: Value
    ) -> None:
        sink = (
            f"{function.name}() (line {site.node.lineno}) -> {param_sink.sink}"
            f" (line {param_sink.line})"
        )
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
            inner=param_sink,
        )
