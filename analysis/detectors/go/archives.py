"""Archive entry names as untrusted input (zip slip, CWE-22).

An entry's name is whatever the archive's author wrote: `archive/zip` keeps `../../x` and
absolute names as they are (`zip.NewReader` only refuses them when GODEBUG
`zipinsecurepath=0`), and `archive/tar` does the same for `Header.Name` and a symlink's
`Header.Linkname`. Joined onto a destination directory and opened for writing, such a name
escapes it. So the name of an entry read from an archive is a taint source, wherever the
archive came from:

- `f.Name` where `f` ranges over a zip reader's `File` slice (`for _, f := range zr.File`) or
  is declared `*zip.File`;
- `hdr.Name` / `hdr.Linkname` where `hdr` came from a tar reader's `Next()` (a reader made by
  `tar.NewReader` or declared `*tar.Reader`) or is declared `*tar.Header`.

The checks the Go documentation gives (`filepath.IsLocal`, a `filepath.Rel` that does not
start with `..`, `strings.HasPrefix` of the cleaned target on the destination) are guards:
see `path_guards`.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text

_FIELDS = {"Name": ("zip", "tar"), "Linkname": ("tar",)}
_FUNCTIONS = frozenset({"function_declaration", "method_declaration", "func_literal"})
_ENTRY_TYPES = {"zip.File": "zip", "tar.Header": "tar"}
_DECLARATIONS = frozenset({"short_var_declaration", "assignment_statement"})


def archive_entry_field(node: Node) -> str | None:
    """The source label of `entry.Name` / `hdr.Linkname` read from an archive, else None."""
    if node.type != "selector_expression":
        return None
    operand = node.child_by_field_name("operand")
    field = text(node.child_by_field_name("field"))
    if operand is None or operand.type != "identifier" or field not in _FIELDS:
        return None
    name = text(operand)
    kind = _entry_kind(node, name)
    if kind is None or kind not in _FIELDS[field]:
        return None
    return f"{kind} entry name {name}.{field}"


def _entry_kind(node: Node, name: str) -> str | None:
    """'zip' / 'tar' when `name` holds an archive entry where `node` reads it."""
    child = node
    current = node.parent
    while current is not None:
        if current.type == "for_statement":
            kind = _ranged_entry(current, name)
            if kind is not None:
                return kind
        elif current.type in ("statement_list", "block"):
            kind = _declared_before(current, child, name)
            if kind is not None:
                return kind
        elif current.type in _FUNCTIONS:
            return _parameter_entry(current, name)
        child = current
        current = current.parent
    return None


def _ranged_entry(loop: Node, name: str) -> str | None:
    """`for _, f := range zr.File`: `f` is a zip entry."""
    clause = next((c for c in loop.named_children if c.type == "range_clause"), None)
    if clause is None:
        return None
    left = clause.child_by_field_name("left")
    right = clause.child_by_field_name("right")
    names = [text(n) for n in left.named_children] if left is not None else []
    if names and names[-1] == name and right is not None and text(right).endswith(".File"):
        return "zip"
    return None


def _declared_before(block: Node, child: Node, name: str) -> str | None:
    """`hdr, err := tr.Next()` (tar reader) or `var hdr *tar.Header` before `child`."""
    for statement in block.named_children:
        if statement.start_byte >= child.start_byte:
            break
        if statement.type in _DECLARATIONS:
            left = statement.child_by_field_name("left")
            right = statement.child_by_field_name("right")
            names = [text(n) for n in left.named_children] if left is not None else []
            values = right.named_children if right is not None else []
            if names[:1] == [name] and len(values) == 1 and _tar_next(values[0], block):
                return "tar"
        elif statement.type == "var_declaration":
            for spec in statement.named_children:
                names = [text(n) for n in spec.children_by_field_name("name")]
                declared = _type_name(spec.child_by_field_name("type"))
                if name in names and declared in _ENTRY_TYPES:
                    return _ENTRY_TYPES[declared]
    return None


def _tar_next(value: Node, scope: Node) -> bool:
    """`tr.Next()` on a reader made by `tar.NewReader` or declared `*tar.Reader`."""
    if value.type != "call_expression":
        return False
    function = value.child_by_field_name("function")
    if function is None or function.type != "selector_expression":
        return False
    if text(function.child_by_field_name("field")) != "Next":
        return False
    receiver = re.escape(text(function.child_by_field_name("operand")))
    current: Node | None = scope
    while current is not None and current.type not in _FUNCTIONS:
        current = current.parent
    body = text(current if current is not None else scope)
    made = rf"\b{receiver}\s*:?=\s*tar\.NewReader\(|\b{receiver}\s+\*tar\.Reader\b"
    return re.search(made, body) is not None


def _parameter_entry(function: Node, name: str) -> str | None:
    """A parameter declared `*zip.File` / `*tar.Header`."""
    parameters = function.child_by_field_name("parameters")
    for declaration in parameters.named_children if parameters is not None else []:
        names = [text(n) for n in declaration.children_by_field_name("name")]
        declared = _type_name(declaration.child_by_field_name("type"))
        if name in names and declared in _ENTRY_TYPES:
            return _ENTRY_TYPES[declared]
    return None


def _type_name(node: Node | None) -> str:
    """`*zip.File` / `zip.File` -> 'zip.File'."""
    return text(node).lstrip("*").strip() if node is not None else ""
