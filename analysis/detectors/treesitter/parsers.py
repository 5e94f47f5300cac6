"""Tree-sitter parsers per grammar, and one parsed tree per (grammar, source) — cached, so a
file is parsed once however many checks look at it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from tree_sitter import Language, Node, Parser, Tree

from analysis.files import FileView

_PARSE_CACHE_SIZE = 128


def _grammar_loaders() -> dict[str, Callable[[], object]]:
    import tree_sitter_go
    import tree_sitter_hcl
    import tree_sitter_java
    import tree_sitter_javascript
    import tree_sitter_typescript

    return {
        "javascript": tree_sitter_javascript.language,
        "typescript": tree_sitter_typescript.language_typescript,
        "tsx": tree_sitter_typescript.language_tsx,
        "go": tree_sitter_go.language,
        "java": tree_sitter_java.language,
        "hcl": tree_sitter_hcl.language,
    }


@cache
def language(grammar: str) -> Language:
    return Language(_grammar_loaders()[grammar]())


@cache
def parser(grammar: str) -> Parser:
    return Parser(language(grammar))


@lru_cache(maxsize=_PARSE_CACHE_SIZE)
def parse(grammar: str, source: bytes) -> Tree:
    return parser(grammar).parse(source)


@dataclass(frozen=True)
class ParsedSource:
    """A parsed tree and the file line of each of its rows (0-based row -> 1-based line)."""

    tree: Tree
    source: bytes
    rows: tuple[int, ...] | None  # None: row r is line r + 1

    @property
    def root(self) -> Node:
        return self.tree.root_node

    def line_of(self, node: Node) -> int:
        return self._line(node.start_point[0])

    def end_line_of(self, node: Node) -> int:
        return self._line(node.end_point[0])

    def line_at_row(self, row: int) -> int:
        return self._line(row)

    def _line(self, row: int) -> int:
        if self.rows is None:
            return row + 1
        return self.rows[min(row, len(self.rows) - 1)]


def parse_view(view: FileView, grammar: str) -> ParsedSource:
    """The head file parsed, or — with only the patch — the new side of its hunks."""
    content = view.changed.content
    if content is not None:
        data = content.encode("utf-8", "replace")
        return ParsedSource(parse(grammar, data), data, None)
    texts: list[str] = []
    rows: list[int] = []
    for hunk in view.patch.hunks:
        for line in hunk.new_side:
            texts.append(line.text)
            rows.append(line.new_line or 0)
    data = "\n".join(texts).encode("utf-8", "replace")
    return ParsedSource(parse(grammar, data), data, tuple(rows) or (0,))


def text(node: Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


def walk(node: Node):
    """Every node below `node` (inclusive), in source order, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))
