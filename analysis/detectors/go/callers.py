"""Request data handed to a helper of the same file: the helper's parameter is a source.

Handlers often parse the request and call a helper with the values (`a.authenticate(
r.FormValue("username"), ...)`), and the sink is in the helper. The taint walk visits each
function on its own, with unknown parameters; this module records, during a walk, the
arguments that carry unsanitised request data into a function or method declared in the
file, so that the next walk starts that function with those parameters tainted.

A call resolves to a declaration by name: `helper(x)` to a function, `recv.helper(x)` to a
method (only when one method of that name is declared, so methods of different types do not
mix). An argument some sanitiser or guard already cleared for any sink kind is not passed on:
what it was cleared for is not carried across the call, so passing it on could only add
false findings. Environment values (`os.Getenv`) are not request data and are not passed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from tree_sitter import Node

from analysis.detectors.go.spec import GoSpec, arguments
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import ParsedSource, text, walk
from analysis.detectors.treesitter.taint import FunctionShape, TaintWalk

#: parameter seeds: declaration start byte -> parameter name -> source label
Seeds = dict[int, dict[str, str]]


class CallRecorder:
    """A taint-walk check that records request data passed to the file's own functions."""

    def __init__(self, parsed: ParsedSource, spec: GoSpec) -> None:
        self._functions, self._methods = _declarations(parsed.root)
        self._packages = _imported_names(parsed.root)
        self._spec = spec
        self.seeds: Seeds = {}

    def __call__(self, node: Node, walk: TaintWalk) -> Iterable[Hit]:
        if node.type == "call_expression":
            target = self._target(node)
            if target is not None:
                self._record(node, target, walk)
        return ()

    def _target(self, call: Node) -> Node | None:
        function = call.child_by_field_name("function")
        if function is None:
            return None
        if function.type == "identifier":
            return self._functions.get(text(function))
        if function.type == "selector_expression":
            if text(function.child_by_field_name("operand")) in self._packages:
                return None  # `pkg.Func(...)`: another package's function
            return self._methods.get(text(function.child_by_field_name("field")))
        return None

    def _record(self, call: Node, target: Node, walk: TaintWalk) -> None:
        shape = self._spec.function(target)
        if shape is None:
            return
        names = [name for name, _ in shape.params]
        callee = text(target.child_by_field_name("name"))
        for name, argument in zip(names, arguments(call), strict=False):
            fact = walk.fact(argument)
            request = fact.source is not None and not fact.source.startswith("os.")
            if request and not fact.sanitised and name != "_":
                label = f"{fact.source} (passed to {callee})"
                self.seeds.setdefault(target.start_byte, {}).setdefault(name, label)


class SeededSpec(GoSpec):
    """`GoSpec` whose functions start with the recorded parameters tainted."""

    def __init__(self, seeds: Seeds) -> None:
        self._seeds = seeds

    def function(self, node: Node) -> FunctionShape | None:
        shape = super().function(node)
        seeded = self._seeds.get(node.start_byte)
        if shape is None or not seeded:
            return shape
        params = tuple((name, source or seeded.get(name)) for name, source in shape.params)
        return replace(shape, params=params)


def merged(old: Seeds, new: Seeds) -> Seeds:
    """`old` with `new`'s parameters added (the first label of a parameter is kept)."""
    result = {start: dict(params) for start, params in old.items()}
    for start, params in new.items():
        for name, label in params.items():
            result.setdefault(start, {}).setdefault(name, label)
    return result


def _declarations(root: Node) -> tuple[dict[str, Node], dict[str, Node]]:
    """Top-level functions by name, and methods whose name is declared once."""
    functions: dict[str, Node] = {}
    methods: dict[str, list[Node]] = {}
    for node in root.named_children:
        name = text(node.child_by_field_name("name"))
        if node.type == "function_declaration":
            functions.setdefault(name, node)
        elif node.type == "method_declaration":
            methods.setdefault(name, []).append(node)
    unique = {name: nodes[0] for name, nodes in methods.items() if len(nodes) == 1}
    return functions, unique


def _imported_names(root: Node) -> set[str]:
    """The names imported packages are used by: the alias, else the path's last element."""
    names: set[str] = set()
    for node in walk(root):
        if node.type == "import_spec":
            alias = node.child_by_field_name("name")
            path = text(node.child_by_field_name("path")).strip('"`')
            last = path.rsplit("/", 1)[-1]
            if re.fullmatch(r"v\d+", last) and "/" in path:  # `.../ldap/v3` is package `ldap`
                last = path.rsplit("/", 2)[-2]
            names.add(text(alias) if alias is not None else last)
        elif node.type in ("function_declaration", "method_declaration"):
            break  # imports come first
    return names
