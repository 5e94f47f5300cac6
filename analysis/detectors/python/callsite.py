"""What a check sees of one call, and how it reports: the seam between the taint pass and
the rule modules (injection, web, crypto, system)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Protocol

from analysis.detectors.python.values import Value
from warden.records import Severity


@dataclass(frozen=True)
class PyHit:
    """A rule match; hits sharing a `group` describe one problem (keep the best one).

    `prefer` lists (line, end_line) spans to anchor the hit at before its own span, when
    they touch an added line: a flow through a local helper prefers the sink inside the
    helper over the call site."""

    rule_id: str
    line: int
    end_line: int
    confidence: float
    detail: str
    group: str
    severity: Severity | None = None
    prefer: tuple[tuple[int, int], ...] = ()


class Reporter(Protocol):
    def report(
        self,
        rule_id: str,
        node: ast.AST,
        confidence: float,
        detail: str,
        group: str = "",
        severity: Severity | None = None,
    ) -> None: ...

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
        prefer: tuple[tuple[int, int], ...] = (),
    ) -> None: ...


@dataclass(frozen=True)
class FunctionFacts:
    """The function a call sits in (empty at module level)."""

    name: str = ""
    is_route: bool = False
    node: ast.FunctionDef | ast.AsyncFunctionDef | None = None


@dataclass
class CallSite:
    node: ast.Call
    name: str  # qualified through imports: "subprocess.run", "cursor.execute"
    short: str  # the last part: "run", "execute"
    receiver: Value | None
    args: list[Value]
    kwargs: dict[str, Value]
    imports: frozenset[str]
    function: FunctionFacts = field(default_factory=FunctionFacts)

    def arg(self, index: int, keyword: str = "") -> tuple[ast.expr, Value] | None:
        """The argument at `index` (or passed as `keyword`), with its value."""
        if keyword:
            for kw in self.node.keywords:
                if kw.arg == keyword:
                    return kw.value, self.kwargs[keyword]
        positional = [a for a in self.node.args if not isinstance(a, ast.Starred)]
        if 0 <= index < len(positional) and index < len(self.args):
            return positional[index], self.args[index]
        return None

    def keyword(self, name: str) -> ast.expr | None:
        for kw in self.node.keywords:
            if kw.arg == name:
                return kw.value
        return None

    def imports_any(self, *modules: str) -> bool:
        return any(module in self.imports for module in modules)

    @property
    def sink_label(self) -> str:
        return self.name or self.short


# calls that run another callable with the arguments they are given: (name, its position)
_RUNS_CALLABLE = {"asyncio.to_thread": 0, "run_in_executor": 1, "run_sync": 0}


def handed_on_call(node: ast.Call, name: str) -> ast.Call | None:
    """The call `asyncio.to_thread(fn, *args)` / `loop.run_in_executor(None, fn, *args)` /
    `anyio.to_thread.run_sync(fn, *args)` makes, as if written `fn(*args)`."""
    position = _RUNS_CALLABLE.get(name, _RUNS_CALLABLE.get(name.rsplit(".", 1)[-1]))
    if position is None or len(node.args) <= position:
        return None
    target = node.args[position]
    if not isinstance(target, ast.Name | ast.Attribute):
        return None
    call = ast.Call(func=target, args=node.args[position + 1 :], keywords=node.keywords)
    return ast.copy_location(call, node)
