"""Python security scanning of one changed file: parse once, run the taint pass, the
syntax checks and the route-guard comparison, then keep the hits on added lines.

`scan_python_source(source)` works on text (hits in its own numbering);
`scan_python_file(view)` parses the head content when available, falls back to each
hunk's new side, then to single added lines (per-line patterns for lines that do not
parse on their own).
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterable
from dataclasses import replace

from analysis.detectors.python.archives import check_archive
from analysis.detectors.python.callsite import PyHit
from analysis.detectors.python.cleartext import url_literal_anchors
from analysis.detectors.python.crypto import check_crypto
from analysis.detectors.python.hashing import password_field_hits
from analysis.detectors.python.injection import check_injection
from analysis.detectors.python.llm_prompts import check_llm_call, check_message_literal
from analysis.detectors.python.model_forms import bound_form_check, open_model_forms, view_hits
from analysis.detectors.python.nonce_reuse import reused_nonce_hits
from analysis.detectors.python.routes import (
    Route,
    guarded_routers,
    has_global_auth_hook,
    missing_auth_guards,
    route_of,
)
from analysis.detectors.python.syntax_checks import syntax_hits
from analysis.detectors.python.system import check_system
from analysis.detectors.python.taint import FunctionNode, Interpreter
from analysis.detectors.python.transport import check_transport
from analysis.detectors.python.typed_objects import instance_shapes
from analysis.detectors.python.web import check_route_return, check_web
from analysis.detectors.security_catalog import Hit
from analysis.detectors.security_patterns import (
    PYTHON_FALLBACK_RULES,
    is_comment_line,
    scan_line,
    strip_comment,
)
from analysis.files import FileView

_CALL_CHECKS = [
    check_injection,
    check_web,
    check_crypto,
    check_transport,
    check_system,
    check_llm_call,
    check_archive,
]
_RETURN_CHECKS = [check_route_return]
_LITERAL_CHECKS = [check_message_literal]
_HASH_MODULES = frozenset({"hashlib", "Crypto", "Cryptodome", "cryptography"})
_DJANGO_MODULES = frozenset({"django", "rest_framework"})
_PARSE_ERRORS = (SyntaxError, ValueError, RecursionError, MemoryError)


def scan_python_file(view: FileView) -> list[Hit]:
    """Hits on the added lines of `view`, at most one per problem."""
    added = set(view.added)
    if view.changed.content is not None:
        head = _scan_or_none(view.changed.content)
        if head is not None:
            return _resolve(_on_added_lines(head, added))
        # the head does not parse (templated, other Python version): use the diff below
    hits: list[PyHit] = []
    for index, hunk in enumerate(view.patch.hunks):
        new_side = hunk.new_side
        block = _scan_or_none(textwrap.dedent("\n".join(line.text for line in new_side)))
        if block is None:
            numbers = [line.new_line for line in new_side if line.kind == "added"]
            hits.extend(_line_hits(view, [n for n in numbers if n is not None]))
            continue
        numbers = [line.new_line or 0 for line in new_side]

        def number(line: int, numbers: list[int] = numbers) -> int:
            return numbers[min(line, len(numbers)) - 1]

        mapped = [
            PyHit(
                h.rule_id,
                number(h.line),
                number(h.end_line),
                h.confidence,
                h.detail,
                f"hunk{index}:{h.group}",
                h.severity,
                tuple((number(a), number(b)) for a, b in h.prefer),
            )
            for h in block
        ]
        hits.extend(_on_added_lines(mapped, added))
    return _resolve(hits)


def scan_python_source(source: str) -> list[PyHit]:
    """Every hit in `source`; raises SyntaxError when it does not parse."""
    tree = ast.parse(source)
    aliases, imports = _imports(tree)
    functions, methods = _definitions(tree)
    interpreter = Interpreter(
        aliases,
        functions,
        methods,
        lambda f: None,
        imports,
        list(_CALL_CHECKS),
        _RETURN_CHECKS,
        _LITERAL_CHECKS,
    )
    routes: dict[FunctionNode, Route | None] = {}

    def cached_route(function: FunctionNode) -> Route | None:
        if function not in routes:
            routes[function] = route_of(function, interpreter.qualname, imports)
        return routes[function]

    interpreter.route_of = cached_route
    interpreter.instance_shapes = instance_shapes(tree, interpreter.qualname)
    forms = None
    if imports & _DJANGO_MODULES:
        forms = open_model_forms(tree, interpreter.qualname)
        interpreter.call_checks.append(bound_form_check(forms))
    interpreter.run_module(tree)
    hits = list(interpreter.hits)
    if forms is not None:
        hits.extend(view_hits(tree, interpreter.qualname, forms))
    hits.extend(url_literal_anchors(hits, tree))
    hits.extend(syntax_hits(tree, interpreter.qualname))
    hits.extend(reused_nonce_hits(tree, interpreter.qualname))
    if imports & _HASH_MODULES:
        stored, excused = password_field_hits(tree, interpreter.qualname)
        hits.extend(stored)
        if excused:  # fast digests fed to a slow password hash, Pwned Passwords prefixes
            hits = [h for h in hits if h.rule_id != "weak-password-hash" or h.line not in excused]
    found = [(f, r) for f, r in routes.items() if r is not None]
    hits.extend(
        missing_auth_guards(
            found,
            guarded_routers(tree, interpreter.qualname),
            has_global_auth_hook(interpreter.summaries, interpreter.qualname),
        )
    )
    return hits


def _scan_or_none(source: str) -> list[PyHit] | None:
    try:
        return scan_python_source(source)
    except _PARSE_ERRORS:
        return None


def _imports(tree: ast.Module) -> tuple[dict[str, str], frozenset[str]]:
    aliases: dict[str, str] = {}
    modules: set[str] = set()
    for node in _statements(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                modules.add(alias.name.split(".")[0])
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    first = alias.name.split(".")[0]
                    aliases[first] = first
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module.split(".")[0])
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases, frozenset(modules)


def _statements(body: list[ast.stmt]) -> Iterable[ast.stmt]:
    """Every statement, nested ones included, without descending into expressions."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, field, None)
            if isinstance(children, list):
                stack.extend(reversed(children))


