"""Function summaries: what a helper does with its parameters (parameter -> return value,
parameter -> sink), and how a call site in the same file applies one."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from analysis.detectors.python.callsite import CallSite
from analysis.detectors.python.values import CONSTANT, PARAM, Taint, Value, merge_taints

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class ParamSink:
    """A parameter of a helper reaches a sink inside it. `line` is the innermost sink's
    line (through nested helpers); `anchors` are the spans of that sink and of the calls
    leading to it inside the helper, innermost first."""

    param: int
    rule_id: str
    kind: str
    sink: str
    line: int
    remote: float | None
    local: float | None
    shapes: frozenset[str] | None
    anchors: tuple[tuple[int, int], ...] = ()


@dataclass
class Summary:
    params: dict[str, int]
    returns: Value = CONSTANT
    sinks: list[ParamSink] = field(default_factory=list)


def all_params(function: FunctionNode) -> list[ast.arg]:
    args = function.args
    params = args.posonlyargs + args.args + args.kwonlyargs
    return params + [a for a in (args.vararg, args.kwarg) if a is not None]


def param_indices(function: FunctionNode, is_method: bool) -> dict[str, int]:
    positional = function.args.posonlyargs + function.args.args
    if is_method and positional and positional[0].arg in ("self", "cls"):
        positional = positional[1:]
    names = [a.arg for a in positional] + [a.arg for a in function.args.kwonlyargs]
    return {name: index for index, name in enumerate(names)}


def bind_arguments(site: CallSite, params: dict[str, int]) -> dict[int, Value]:
    bound: dict[int, Value] = {}
    for index, value in enumerate(site.args):
        bound[index] = value
    for name, value in site.kwargs.items():
        if name in params:
            bound[params[name]] = value
    return bound


def returned_value(summary: Summary, bound: dict[int, Value], step: str) -> Value:
    """The value a call returns: the summary's return value, with each parameter taint
    replaced by the taints of the argument bound to that parameter."""
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
                Taint(inner.kind, inner.label, inner.trail, cleared, inner.param, inner.shape).via(
                    step
                )
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
