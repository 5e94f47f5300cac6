"""Go path checks that keep a name inside a directory, as the Go documentation gives them:

- `filepath.IsLocal(name)` (Go 1.20): false for `..`-escaping, absolute and empty names;
- `rel, err := filepath.Rel(dest, target)` then `rel` tested against `..`;
- `strings.HasPrefix(filepath.Clean(target), dest)` (the cleaned target under the
  destination), and the `strings.Contains(name, "..")` rejection.

An `if` whose condition makes such a check marks the names it checks (variables and field
paths such as `f.Name`) safe for file paths from there on: when the condition is a rejection
(`!IsLocal`, `HasPrefix(rel, "..")`, `err != nil || ...`) only if its body leaves, by
`return`, `continue`, `break`, `panic` or an HTTP error, which the shared allow-list guard
does not know for loops. The names a `filepath.Rel` result was computed from are marked with
the result.

`if name == "" { return }` is no check at all: it turns away one literal value and lets
every other name through (`rejects_only_literals`).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text, walk

_PATH_CHECK = re.compile(
    r"\b(?:filepath|path)\.IsLocal\(|\bstrings\.(?:HasPrefix|Contains)\(|\bfilepath\.Rel\("
)
_EXITS = re.compile(
    r"\b(?:return|continue|break|panic|goto)\b|\bhttp\.Error\(|\blog\.Fatal|\bos\.Exit\("
    r"|\.Abort\w*\("
)
_PATH = frozenset({"path"})


def path_guards(node: Node) -> list[tuple[str, frozenset[str]]]:
    """Names an `if` statement's path check makes safe for file paths."""
    if node.type != "if_statement":
        return []
    condition = node.child_by_field_name("condition")
    raw = text(condition)
    if condition is None or not _PATH_CHECK.search(raw):
        return []
    rejection = raw.lstrip("( ").startswith("!") or "!=" in raw or "||" in raw
    if rejection and not _EXITS.search(text(node.child_by_field_name("consequence"))):
        return []
    names = _checked_names(condition)
    for result, target in _relative_sources(node):
        if result in names:
            names |= _checked_names(target)
    return [(name, _PATH) for name in sorted(names)]


def _checked_names(expression: Node) -> set[str]:
    """Variables and plain field paths (`f.Name`, `h.hdr.Name`) read in `expression`; the
    functions it calls (`filepath.IsLocal`) are not values."""
    names: set[str] = set()
    for node in walk(expression):
        called = node.parent is not None and node.parent.type == "call_expression"
        if called and node.parent.child_by_field_name("function") == node:
            continue
        plain_path = node.type == "selector_expression" and _plain_path(node)
        if node.type == "identifier" or plain_path:
            names.add(text(node))
    return names


def _plain_path(node: Node) -> bool:
    return re.fullmatch(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+", text(node)) is not None


def _relative_sources(statement: Node) -> list[tuple[str, Node]]:
    """`(rel, target)` for each `rel, err := filepath.Rel(base, target)` before `statement`
    in its block."""
    block = statement.parent
    found: list[tuple[str, Node]] = []
    for sibling in block.named_children if block is not None else []:
        if sibling.start_byte >= statement.start_byte:
            break
        if sibling.type not in ("short_var_declaration", "assignment_statement"):
            continue
        left = sibling.child_by_field_name("left")
        right = sibling.child_by_field_name("right")
        values = right.named_children if right is not None else []
        if left is None or len(values) != 1 or values[0].type != "call_expression":
            continue
        call = values[0]
        arguments = call.child_by_field_name("arguments")
        given = arguments.named_children if arguments is not None else []
        if text(call.child_by_field_name("function")) == "filepath.Rel" and len(given) == 2:
            found.extend((text(n), given[1]) for n in left.named_children[:1])
    return found


_LITERALS = frozenset(
    {"interpreted_string_literal", "raw_string_literal", "nil", "int_literal", "true", "false"}
)


def rejects_only_literals(node: Node) -> bool:
    """An `if` that leaves when a name equals one of some literals (`name == ""`,
    `id == "" || id == "0"`): every other value goes on unchecked."""
    if node.type != "if_statement":
        return False
    condition = node.child_by_field_name("condition")
    consequence = node.child_by_field_name("consequence")
    exits = consequence is not None and _EXITS.search(text(consequence)) is not None
    return condition is not None and exits and _literal_equalities(condition)


def _literal_equalities(expression: Node) -> bool:
    while expression.type == "parenthesized_expression" and expression.named_children:
        expression = expression.named_children[0]
    if expression.type != "binary_expression":
        return False
    operator = text(expression.child_by_field_name("operator"))
    left = expression.child_by_field_name("left")
    right = expression.child_by_field_name("right")
    if left is None or right is None:
        return False
    if operator == "||":
        return _literal_equalities(left) and _literal_equalities(right)
    return operator == "==" and (left.type in _LITERALS or right.type in _LITERALS)