def _definitions(
    tree: ast.Module,
) -> tuple[dict[str, FunctionNode], dict[tuple[str, str], FunctionNode]]:
    """Module functions and class methods (functions nested in functions are closures)."""
    functions: dict[str, FunctionNode] = {}
    methods: dict[tuple[str, str], FunctionNode] = {}

    def visit(body: Iterable[ast.stmt], owner: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if owner:
                    methods[(owner, node.name)] = node
                else:
                    functions[node.name] = node
            elif isinstance(node, ast.ClassDef):
                visit(node.body, node.name)
            elif isinstance(node, ast.If | ast.Try | ast.With):
                for block in (
                    node.body,
                    getattr(node, "orelse", []),
                    getattr(node, "finalbody", []),
                ):
                    visit(block, owner)

    visit(tree.body, "")
    return functions, methods


def _on_added_lines(hits: list[PyHit], added: set[int]) -> list[PyHit]:
    """Hits touching an added line, anchored at the first added line of their first span
    (preferred spans, then their own) that touches one."""
    kept: list[PyHit] = []
    for hit in hits:
        for start, end in (*hit.prefer, (hit.line, hit.end_line)):
            touched = next((n for n in range(start, end + 1) if n in added), None)
            if touched is not None:
                kept.append(replace(hit, line=touched, end_line=max(end, touched), prefer=()))
                break
    return kept


def _resolve(hits: list[PyHit]) -> list[Hit]:
    """One hit per problem: the most confident of each group (then of each rule and line)."""
    best: dict[str, PyHit] = {}
    for hit in hits:
        current = best.get(hit.group)
        if current is None or (hit.confidence, -hit.line) > (current.confidence, -current.line):
            best[hit.group] = hit
    by_line: dict[tuple[str, int], PyHit] = {}
    for hit in best.values():
        key = (hit.rule_id, hit.line)
        if key not in by_line or hit.confidence > by_line[key].confidence:
            by_line[key] = hit
    ordered = sorted(by_line.values(), key=lambda h: (h.line, h.rule_id))
    return [
        Hit(h.rule_id, h.line, max(h.end_line, h.line), h.confidence, h.detail, h.severity)
        for h in ordered
    ]


def _line_hits(view: FileView, numbers: list[int]) -> list[PyHit]:
    hits: list[PyHit] = []
    for number in numbers:
        text = view.added.get(number, "")
        if is_comment_line(text, "python"):
            continue
        line_hits = _scan_or_none(text.strip())
        if line_hits is None:
            code = strip_comment(text, ("#",))
            for h in scan_line(code, number, PYTHON_FALLBACK_RULES, code):
                hits.append(
                    PyHit(
                        h.rule_id, number, number, h.confidence, h.detail, f"{h.rule_id}@{number}"
                    )
                )
        else:
            hits.extend(
                PyHit(
                    h.rule_id,
                    number,
                    number,
                    h.confidence,
                    h.detail,
                    f"{h.rule_id}@{number}:{h.group}",
                )
                for h in line_hits
            )
    return hits
