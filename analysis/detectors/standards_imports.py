"""Imports a change adds, per language: Python (`ast`), JS/TS (`import`/`require`), Go and
Java import lines. Each import carries a dotted module name and, for relative imports, the
repository path it resolves to, so a layering rule can name either."""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass

from analysis.detectors.standards_rules import glob_to_regex
from analysis.files import FileView

_JS_FROM = re.compile(
    r"""(?:\bfrom\s+|^\s*import\s+|\brequire\(\s*|\bimport\(\s*)['"]([^'"]+)['"]"""
)
_GO_SINGLE = re.compile(r'^\s*import\s+(?:[\w.]+\s+)?"([^"]+)"')
_GO_BLOCK_ITEM = re.compile(r'^\s*(?:[\w.]+\s+)?"([^"]+)"\s*(?://.*)?$')
_JAVA = re.compile(r"^\s*import\s+(?:static\s+)?([\w.]+?)(?:\.\*)?\s*;?\s*$")
_PY_FALLBACK = re.compile(r"^\s*(?:from\s+(\.*[\w.]*)\s+import\s+([\w, ]+)|import\s+([\w., ]+))")
_JS_SUFFIX = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts")


@dataclass(frozen=True)
class ImportRef:
    line: int
    module: str  # dotted (python/java), path-like (js/go)
    resolved_path: str | None  # repository path of a relative import


def added_imports(view: FileView) -> list[ImportRef]:
    path = view.path.lower()
    if path.endswith((".py", ".pyi")):
        return _python(view)
    if path.endswith(_JS_SUFFIX):
        return _javascript(view)
    if path.endswith(".go"):
        return _go(view)
    if path.endswith((".java", ".kt", ".kts", ".scala")):
        return [ImportRef(n, m[1], None) for n, t in view.added.items() if (m := _JAVA.match(t))]
    return []


def _package_of(path: str, level: int) -> str:
    parts = path.split("/")[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    return ".".join(parts)


def _python(view: FileView) -> list[ImportRef]:
    content = view.changed.content
    try:
        tree = ast.parse(content) if content is not None else None
    except (SyntaxError, ValueError):
        tree = None
    if tree is None:
        return _python_fallback(view)
    refs: list[ImportRef] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        lines = range(node.lineno, (node.end_lineno or node.lineno) + 1)
        line = next((n for n in lines if n in view.added), None)
        if line is None:
            continue
        if isinstance(node, ast.Import):
            refs.extend(ImportRef(line, alias.name, None) for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            package = _package_of(view.path, node.level)
            base = ".".join(part for part in (package, base) if part)
        refs.append(ImportRef(line, base, None))
        refs.extend(ImportRef(line, f"{base}.{a.name}", None) for a in node.names if a.name != "*")
    return sorted(refs, key=lambda ref: (ref.line, ref.module))


def _python_fallback(view: FileView) -> list[ImportRef]:
    refs: list[ImportRef] = []
    for line, text in sorted(view.added.items()):
        match = _PY_FALLBACK.match(text)
        if not match:
            continue
        if match[3]:
            names = [name.strip().split(" ")[0] for name in match[3].split(",")]
            refs.extend(ImportRef(line, name, None) for name in names if name)
            continue
        dots = len(match[1]) - len(match[1].lstrip("."))
        base = match[1].lstrip(".")
        if dots:
            base = ".".join(p for p in (_package_of(view.path, dots), base) if p)
        refs.append(ImportRef(line, base, None))
        refs.extend(
            ImportRef(line, f"{base}.{name.strip()}", None)
            for name in match[2].split(",")
            if name.strip()
        )
    return refs


def _javascript(view: FileView) -> list[ImportRef]:
    refs: list[ImportRef] = []
    directory = posixpath.dirname(view.path)
    for line, text in sorted(view.added.items()):
        for match in _JS_FROM.finditer(text):
            spec = match[1]
            resolved = None
            if spec.startswith("."):
                resolved = posixpath.normpath(posixpath.join(directory, spec))
            refs.append(ImportRef(line, spec, resolved))
    return refs


def _go(view: FileView) -> list[ImportRef]:
    lines = view.head_lines
    if lines is None:
        return [
            ImportRef(n, m[1], None) for n, t in view.added.items() if (m := _GO_SINGLE.match(t))
        ]
    refs: list[ImportRef] = []
    in_block = False
    for number, text in enumerate(lines, start=1):
        stripped = text.strip()
        if in_block:
            if stripped.startswith(")"):
                in_block = False
                continue
            match = _GO_BLOCK_ITEM.match(text)
        elif stripped.startswith("import ("):
            in_block = True
            continue
        else:
            match = _GO_SINGLE.match(text)
        if match and number in view.added:
            refs.append(ImportRef(number, match[1], None))
    return refs


def import_matches(ref: ImportRef, target: str) -> bool:
    """`target` is a module prefix (`billing.web`, `express`, `@aws-sdk/`) or a path glob
    (`billing/web/**`); a relative import is compared by the path it resolves to."""
    candidates = {ref.module}
    if ref.resolved_path:
        candidates |= {ref.resolved_path, ref.resolved_path.replace("/", ".")}
    elif "." in ref.module and "/" not in ref.module:
        candidates.add(ref.module.replace(".", "/"))
    if "*" in target or "/" in target.rstrip("/"):
        pattern = glob_to_regex(target)
        return any(
            pattern.fullmatch(c) or pattern.fullmatch(f"{c}/_") or pattern.fullmatch(f"{c}.py")
            for c in candidates
        )
    prefix = target.rstrip("./")
    return any(
        c == prefix or c.startswith(f"{prefix}.") or c.startswith(f"{prefix}/") for c in candidates
    )
