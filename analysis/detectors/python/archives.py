"""Archive extraction (CWE-22, "tar slip"): the member names of a tar archive are chosen
by whoever built it. `TarFile.extractall()` / `extract()` write `../` and absolute names,
and follow symbolic and hard links, outside the target directory unless an extraction
filter is used (`filter="data"` or `"tar"`, Python 3.12 and the security backports;
`"data"` is the default only from 3.14) or the members are checked first.

`zipfile` is different: `ZipFile.extract()` / `extractall()` drop `..` components and
leading slashes themselves, so they stay quiet; a zip slip in Python is a hand-written
extraction, where a member name (tainted through the archive value) reaches `open()` or
a path join, which the path sinks already cover.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from analysis.detectors.python.callsite import CallSite, Reporter
from analysis.detectors.python.values import Value, merge_taints

TAR_ARCHIVE = "tar-archive"
ZIP_ARCHIVE = "zip-archive"
_OPENERS = {
    "tarfile.open": TAR_ARCHIVE,
    "tarfile.TarFile": TAR_ARCHIVE,
    "tarfile.TarFile.open": TAR_ARCHIVE,
    "tarfile.TarFile.taropen": TAR_ARCHIVE,
    "tarfile.TarFile.gzopen": TAR_ARCHIVE,
    "tarfile.TarFile.bz2open": TAR_ARCHIVE,
    "tarfile.TarFile.xzopen": TAR_ARCHIVE,
    "zipfile.ZipFile": ZIP_ARCHIVE,
}
_EXTRACTIONS = frozenset({"extractall", "extract"})
# filters that keep no protection: the pre-3.12 behaviour
_TRUSTING_FILTERS = frozenset({"fully_trusted", "fully_trusted_filter"})
# calls that compare a member's resolved target with the destination directory
_CONTAINMENT_CALLS = frozenset({"commonpath", "commonprefix", "is_relative_to", "relative_to"})
_RESOLVERS = frozenset({"realpath", "abspath", "resolve", "normpath"})


def archive_value(name: str, args: list[Value]) -> Value | None:
    """The archive `tarfile.open(...)` / `zipfile.ZipFile(...)` returns: its members are
    as trusted as the data or file it is read from. A sanitised file *name* says nothing
    about the member names inside, so path clearing does not carry over."""
    shape = _OPENERS.get(name)
    if shape is None:
        return None
    taints = merge_taints(
        tuple(replace(t, cleared=t.cleared - {"path"}) for t in arg.taints) for arg in args
    )
    return Value(taints=taints, shape=shape)


def check_archive(site: CallSite, out: Reporter) -> None:
    receiver = site.receiver
    if receiver is None or receiver.shape != TAR_ARCHIVE or site.short not in _EXTRACTIONS:
        return
    if _has_filter(site) or _selects_members(site) or _checks_members(site.function.node):
        return
    out.sink(
        "path-traversal",
        site.node,
        receiver,
        f"TarFile.{site.short}() without an extraction filter (filter='data')",
        kind="path",
        remote=0.85,
    )


def _has_filter(site: CallSite) -> bool:
    value = site.keyword("filter")
    if value is None:
        return False
    if isinstance(value, ast.Constant):
        return value.value is not None and value.value not in _TRUSTING_FILTERS
    if isinstance(value, ast.Attribute | ast.Name):
        name = value.attr if isinstance(value, ast.Attribute) else value.id
        return name not in _TRUSTING_FILTERS
    return True  # a custom filter callable


def _selects_members(site: CallSite) -> bool:
    """`extractall(dest, members=...)` with a chosen list (not simply every member)."""
    if site.short != "extractall":
        return False
    members = site.keyword("members")
    if members is None and len(site.node.args) > 1:
        members = site.node.args[1]
    if members is None or (isinstance(members, ast.Constant) and members.value is None):
        return False
    every = (
        isinstance(members, ast.Call)
        and isinstance(members.func, ast.Attribute)
        and members.func.attr == "getmembers"
    )
    return not every


def _checks_members(function: ast.AST | None) -> bool:
    """The enclosing function validates member paths: a containment test of resolved
    paths (`os.path.commonpath`, `Path.is_relative_to`, `realpath(...).startswith(...)`),
    a `".." in name` test, or an extraction filter set on the archive."""
    if function is None:
        return False
    startswith = resolves = False
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            name = _called_name(node.func)
            if name in _CONTAINMENT_CALLS:
                return True
            startswith = startswith or name == "startswith"
            resolves = resolves or name in _RESOLVERS
        elif isinstance(node, ast.Compare) and _is_dotdot(node.left):
            if any(isinstance(op, ast.In | ast.NotIn) for op in node.ops):
                return True
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Attribute) and t.attr == "extraction_filter" for t in targets):
                return True
    return startswith and resolves


def _called_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _is_dotdot(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value in ("..", "../")
