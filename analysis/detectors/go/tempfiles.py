"""Files written at a predictable path in the shared temp directory (CWE-377).

`os.TempDir()` and `/tmp` are shared by every local user. A name known in advance
(`filepath.Join(os.TempDir(), "report.csv")`, `"/tmp/" + name`,
`fmt.Sprintf("/tmp/export-%s.csv", id)`) can be created first by someone else, or be a
symlink they planted: `os.Create` and `os.WriteFile` open with `O_CREATE|O_TRUNC` and follow
it. The os package documents the safe ways: `os.CreateTemp` / `os.MkdirTemp` pick a fresh
random name (then anything joined under that directory is private), and `os.OpenFile` with
`O_CREATE|O_EXCL` fails when the name already exists. Names carrying a random part (a UUID,
crypto/rand output) are not predictable either.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.go.spec import arguments, callee_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text, walk
from analysis.detectors.treesitter.taint import TaintWalk

_WRITES = frozenset({"os.Create", "os.WriteFile", "ioutil.WriteFile", "os.OpenFile"})
_JOINS = frozenset({"filepath.Join", "path.Join"})
_RANDOM_PART = re.compile(r"\b(?:uuid|rand|ulid|xid|nanoid)\.|(?i:random)")
_SHARED_DIR = re.compile(r"^/(?:var/)?tmp/?$")
_IN_SHARED_DIR = re.compile(r"^/(?:var/)?tmp/[^/]")
_MAX_HOPS = 3
_FUNCTIONS = frozenset({"function_declaration", "method_declaration", "func_literal"})


def predictable_temp_write(walk_: TaintWalk, call: Node) -> list[Hit]:
    """A write that creates or truncates a predictable path under the shared temp dir."""
    callee = callee_name(call)
    args = arguments(call)
    if callee not in _WRITES or not args:
        return []
    if callee == "os.OpenFile" and (len(args) < 2 or "O_EXCL" in text(args[1])):
        return []
    if not _under_shared_dir(args[0], call, _MAX_HOPS):
        return []
    detail = f"{callee} at a predictable path in the shared temp directory"
    return [walk_.hit("insecure-temp-file", call, 0.75, detail)]


def _under_shared_dir(node: Node, use: Node, hops: int) -> bool:
    """`node` names a file whose directory is the shared temp dir and whose name is fixed
    or derived from data (no random part)."""
    if _RANDOM_PART.search(text(node)):
        return False
    kind = node.type
    if kind in ("interpreted_string_literal", "raw_string_literal"):
        return _IN_SHARED_DIR.match(text(node)[1:-1]) is not None
    if kind == "identifier":
        value = _assigned_value(node, use) if hops > 0 else None
        return value is not None and _under_shared_dir(value, value, hops - 1)
    if kind == "binary_expression" and text(node.child_by_field_name("operator")) == "+":
        left = node.child_by_field_name("left")
        return left is not None and (
            _is_shared_dir(left, use, hops) or _under_shared_dir(left, use, hops)
        )
    if kind == "call_expression":
        callee = callee_name(node)
        args = arguments(node)
        if callee in _JOINS and len(args) >= 2:
            return _is_shared_dir(args[0], use, hops)
        if callee == "fmt.Sprintf" and args:
            return _under_shared_dir(args[0], use, hops) or (
                len(args) > 1
                and re.match(r'^"%s/', text(args[0])) is not None
                and _is_shared_dir(args[1], use, hops)
            )
    return False


def _is_shared_dir(node: Node, use: Node, hops: int) -> bool:
    """`os.TempDir()`, `"/tmp"` / `"/tmp/"`, or a variable holding one of them."""
    if node.type == "call_expression":
        return callee_name(node) == "os.TempDir" and not arguments(node)
    if node.type in ("interpreted_string_literal", "raw_string_literal"):
        return _SHARED_DIR.match(text(node)[1:-1]) is not None
    if node.type == "identifier" and hops > 0:
        value = _assigned_value(node, use)
        return value is not None and _is_shared_dir(value, value, hops - 1)
    return False


def _assigned_value(name: Node, use: Node) -> Node | None:
    """The value last assigned to `name` before `use` in the enclosing function."""
    scope = use.parent
    while scope is not None and scope.type not in _FUNCTIONS:
        scope = scope.parent
    if scope is None:
        return None
    wanted = text(name)
    found: Node | None = None
    for node in walk(scope):
        if node.start_byte >= use.start_byte:
            break
        if node.type in ("short_var_declaration", "assignment_statement"):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        elif node.type == "var_spec":
            left, right = node, node.child_by_field_name("value")
        else:
            continue
        if left is None or right is None:
            continue
        names = [text(n) for n in left.named_children if n.type == "identifier"]
        if node.type == "var_spec":
            names = [text(n) for n in node.children_by_field_name("name")]
        values = right.named_children if right.type == "expression_list" else [right]
        if wanted in names and values:
            index = names.index(wanted)
            found = values[index] if len(values) == len(names) else values[0]
    return found
