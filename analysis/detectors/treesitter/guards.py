"""Allow-list guards shared by the languages: `if !allowed(x) { return }` / `if
strings.HasPrefix(p, base) {...}` mark the checked variables safe for paths, URLs, redirects."""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text, walk

_GUARD_WORDS = re.compile(
    r"(?i)allow|whitelist|permitted|trusted|safe|valid|startsWith\(|HasPrefix\(|contains\("
    r"|includes\(|\.has\(|\.test\(|==|!=|\bindexOf\(|\bIsLocal\("
)
_EXIT = re.compile(r"\b(?:return|throw|panic|http\.Error|next\s*\()")
GUARDED_KINDS = frozenset({"ssrf", "redirect", "path"})


def allow_list_guard(
    node: Node, identifier_types: frozenset[str]
) -> list[tuple[str, frozenset[str]]]:
    """Variables an `if` statement checks against an allow-list or a base path."""
    if node.type != "if_statement":
        return []
    condition = node.child_by_field_name("condition")
    raw = text(condition)
    if condition is None or not _GUARD_WORDS.search(raw):
        return []
    consequence = text(node.child_by_field_name("consequence"))
    negated = raw.lstrip("( ").startswith("!") or "!=" in raw
    if negated and not _EXIT.search(consequence):
        return []
    names = {text(n) for n in walk(condition) if n.type in identifier_types}
    return [(name, GUARDED_KINDS) for name in sorted(names)]
