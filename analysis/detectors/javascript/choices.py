"""Values chosen from fixed sets of literals, as the taint engine evaluates them:

- a lookup in a literal table is one of its literals (or `undefined`): `new Map([...])` and
  `Object.freeze({...})` / `Object.keys(...)` / `Object.values(...)` of literals are literal
  tables, and `SORTS.get(key)`, `COLUMNS.at(i)`, `COLUMNS.find(c => c === key)` of one give
  an element of it (plain `TABLE[key]` the engine already reads that way);
- a conditional whose test leaves the chosen value one of the file's literals
  (`COLUMNS.includes(c) ? c : "id"`, `d === "asc" || d === "desc" ? d : "asc"`) is that
  literal; a type test narrows it (`typeof t === "string" ? t : ""`);
- a parsed URL whose host the test allow-lists (`HOSTS.has(u.hostname) ? u : null`, also
  `u.host` / `u.origin`) is safe to request or redirect to: the WHATWG URL's `hostname`,
  `host` and `origin` are the parts that choose the server.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from tree_sitter import Node

from analysis.detectors.javascript.allow_lists import LiteralTables
from analysis.detectors.javascript.type_guards import when_false, when_true
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import CONSTANT, Fact, merge

_COLLECTIONS = frozenset({"Set", "Map"})
_TABLE_VIEWS = frozenset({"Object.freeze", "Object.keys", "Object.values", "Object.entries"})
_ELEMENT_READS = frozenset({"get", "at", "find", "findLast"})
_NAMED = frozenset({"identifier", "member_expression"})
_HOST_PARTS = ("hostname", "host", "origin")
#: what a URL with an allow-listed host is safe for: it cannot reach another server
_FIXED_HOST = frozenset({"ssrf", "redirect"})

Evaluate = Callable[[Node], Fact]


def literal_lookup(call: Node, fact: Evaluate) -> Fact | None:
    """CONSTANT for a literal table built by a call, or an element read from one."""
    given = _arguments(call)
    if call.type == "new_expression":
        constructor = _compact(call.child_by_field_name("constructor"))
        if constructor in _COLLECTIONS and len(given) == 1 and fact(given[0]).constant:
            return CONSTANT
        return None
    function = call.child_by_field_name("function")
    if function is None:
        return None
    if _compact(function) in _TABLE_VIEWS:
        return CONSTANT if len(given) == 1 and fact(given[0]).constant else None
    if function.type != "member_expression":
        return None
    if text(function.child_by_field_name("property")) not in _ELEMENT_READS:
        return None
    table = function.child_by_field_name("object")
    return CONSTANT if table is not None and fact(table).constant else None


def chosen_value(node: Node, fact: Evaluate, tables: LiteralTables) -> Fact | None:
    """The fact of `test ? a : b` when `test` narrows `a` or `b`; None when it narrows
    neither (the engine then merges both branches)."""
    condition = node.child_by_field_name("condition")
    branches = [
        (node.child_by_field_name("consequence"), when_true),
        (node.child_by_field_name("alternative"), when_false),
    ]
    if condition is None or not any(b is not None and b.type in _NAMED for b, _ in branches):
        return None
    facts: list[Fact] = []
    narrowed = False
    for branch, holds in branches:
        if branch is None:
            continue
        kinds = _narrowed(branch, holds(condition, tables)) if branch.type in _NAMED else None
        held = fact(branch)
        if kinds and "literal" in kinds:
            facts.append(CONSTANT)
        elif kinds:
            facts.append(replace(held, sanitised=held.sanitised | kinds))
        else:
            facts.append(held)
            continue
        narrowed = True
    return merge(facts) if narrowed else None


def _narrowed(branch: Node, held: dict[str, frozenset[str]]) -> frozenset[str] | None:
    """What the test leaves `branch` safe for: its own narrowing, else `_FIXED_HOST` when the
    test pins its host part to the file's literals."""
    name = text(branch)
    kinds = held.get(name)
    if kinds:
        return kinds
    if any("literal" in held.get(f"{name}.{part}", ()) for part in _HOST_PARTS):
        return _FIXED_HOST
    return None


def _arguments(call: Node) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    if arguments is None or arguments.type == "template_string":
        return []
    return [c for c in arguments.named_children if c.type != "comment"]


def _compact(node: Node | None) -> str:
    return re.sub(r"\s+|\?(?=\.)", "", text(node))
