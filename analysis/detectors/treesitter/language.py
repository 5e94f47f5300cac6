"""How a language plugs into the taint walk: the shape of its functions and its spec."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from tree_sitter import Node


@dataclass(frozen=True)
class FunctionShape:
    name: str | None
    params: tuple[tuple[str, str | None], ...]  # (name, source it carries or None)
    body: Node | None
    expression_body: bool = False  # arrow functions: the body is the returned value


class LanguageSpec(Protocol):
    function_types: frozenset[str]
    call_types: frozenset[str]
    identifier_types: frozenset[str]
    string_types: frozenset[str]  # literal strings (constant unless they interpolate)
    constant_types: frozenset[str]  # numbers, booleans, null
    member_fields: dict[str, str]  # member-access node type -> field holding the object
    return_types: frozenset[str]

    def source(self, node: Node) -> str | None: ...
    def marks(self, node: Node) -> frozenset[str]: ...
    def guards(self, node: Node) -> list[tuple[str, frozenset[str]]]: ...
    def sanitiser(self, call: Node) -> frozenset[str] | None: ...
    def clears(self, node: Node) -> bool: ...  # yields a non-string (comparison, length)
    def bindings(self, node: Node) -> list[tuple[str, Node | None, bool]]: ...
    def function(self, node: Node) -> FunctionShape | None: ...
    def call_target(self, call: Node) -> str | None: ...  # name of a local function called
    def call_inputs(self, call: Node) -> list[Node]: ...  # receiver and arguments

    # optional: `derived(call, fact) -> Fact | None`, the fact of a call the language knows
    # better than "built from its inputs" (formatting constants, lookups in literal tables);
    # `conditional(node, fact) -> Fact | None`, the fact of `c ? a : b` when the test decides
    # it (`ALLOWED.includes(x) ? x : "id"` is one of ALLOWED's literals);
    # `branch_guards(node) -> [(child, name, kinds)]`, guards that hold only inside one child
    # of `node` (the body of `if (typeof x === "string")`). Guard names may be member paths.
