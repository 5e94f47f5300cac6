"""A small intra-file taint engine over tree-sitter trees.

Untrusted values enter at *sources* (request parameters, headers, bodies, environment), move
through assignments, string building (concatenation, template strings, formatting calls) and
local helper functions, and are reported by the language's *sink checks*. Sanitisers clear
the taint for the sink kinds they protect ("html", "path", ... or "*" for every kind).

The walk is in source order and flow-sensitive inside a function: a later `x = clean(x)`
clears `x` for the code below it. Nested functions see (a copy of) the enclosing variables.
The language plugs in through a `LanguageSpec`; sinks through `Check` callables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field, replace

from tree_sitter import Node

from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.facts import (
    ANY_KIND,
    CONSTANT,
    MAX_FLOW_LINES,
    UNKNOWN,
    Fact,
    merge,
)
from analysis.detectors.treesitter.language import FunctionShape, LanguageSpec
from analysis.detectors.treesitter.parsers import ParsedSource, text

_MAX_CALL_DEPTH = 3

__all__ = [
    "ANY_KIND", "CONSTANT", "UNKNOWN", "Check", "Fact", "FunctionShape", "LanguageSpec",
    "TaintWalk", "merge", "select_added",
]  # fmt: skip


Check = Callable[[Node, "TaintWalk"], Iterable[Hit]]


@dataclass
class TaintWalk:
    """One walk over a parsed file; sink checks call `fact`/`tainted` and `hit`."""

    spec: LanguageSpec
    parsed: ParsedSource
    checks: tuple[Check, ...]
    hits: list[Hit] = field(default_factory=list)
    env: dict[str, Fact] = field(default_factory=dict)
    functions: dict[str, Node] = field(default_factory=dict)
    _memo: dict[int, Fact] = field(default_factory=dict)
    _summaries: dict[tuple[int, tuple[Fact, ...]], Fact] = field(default_factory=dict)
    _active: set[int] = field(default_factory=set)
    _returns: list[Fact] | None = None
    _paths: bool = False  # a guard marked a member path
    _branch_guards: Callable[[Node], list[tuple[Node, str, frozenset[str]]]] | None = None
    alternates: dict[int, tuple[Hit, tuple[int, ...]]] = field(default_factory=dict)
    notes: dict[str, set[int]] = field(default_factory=dict)  # free state for checks

    def run(self) -> list[Hit]:
        self._branch_guards = getattr(self.spec, "branch_guards", None)
        self._collect_functions(self.parsed.root)
        # pathological nesting (thousands of chained `+`): keep what was found so far
        with suppress(RecursionError):
            self._visit(self.parsed.root)
        return self.hits

    # --- what checks use --------------------------------------------------------------
    def line(self, node: Node) -> int:
        return self.parsed.line_of(node)

    def fact(self, node: Node | None) -> Fact:
        if node is None:
            return UNKNOWN
        cached = self._memo.get(node.id)
        if cached is None:
            cached = self._evaluate(node)
            self._memo[node.id] = cached
        return cached

    def tainted(self, node: Node | None, kind: str) -> Fact | None:
        fact = self.fact(node)
        return fact if fact.tainted_for(kind) else None

    def hit(
        self, rule_id: str, node: Node, confidence: float, detail: str, fact: Fact | None = None
    ) -> Hit:
        """A hit at `node`; when `fact` flowed through assignments on other lines, the same
        hit is also offered there (the selector keeps the first that is an added line)."""
        start, end = self.parsed.line_of(node), self.parsed.end_line_of(node)
        hit = Hit(rule_id, start, end, confidence, detail)
        if fact is not None and fact.lines and self._returns is None:
            self.alternates.setdefault(id(hit), (hit, fact.lines))
        return hit

    # --- walking -------------------------------------------------------------------------
    def _collect_functions(self, root: Node) -> None:
        stack = [root]
        while stack:
            node = stack.pop()
            if node.type in self.spec.function_types:
                shape = self.spec.function(node)
                if shape is not None and shape.name:
                    self.functions.setdefault(shape.name, node)
            else:
                for name, value, _ in self.spec.bindings(node):
                    if value is not None and value.type in self.spec.function_types:
                        self.functions.setdefault(name, value)
            stack.extend(node.children)

    def _visit(self, node: Node) -> None:
        spec = self.spec
        if node.type in spec.function_types:
            if self._returns is None:
                for check in self.checks:
                    self.hits.extend(check(node, self))
            self._visit_function(node, None)
            return
        for name, kinds in spec.guards(node):
            self._mark(name, kinds)
        scoped = self._branch_guards(node) if self._branch_guards is not None else ()
        for child in node.children:
            if scoped:
                self._visit_branch(child, [(n, k) for b, n, k in scoped if b.id == child.id])
            else:
                self._visit(child)
        if self._returns is not None and node.type in spec.return_types:
            values = [c for c in node.named_children if c.type != "comment"]
            self._returns.append(merge(self.fact(v) for v in values))
        for name, value, augmented in spec.bindings(node):
            self._bind(name, value, augmented, node)
        if self._returns is None:
            for check in self.checks:
                self.hits.extend(check(node, self))

    def _mark(self, name: str, kinds: frozenset[str]) -> None:
        """A guard made `name` safe for `kinds`: a variable, or a member path (`req.body.id`)
        whose later reads take the mark."""
        fact = self.env.get(name)
        if fact is not None and fact.source is not None:
            self.env[name] = replace(fact, sanitised=fact.sanitised | kinds)
        elif "." in name:
            held = fact or UNKNOWN
            self.env[name] = replace(held, sanitised=held.sanitised | kinds)
            self._paths = True
        else:
            return
        self._memo.clear()

    def _visit_branch(self, node: Node, guards: list[tuple[str, frozenset[str]]]) -> None:
        """Visit a branch whose condition holds `guards` (`if (typeof x === "string") {...}`);
        after it the guarded names are as they were before."""
        saved = {name: self.env.get(name) for name, _ in guards}
        for name, kinds in guards:
            self._mark(name, kinds)
        self._visit(node)
        for name, fact in saved.items():
            if fact is None:
                self.env.pop(name, None)
            else:
                self.env[name] = fact
        if guards:
            self._memo.clear()

    def _bind(self, name: str, value: Node | None, augmented: bool, node: Node) -> None:
        fact = self.fact(value) if value is not None else UNKNOWN
        if augmented:
            fact = merge([self.env.get(name, UNKNOWN), fact])
        if fact.source is not None or not fact.constant:
            line = self.parsed.line_of(node)
            fact = replace(fact, lines=(line, *fact.lines)[:MAX_FLOW_LINES])
        self.env[name] = fact
        self._memo.clear()

    def _visit_function(self, node: Node, args: list[Fact] | None) -> None:
        shape = self.spec.function(node)
        if shape is None or shape.body is None:
            return
        saved_env, saved_memo = self.env, self._memo
        self.env = dict(saved_env)
        self._memo = {}
        for index, (name, source) in enumerate(shape.params):
            if args is not None:
                self.env[name] = args[index] if index < len(args) else UNKNOWN
            else:
                self.env[name] = Fact(source=source) if source else UNKNOWN
        try:
            if shape.expression_body and self._returns is not None:
                self._returns.append(self.fact(shape.body))
            else:
                self._visit(shape.body)
        finally:
            self.env, self._memo = saved_env, saved_memo

    def _summary(self, function: Node, args: list[Fact]) -> Fact:
        """The value a local function returns for these argument facts."""
        key = (function.id, tuple(args))
        if key in self._summaries:
            return self._summaries[key]
        if function.id in self._active or len(self._active) >= _MAX_CALL_DEPTH:
            return UNKNOWN
        saved_returns = self._returns
        self._returns = []
        self._active.add(function.id)
        try:
            self._visit_function(function, args)
            result = merge(self._returns) if self._returns else UNKNOWN
        finally:
            self._active.discard(function.id)
            self._returns = saved_returns
        result = replace(result, constant=False, value=None) if not result.constant else result
        self._summaries[key] = result
        return result

    # --- evaluation ----------------------------------------------------------------------
    def _evaluate(self, node: Node) -> Fact:
        fact = self._evaluate_plain(node)
        if self._paths and fact.source is not None and node.type in self.spec.member_fields:
            guarded = self.env.get(text(node))
            if guarded is not None:
                fact = replace(fact, sanitised=fact.sanitised | guarded.sanitised)
        marks = self.spec.marks(node)
        if marks and not fact.constant:
            return replace(fact, marks=fact.marks | marks)
        return fact

    def _evaluate_plain(self, node: Node) -> Fact:
        spec = self.spec
        kind = node.type
        source = spec.source(node)
        if source is not None:
            return Fact(source=source)
        if kind in spec.function_types or spec.clears(node):
            return UNKNOWN
        if kind in spec.constant_types:
            return CONSTANT
        if kind in spec.string_types:
            parts = [c for c in node.named_children if c.type not in _STRING_PIECES]
            if not parts:
                return Fact(constant=True, value=_literal(node))
            return merge(self.fact(part) for part in parts)
        if kind in spec.identifier_types:
            return self.env.get(text(node), UNKNOWN)
        if kind in spec.call_types:
            return self._call_fact(node)
        if kind in _CONDITIONALS:  # `c ? a : b` is `a` or `b`; the condition is not the value
            decided = getattr(spec, "conditional", None)
            known = decided(node, self.fact) if decided is not None else None
            if known is not None:
                return known
            branches = (node.child_by_field_name(name) for name in ("consequence", "alternative"))
            return merge(self.fact(branch) for branch in branches if branch is not None)
        member = spec.member_fields.get(kind)
        if member is not None:
            obj = node.child_by_field_name(member)
            if obj is None:
                return UNKNOWN
            held = self.fact(obj)
            if held.constant:  # an element of a literal table is one of its literals
                return CONSTANT
            return replace(held, constant=False, value=None, marks=frozenset())
        children = [c for c in node.named_children if c.type != "comment"]
        if not children:
            return UNKNOWN
        return merge(self.fact(child) for child in children)

    def _call_fact(self, call: Node) -> Fact:
        spec = self.spec
        derived = getattr(spec, "derived", None)
        if derived is not None:
            known = derived(call, self.fact)
            if known is not None:
                return known
        callback = getattr(spec, "callback_result", None)
        found = callback(call) if callback is not None else None
        if found is not None:  # `items.map(fn)` / `useMemo(fn)`: the value is what fn returns
            element, function = found
            args = [self.fact(element)] if element is not None else []
            result = self._summary(function, args)
            return result if result.constant else replace(result, constant=False, value=None)
        inputs = spec.call_inputs(call)
        cleared = spec.sanitiser(call)
        if cleared is not None:
            fact = merge(self.fact(i) for i in inputs)
            return replace(fact, constant=False, value=None, sanitised=cleared | fact.sanitised)
        target = spec.call_target(call)
        if target is not None and target in self.functions:
            args = [self.fact(i) for i in _arguments_only(call, inputs)]
            return self._summary(self.functions[target], args)
        fact = merge(self.fact(i) for i in inputs)
        return replace(fact, constant=False, value=None)


_CONDITIONALS = frozenset({"ternary_expression"})  # JavaScript, TypeScript, Java
_STRING_PIECES = frozenset(
    {
        "string_fragment",
        "escape_sequence",
        "string_content",
        "interpreted_string_literal_content",
        "raw_string_literal_content",
        "template_chars",
        "multiline_string_fragment",
        "string_start",
        "string_end",
    }
)


def _literal(node: Node) -> str:
    raw = text(node)
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"`":
        return raw[1:-1]
    if raw.startswith('"""') and raw.endswith('"""'):
        return raw[3:-3]
    return raw


def _arguments_only(call: Node, inputs: list[Node]) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    if arguments is None:
        return inputs
    return [c for c in arguments.named_children if c.type != "comment"]


def select_added(hits: list[Hit], walk: TaintWalk, added: Iterable[int]) -> list[Hit]:
    """Hits touching an added line, anchored at it; a hit whose own lines are unchanged moves
    to the first added line its tainted value flowed through."""
    added_set = set(added)
    kept: list[Hit] = []
    for hit in hits:
        touched = [n for n in range(hit.line, hit.end_line + 1) if n in added_set]
        if touched:
            kept.append(replace(hit, line=touched[0]))
            continue
        entry = walk.alternates.get(id(hit))
        moved = [n for n in (entry[1] if entry else ()) if n in added_set]
        if moved:
            kept.append(replace(hit, line=moved[0], end_line=moved[0]))
    return kept
