"""YAML documents as composed nodes (with line marks) and a walk over their key/value pairs."""

from __future__ import annotations

from collections.abc import Iterator

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


def compose_documents(text: str) -> list[Node] | None:
    """The documents of a YAML stream, or None when it does not parse (templated YAML)."""
    try:
        return [doc for doc in yaml.compose_all(text, Loader=yaml.SafeLoader) if doc is not None]
    except yaml.YAMLError:
        return None


def pairs(
    node: Node, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], ScalarNode, Node]]:
    """(path of keys, key node, value node) for every mapping entry, depth first."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode):
                yield path, key, value
                yield from pairs(value, (*path, str(key.value)))
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from pairs(item, (*path, "[]"))


def get(node: Node, key: str) -> Node | None:
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == key:
                return v
    return None


def scalar(node: Node | None) -> str | None:
    return str(node.value) if isinstance(node, ScalarNode) else None


def value_row(node: ScalarNode, offset: int) -> int:
    """0-based row of character `offset` inside a scalar's value (block scalars start below)."""
    text = str(node.value)
    before = text[:offset].count("\n")
    if node.style in ("|", ">"):
        return node.start_mark.line + 1 + before
    return node.start_mark.line + before
