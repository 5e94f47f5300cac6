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
    """A rule match; hits sharing a `group` describe one problem (keep the best one)."""

    rule_id: str
    line: int
    end_line: int
    confidence: float
    detail: str
    group: str
    severity: Severity | None = None


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
    ) -> None: ...


@dataclass(frozen=True)
class FunctionFacts:
    """The function a call sits in (None at module level)."""

    name: str = ""
    is_route: bool = False


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
