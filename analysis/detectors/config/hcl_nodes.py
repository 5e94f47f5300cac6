"""Reading HCL (tree-sitter) blocks: a block's own attributes, its nested blocks, and the
literal values of attributes (`"TLS1_2"` -> TLS1_2, `["a", "b"]` -> [a, b])."""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text

_QUOTED = re.compile(r'"([^"]*)"')


def body(block: Node) -> Node | None:
    return next((c for c in block.named_children if c.type == "body"), None)


def own_attributes(block: Node) -> dict[str, Node]:
    """Attributes set directly in this block (not in its nested blocks)."""
    inner = body(block)
    children = inner.named_children if inner is not None else []
    return {text(c.named_children[0]): c for c in children if c.type == "attribute"}


def nested_blocks(block: Node, name: str) -> list[Node]:
    """Direct sub-blocks `name { ... }` of this block."""
    inner = body(block)
    children = inner.named_children if inner is not None else []
    return [c for c in children if c.type == "block" and text(c.named_children[0]) == name]


def blocks_within(block: Node, name: str) -> list[Node]:
    """Sub-blocks `name { ... }` at any depth (e.g. settings > ip_configuration)."""
    found: list[Node] = []
    stack = [block]
    while stack:
        node = stack.pop()
        for child in node.named_children:
            if child.type == "block" and text(child.named_children[0]) == name:
                found.append(child)
            if child.type in ("block", "body"):
                stack.append(child)
    return found


def value(attribute: Node | None) -> str:
    """The attribute's expression as written (`"HTTP"` keeps its quotes, `false` is bare)."""
    return text(attribute.named_children[-1]).strip() if attribute is not None else ""


def scalar(attribute: Node | None) -> str:
    """A literal value without quotes, lower-cased: `"HTTP"` -> http, `false` -> false."""
    return value(attribute).strip('"').strip().lower()


def strings(attribute: Node | None) -> list[str]:
    """The quoted strings of a value (a string or a list of strings)."""
    return _QUOTED.findall(value(attribute))
