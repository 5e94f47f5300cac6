"""Framework and module shapes the sinks need to recognise: renamed and promisified imports,
named `fs` imports and allow-listed choices."""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import TaintWalk

_FS_NAMES = re.compile(
    r"^(?:readFile|readFileSync|createReadStream|writeFile|writeFileSync|createWriteStream"
    r"|appendFile|appendFileSync|unlink|unlinkSync|rm|rmSync|readdir|readdirSync|open|openSync"
    r"|copyFile|rename)$"
)
_FS_MODULE = r"""['"](?:node:)?fs(?:/promises)?['"]"""
_PROMISIFY = re.compile(
    rb"\b(?:const|let|var)\s+(\w+)\s*=\s*(?:util\.)?promisify\(\s*((?:\w+\.)?\w+)\s*\)"
)
_RENAMED = re.compile(rb"\b(\w+)\s+as\s+(\w+)\s*[,}]")  # `import { exec as run }`


def calls_unserialize(walk: TaintWalk) -> bool:
    """The file calls `unserialize(...)`; its import is then not reported separately."""
    return re.search(rb"\bunserialize\s*\(", walk.parsed.source) is not None


def resolve_alias(walk: TaintWalk, callee: str) -> str:
    """`import { exec as run }` / `const sh = promisify(exec)`: calls of `run` and `sh` are
    calls of `exec`."""
    if "." in callee:
        return callee
    aliases = walk.notes.get("aliases")
    if aliases is None:
        source = walk.parsed.source
        found = [*_PROMISIFY.findall(source), *((b, a) for a, b in _RENAMED.findall(source))]
        aliases = {f"{alias.decode()}={target.decode()}" for alias, target in found}
        walk.notes["aliases"] = aliases  # type: ignore[assignment]
    for _ in range(3):  # an alias of an alias
        target = next((e.split("=", 1)[1] for e in aliases if e.split("=", 1)[0] == callee), None)
        if target is None or target == callee:
            break
        callee = target
    return callee


def is_fs_import(walk: TaintWalk, callee: str) -> bool:
    """A bare `createReadStream(...)` imported by name from `fs` / `node:fs/promises`."""
    if not _FS_NAMES.match(callee):
        return False
    source = walk.parsed.source.decode("utf-8", "replace")
    named = rf"\{{[^}}]*\b{callee}\b[^}}]*\}}"
    return bool(
        re.search(rf"import\s*{named}\s*from\s*{_FS_MODULE}", source)
        or re.search(rf"{named}\s*=\s*require\(\s*{_FS_MODULE}\s*\)", source)
    )


_MEMBERSHIP = re.compile(r"\.(?:has|includes|test)\(\s*(\w+)\s*\)|(\w+)\s*===|===\s*(\w+)")


def checked_choice(node: Node) -> bool:
    """`ALLOWED.has(t) ? t : '/home'` (also inside `new URL(..., base)`): the value is used
    only when an allow-list accepted it."""
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node.type == "new_expression" and text(node.child_by_field_name("constructor")) == "URL":
        arguments = node.child_by_field_name("arguments")
        if arguments is not None and arguments.named_children:
            return checked_choice(arguments.named_children[0])
    if node.type != "ternary_expression":
        return False
    condition = node.child_by_field_name("condition")
    chosen = node.child_by_field_name("consequence")
    if condition is None or chosen is None or chosen.type != "identifier":
        return False
    checked = {name for group in _MEMBERSHIP.findall(text(condition)) for name in group if name}
    return text(chosen) in checked
