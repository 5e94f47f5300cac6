"""Checks that need only the syntax tree, in one walk: debug flags, TLS context settings,
CORS headers, session-cookie settings and `random` values stored as secrets."""

from __future__ import annotations

import ast
from collections.abc import Callable

from analysis.detectors.python.callsite import PyHit
from analysis.detectors.python.crypto import is_secret_name, random_call
from analysis.detectors.python_expressions import const_str, is_star

_ACAO = "access-control-allow-origin"
_COOKIE_SETTINGS = frozenset(
    {
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "REMEMBER_COOKIE_SECURE",
        "REMEMBER_COOKIE_HTTPONLY",
    }
)

Qualname = Callable[[ast.AST], str]


def syntax_hits(tree: ast.Module, qualname: Qualname) -> list[PyHit]:
    hits: list[PyHit] = []

    def hit(rule_id: str, node: ast.AST, confidence: float, detail: str) -> None:
        line = getattr(node, "lineno", 1)
        end = getattr(node, "end_lineno", None) or line
        hits.append(PyHit(rule_id, line, end, confidence, detail, f"{rule_id}@{line}"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            _dict(node, qualname, hit)
        elif isinstance(node, ast.Attribute):
            name = qualname(node)
            if name == "ssl._create_unverified_context":
                hit("tls-verification-disabled", node, 0.9, name)
            elif name == "ssl.CERT_NONE":
                hit("tls-verification-disabled", node, 0.85, name)
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                _assignment(target, node.value, qualname, hit)
        elif isinstance(node, ast.keyword) and node.arg and is_secret_name(node.arg):
            _random_secret(node.arg, node.value, qualname, hit)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and is_secret_name(node.name):
            for child in ast.walk(node):
                if isinstance(child, ast.Return) and child.value is not None:
                    _random_secret(f"{node.name}()", child.value, qualname, hit)
    return hits


Hit = Callable[[str, ast.AST, float, str], None]


def _dict(node: ast.Dict, qualname: Qualname, hit: Hit) -> None:
    for key, value in zip(node.keys, node.values, strict=True):
        text = (const_str(key) or "").lower()
        if text == _ACAO and is_star(value):
            hit("permissive-cors", value, 0.85, "Access-Control-Allow-Origin: *")
        elif text and is_secret_name(text):
            _random_secret(text, value, qualname, hit)


def _assignment(target: ast.expr, value: ast.expr, qualname: Qualname, hit: Hit) -> None:
    true = isinstance(value, ast.Constant) and value.value is True
    false = isinstance(value, ast.Constant) and value.value is False
    name = ""
    if isinstance(target, ast.Name):
        name = target.id
    elif isinstance(target, ast.Attribute):
        name = target.attr
    elif isinstance(target, ast.Subscript):
        name = const_str(target.slice) or ""
    if name == "DEBUG" and true and isinstance(target, ast.Name):
        hit("debug-mode-enabled", target, 0.6, "DEBUG = True")
    elif name.lower() == "debug" and true:
        hit("debug-mode-enabled", target, 0.7, f"{ast.unparse(target)} = True")
    elif name == "check_hostname" and false:
        hit("tls-verification-disabled", target, 0.85, "check_hostname = False")
    elif name == "verify_mode" and qualname(value) == "ssl.CERT_NONE":
        return  # reported on the attribute itself
    elif name.lower() == _ACAO and is_star(value):
        hit("permissive-cors", target, 0.85, "Access-Control-Allow-Origin: *")
    elif name in _COOKIE_SETTINGS and false:
        hit("insecure-cookie", target, 0.75, f"{name} = False")
    elif name and is_secret_name(name):
        _random_secret(name, value, qualname, hit)


def _random_secret(name: str, value: ast.AST, qualname: Qualname, hit: Hit) -> None:
    call = random_call(value, qualname)
    if call is not None:
        hit("insecure-randomness", call, 0.8, f"{qualname(call.func)}() used for {name}")
