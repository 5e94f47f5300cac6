"""HTTP route handlers in a Python file (Flask, FastAPI/Starlette, Django/DRF): which
parameters carry client data, which auth guards they use, and routes missing the guard
every sibling route uses (missing-auth-guard, CWE-862)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from analysis.detectors.python.callsite import PyHit

_ROUTE_METHODS = frozenset(
    {"route", "get", "post", "put", "delete", "patch", "head", "options", "api_route", "websocket"}
)
_AUTH_WORDS = re.compile(
    r"(?i)login|auth|permission|role|admin|jwt|token|scope|protect|guard|current_user|"
    r"staff|superuser|secur|verify|require_user|requires_user|session_required|api_key"
)
_NOT_AUTH = re.compile(r"(?i)require_(?:http_methods|get|post|safe)|csrf_exempt")
_PUBLIC_ROUTE = re.compile(
    r"(?i)log_?in|log_?out|sign_?(?:in|up|out)|register|health|ready|readiness|live|ping|"
    r"status|public|callback|webhook|oauth|openapi|docs|static|favicon|robots|metrics|"
    r"version|forgot|reset|confirm|verify|invite|token"
)
_SAFE_TYPES = frozenset(
    {"int", "float", "bool", "UUID", "uuid.UUID", "datetime", "date", "Decimal", "time"}
)
_NON_INPUT_TYPES = frozenset(
    {"Session", "AsyncSession", "BackgroundTasks", "Response", "Connection", "Engine"}
)
_DATA_TYPES = frozenset({"dict", "Dict", "Any", "list", "List", "Json", "object"})
_FLASK_CONVERTER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_SAFE_CONVERTERS = frozenset({"int", "float", "uuid"})
_MIN_SIBLINGS = 2
_CONFIDENCE = 0.7

Qualname = Callable[[ast.AST], str]


@dataclass(frozen=True)
class Route:
    framework: str  # flask | fastapi | django
    path: str
    guards: frozenset[str]
    safe_params: frozenset[str]  # converted by the framework to numbers, ids, dates
    skip_params: frozenset[str]  # dependencies and framework objects, not client data
    data_params: frozenset[str]  # annotated as free-form data (dict, Any)
    path_params: frozenset[str]


def route_of(
    func: ast.FunctionDef | ast.AsyncFunctionDef, qualname: Qualname, imports: frozenset[str]
) -> Route | None:
    decorator = next((d for d in func.decorator_list if _is_route_decorator(d)), None)
    if decorator is None:
        return _django_view(func, qualname, imports)
    assert isinstance(decorator, ast.Call)
    path = _route_path(decorator)
    framework = "fastapi" if "fastapi" in imports or "starlette" in imports else "flask"
    guards = set(_decorator_guards(func, qualname, skip=decorator))
    guards.update(_dependency_guards(decorator, qualname))
    safe, skip, data = _typed_params(func, qualname)
    path_params: set[str] = set()
    for converter, name in _FLASK_CONVERTER.findall(path):
        path_params.add(name)
        if converter in _SAFE_CONVERTERS:
            safe.add(name)
    path_params.update(re.findall(r"\{(\w+)(?::\w+)?\}", path))
    for default_owner, default in _param_defaults(func):
        name = qualname(default.func) if isinstance(default, ast.Call) else ""
        if name.rsplit(".", 1)[-1] in ("Depends", "Security"):
            skip.add(default_owner)
            target = default.args[0] if isinstance(default, ast.Call) and default.args else None
            target_name = qualname(target) if target is not None else ""
            if _AUTH_WORDS.search(target_name) or name.endswith("Security"):
                guards.add(f"Depends({target_name})")
    return Route(
        framework,
        path,
        frozenset(guards),
        frozenset(safe),
        frozenset(skip),
        frozenset(data),
        frozenset(path_params),
    )


def missing_auth_guards(
    routes: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, Route]],
    guarded_routers: frozenset[str],
    has_global_hook: bool,
) -> list[PyHit]:
    """Routes without any guard while every sibling (>= 2, same framework) shares one."""
    if has_global_hook:
        return []
    hits: list[PyHit] = []
    private = [(f, r) for f, r in routes if not _is_public(f, r)]
    for func, route in private:
        if route.guards or _router_of(func) in guarded_routers:
            continue
        siblings = [r for f, r in private if f is not func and r.framework == route.framework]
        if len(siblings) < _MIN_SIBLINGS or not all(s.guards for s in siblings):
            continue
        shared = frozenset.intersection(*(s.guards for s in siblings))
        if not shared:
            continue
        guard = sorted(shared)[0]
        first = min([d.lineno for d in func.decorator_list] + [func.lineno])
        detail = (
            f"{func.name}() ({route.path or 'view'}) has no {guard}, which the other "
            f"{len(siblings)} routes in this file use"
        )
        hits.append(
            PyHit(
                "missing-auth-guard", first, func.lineno, _CONFIDENCE, detail, f"auth@{func.lineno}"
            )
        )
    return hits


def _is_public(func: ast.FunctionDef | ast.AsyncFunctionDef, route: Route) -> bool:
    """Login, health, webhooks, the landing page: routes that are public by design."""
    return bool(
        route.path == "/" or _PUBLIC_ROUTE.search(route.path) or _PUBLIC_ROUTE.search(func.name)
    )


def guarded_routers(tree: ast.Module, qualname: Qualname) -> frozenset[str]:
    """Router/app variables created with auth dependencies (every route on them is guarded)."""
    names: set[str] = set()
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        for keyword in node.value.keywords:
            if keyword.arg == "dependencies" and _AUTH_WORDS.search(ast.unparse(keyword.value)):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return frozenset(names)


def has_global_auth_hook(
    functions: Iterable[ast.FunctionDef | ast.AsyncFunctionDef], qualname: Qualname
) -> bool:
    """A `before_request` hook (Flask) applies to every route of the app or blueprint."""
    for node in functions:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if qualname(target).rsplit(".", 1)[-1] in ("before_request", "before_app_request"):
                    return True
    return False


def _is_route_decorator(decorator: ast.expr) -> bool:
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
        return False
    if decorator.func.attr not in _ROUTE_METHODS:
        return False
    path = _route_path(decorator)
    return path.startswith("/") or (path == "" and decorator.func.attr == "route")


def _route_path(decorator: ast.Call) -> str:
    first = decorator.args[0] if decorator.args else None
    for keyword in decorator.keywords:
        if keyword.arg in ("path", "rule"):
            first = keyword.value
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return ""


def _router_of(func: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    for decorator in func.decorator_list:
        if _is_route_decorator(decorator):
            owner = decorator.func.value  # type: ignore[attr-defined]
            return owner.id if isinstance(owner, ast.Name) else ""
    return ""


def _decorator_guards(
    func: ast.FunctionDef | ast.AsyncFunctionDef, qualname: Qualname, skip: ast.expr | None
) -> list[str]:
    guards: list[str] = []
    for decorator in func.decorator_list:
        if decorator is skip:
            continue
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = qualname(target)
        if _AUTH_WORDS.search(ast.unparse(decorator)) and not _NOT_AUTH.search(name):
            guards.append(name.rsplit(".", 1)[-1])
    return guards


def _dependency_guards(decorator: ast.Call, qualname: Qualname) -> list[str]:
    for keyword in decorator.keywords:
        if keyword.arg == "dependencies" and _AUTH_WORDS.search(ast.unparse(keyword.value)):
            return [f"dependencies={ast.unparse(keyword.value)}"]
    return []


def _param_defaults(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[str, ast.expr]]:
    positional = func.args.posonlyargs + func.args.args
    pairs = list(
        zip(
            [a.arg for a in positional[len(positional) - len(func.args.defaults) :]],
            func.args.defaults,
            strict=True,
        )
    )
    pairs += [
        (a.arg, d)
        for a, d in zip(func.args.kwonlyargs, func.args.kw_defaults, strict=True)
        if d is not None
    ]
    return pairs


def _typed_params(
    func: ast.FunctionDef | ast.AsyncFunctionDef, qualname: Qualname
) -> tuple[set[str], set[str], set[str]]:
    safe: set[str] = set()
    skip: set[str] = set()
    data: set[str] = set()
    for arg in func.args.posonlyargs + func.args.args + func.args.kwonlyargs:
        annotation = arg.annotation
        if isinstance(annotation, ast.Subscript) and qualname(annotation.value).endswith(
            "Annotated"
        ):
            inner = annotation.slice
            annotation = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
            if isinstance(inner, ast.Tuple) and any(
                isinstance(e, ast.Call)
                and qualname(e.func).rsplit(".", 1)[-1] in ("Depends", "Security")
                for e in inner.elts[1:]
            ):
                skip.add(arg.arg)
        name = qualname(annotation) if annotation is not None else ""
        base = name.rsplit(".", 1)[-1]
        if base in _SAFE_TYPES or name in _SAFE_TYPES:
            safe.add(arg.arg)
        elif base in _NON_INPUT_TYPES or arg.arg in ("self", "cls"):
            skip.add(arg.arg)
        elif base in _DATA_TYPES or (
            isinstance(annotation, ast.Subscript)
            and qualname(annotation.value).rsplit(".", 1)[-1] in _DATA_TYPES
        ):
            data.add(arg.arg)
    return safe, skip, data


def _django_view(
    func: ast.FunctionDef | ast.AsyncFunctionDef, qualname: Qualname, imports: frozenset[str]
) -> Route | None:
    params = func.args.posonlyargs + func.args.args
    if not params or params[0].arg != "request":
        return None
    if not ("django" in imports or "rest_framework" in imports):
        return None
    guards = frozenset(_decorator_guards(func, qualname, skip=None))
    names = {a.arg for a in params[1:]}
    return Route(
        "django", "", guards, frozenset(), frozenset({"request"} | names), frozenset(), frozenset()
    )
