"""Where a name was declared: the value of the nearest preceding `const name = ...` of the
file (indexed once per walk)."""

from __future__ import annotations

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.parsers import walk as walk_tree
from analysis.detectors.treesitter.taint import TaintWalk

_DECLARATIONS = "javascript.declarations"


def definition(identifier: Node, walk: TaintWalk) -> Node | None:
    """The value of the nearest preceding `const name = ...` in the file."""
    index = walk.notes.get(_DECLARATIONS)
    if index is None:
        index = _declarations(walk)
        walk.notes[_DECLARATIONS] = index  # type: ignore[assignment]
    best: Node | None = None
    for start, value in index.get(text(identifier), ()):  # type: ignore[attr-defined]
        if start > identifier.start_byte:
            break
        best = value
    return best


def _declarations(walk: TaintWalk) -> dict[str, list[tuple[int, Node | None]]]:
    """Every `name = value` declarator of the file, by name, in source order (built once)."""
    found: dict[str, list[tuple[int, Node | None]]] = {}
    for node in walk_tree(walk.parsed.root):
        if node.type == "variable_declarator":
            name = text(node.child_by_field_name("name"))
            found.setdefault(name, []).append((node.start_byte, node.child_by_field_name("value")))
    for entries in found.values():
        entries.sort(key=lambda entry: entry[0])
    return found
