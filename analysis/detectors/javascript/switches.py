"""`switch` statements as allow-lists.

- Inside a `case "total":` clause the switched value equals the label, unless the clause can
  also be reached by falling through from the `default` or a non-literal case.
- After `switch (v) { case "a": case "b": break; default: throw ... }` (every label a literal,
  the default leaves the function) `v` is one of the labels.
"""

from __future__ import annotations

from tree_sitter import Node

from analysis.detectors.javascript.allow_lists import LITERAL, is_literal, unwrap
from analysis.detectors.javascript.file_facts import FileFacts, calls_thrower
from analysis.detectors.treesitter.parsers import text

_VALUE_TYPES = frozenset({"identifier", "member_expression"})
_ENDINGS = frozenset(
    {"break_statement", "return_statement", "throw_statement", "continue_statement"}
)


def switch_cases(body: Node) -> list[tuple[Node, str, frozenset[str]]]:
    """(clause, switched value, LITERAL) for the clauses entered only with a literal label."""
    value = _switched(body.parent)
    if value is None:
        return []
    found: list[tuple[Node, str, frozenset[str]]] = []
    other_enters = False  # a non-literal value may fall through into the next clause
    for clause in body.named_children:
        if clause.type == "switch_case":
            other = other_enters or not is_literal(clause.child_by_field_name("value"))
        elif clause.type == "switch_default":
            other = True
        else:
            continue
        if not other:
            found.append((clause, value, LITERAL))
        other_enters = other and not _ends(clause)
    return found


def switch_exit(statement: Node, facts: FileFacts) -> list[tuple[str, frozenset[str]]]:
    """The switched value after a switch whose default exits and whose labels are literals."""
    value = _switched(statement)
    body = statement.child_by_field_name("body")
    if value is None or body is None:
        return []
    clauses = [c for c in body.named_children if c.type in ("switch_case", "switch_default")]
    default = next((c for c in clauses if c.type == "switch_default"), None)
    if default is None or not _leaves(_last(default), facts):
        return []
    labels = [c.child_by_field_name("value") for c in clauses if c.type == "switch_case"]
    return [(value, LITERAL)] if labels and all(is_literal(label) for label in labels) else []


def _switched(statement: Node | None) -> str | None:
    if statement is None or statement.type != "switch_statement":
        return None
    value = unwrap(statement.child_by_field_name("value"))
    return text(value) if value is not None and value.type in _VALUE_TYPES else None


def _last(clause: Node) -> Node | None:
    statements = [c for c in clause.children_by_field_name("body") if c.type != "comment"]
    while statements and statements[-1].type == "statement_block":
        statements = [c for c in statements[-1].named_children if c.type != "comment"]
    return statements[-1] if statements else None


def _leaves(statement: Node | None, facts: FileFacts) -> bool:
    """A `return`, a `throw`, or a call that never returns (`next(err)`, `error(400)`)."""
    if statement is None:
        return False
    if statement.type in ("return_statement", "throw_statement"):
        return True
    if statement.type != "expression_statement":
        return False
    raw = text(statement).lstrip()
    return raw.startswith("next(") or calls_thrower(raw, facts)


def _ends(clause: Node) -> bool:
    """The clause's last statement leaves it (no fall-through into the next clause)."""
    last = _last(clause)
    return last is not None and last.type in _ENDINGS
