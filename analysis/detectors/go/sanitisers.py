"""Go sanitisers that are recognised by shape rather than by a fixed callee name.

- bluemonday (github.com/microcosm-cc/bluemonday): a `*bluemonday.Policy` is an allow-list of
  elements and attributes; `Sanitize` / `SanitizeBytes` / `SanitizeReader` return HTML with
  everything else (scripts, event handlers, `javascript:` URLs) stripped, safe to mark as
  `template.HTML`. The policy may be built inline (`bluemonday.UGCPolicy().Sanitize(x)`) or
  held in a variable, struct field or package variable assigned from a `bluemonday.`
  constructor or declared `*bluemonday.Policy`.
- `filepath.Clean("/" + name)` / `path.Clean("/" + name)`: cleaning a rooted path removes
  every `..` that would climb above the root (the idiom `http.Dir` uses), so the result,
  joined under a directory, stays inside it.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text

_POLICY_METHODS = frozenset({"Sanitize", "SanitizeBytes", "SanitizeReader"})
_BLUEMONDAY_IMPORT = b'"github.com/microcosm-cc/bluemonday"'
_HTML = frozenset({"html"})
_PATH = frozenset({"path"})
_ROOTED = re.compile(r"""^(?:"/"|`/`|string\((?:file)?path\.Separator\))\s*\+""")


def library_sanitiser(call: Node, callee: str) -> frozenset[str] | None:
    """The sink kinds `call` makes its input safe for, when it is one of the shapes above."""
    receiver, _, method = callee.rpartition(".")
    if method in _POLICY_METHODS and receiver and _bluemonday_policy(call, receiver):
        return _HTML
    if callee in ("filepath.Clean", "path.Clean"):
        arguments = call.child_by_field_name("arguments")
        given = arguments.named_children if arguments is not None else []
        if len(given) == 1 and _ROOTED.match(text(given[0])):
            return _PATH
    return None


def _bluemonday_policy(call: Node, receiver: str) -> bool:
    if receiver.startswith("bluemonday."):
        return True
    root = call
    while root.parent is not None:
        root = root.parent
    source = root.text or b""
    if _BLUEMONDAY_IMPORT not in source:
        return False
    name = re.escape(receiver.rsplit(".", 1)[-1]).encode()
    assigned = rb"\b" + name + rb"\s*(?::=|=|:)\s*bluemonday\.\w+\("
    declared = rb"\b" + name + rb"\s+\*bluemonday\.Policy\b"
    return re.search(assigned, source) is not None or re.search(declared, source) is not None
