"""`s.replaceAll("[^A-Za-z0-9-]", "")`: a value reduced to an allow-listed set of characters.

The negated character class names the characters that survive; the value is then safe for
every sink whose syntax needs a character outside that set (HTML needs `<>&"'`, a path
needs a separator, a redirect a `:` or `/` ...). Only a literal class with a literal,
reference-free replacement is read; anything else is not a sanitiser.
"""

from __future__ import annotations

import re
import string

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text

_NEGATED_CLASS = re.compile(r"^\[\^((?:\\.|[^\]\\])+)\][+*]?$")
_CLASS_ESCAPES = {
    "w": string.ascii_letters + string.digits + "_",
    "d": string.digits,
    "s": " \t\r\n\f\v",
}
_WHITESPACE = " \t\r\n\f\v"
_JAVA_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "b": "\b", "0": "\x00", "s": " "}
# sink kind -> characters its injection needs (one of them must survive to be dangerous)
_NEEDS: dict[str, str] = {
    "html": "<>&\"'",
    "redirect": ":/\\",
    "path": "/\\",
    "sql": "'\"\\;-#/*()=<>,|&" + _WHITESPACE,
    "shell": ";|&$`<>(){}[]!*?~'\"\\" + _WHITESPACE,
    "ldap": "*()\\&|=!\x00",
    "xpath": "'\"[]()/@=|",
    "nosql": "${}'\"",
}


def stripped_kinds(call: Node, name: str, args: list[Node]) -> frozenset[str] | None:
    """Sink kinds `value.replaceAll("[^...]", "")` makes the value safe for (None: not that
    shape, or nothing)."""
    if name != "replaceAll" or len(args) != 2:
        return None
    pattern, replacement = (_java_literal(a) for a in args)
    if pattern is None or replacement is None or re.search(r"[$\\]", replacement):
        return None
    found = _NEGATED_CLASS.match(pattern)
    if found is None:
        return None
    kept = _class_characters(found.group(1))
    if kept is None:
        return None
    kept |= set(replacement)
    safe = frozenset(kind for kind, needs in _NEEDS.items() if kept.isdisjoint(needs))
    return safe or None


def _java_literal(node: Node) -> str | None:
    raw = text(node)
    if node.type != "string_literal" or len(raw) < 2:
        return None
    body = raw[1:-1]
    if re.search(r"\\u[0-9a-fA-F]{4}", body):
        return None
    return re.sub(r"\\(.)", lambda m: _JAVA_ESCAPES.get(m.group(1), m.group(1)), body)


def _class_characters(body: str) -> set[str] | None:
    """The characters a regex character-class body lists (ranges and \\w \\d \\s expanded);
    None for constructs not read here (nested classes, \\p{...})."""
    kept: set[str] = set()
    index = 0
    while index < len(body):
        char = body[index]
        if char == "[":
            return None
        if char == "\\":
            if index + 1 >= len(body):
                return None
            escaped = body[index + 1]
            if escaped in _CLASS_ESCAPES:
                kept |= set(_CLASS_ESCAPES[escaped])
            elif escaped.isalnum():
                return None  # \p{L}, \S, \W ...: not an explicit list
            else:
                kept.add(escaped)
            index += 2
            continue
        if index + 2 < len(body) and body[index + 1] == "-" and body[index + 2] != "\\":
            low, high = ord(char), ord(body[index + 2])
            if low > high:
                return None
            kept |= {chr(code) for code in range(low, high + 1)}
            index += 3
            continue
        kept.add(char)
        index += 1
    return kept
