"""Objects whose kind the file states by type rather than by the call that made them.

An HTTP client is often built elsewhere (an application factory, a dependency) and only
named here with its type: an annotated variable (`session: ClientSession =
request.app["http"]`), an annotated parameter (`client: httpx.AsyncClient`), or an
instance attribute set by one method and used by another (`self.http =
urllib3.PoolManager()` in `__init__`). These give the value the `http-client` shape the
SSRF check looks for; an unannotated object of unknown origin stays unknown.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

HTTP_CLIENT = "http-client"

#: client classes of the HTTP libraries whose request methods take a URL
HTTP_CLIENT_TYPES = frozenset(
    {
        "requests.Session",
        "requests.session",
        "requests.sessions.Session",
        "httpx.Client",
        "httpx.AsyncClient",
        "aiohttp.ClientSession",
        "aiohttp.client.ClientSession",
        "urllib3.PoolManager",
        "urllib3.ProxyManager",
        "urllib3.poolmanager.PoolManager",
        "tornado.httpclient.AsyncHTTPClient",
        "tornado.httpclient.HTTPClient",
    }
)

Qualname = Callable[[ast.AST], str]
_MAX_DEPTH = 4


def annotation_names(node: ast.AST | None, qualname: Qualname, depth: int = 0) -> Iterator[str]:
    """Qualified names an annotation mentions: `X`, `X | None`, `Optional[X]`,
    `Annotated[X, ...]`, and the same written as a string."""
    if node is None or depth > _MAX_DEPTH:
        return
    if isinstance(node, ast.Name | ast.Attribute):
        name = qualname(node)
        if name:
            yield name
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        yield from annotation_names(node.left, qualname, depth + 1)
        yield from annotation_names(node.right, qualname, depth + 1)
    elif isinstance(node, ast.Subscript):
        inner = node.slice
        parts = inner.elts if isinstance(inner, ast.Tuple) else [inner]
        for part in parts[:2]:
            yield from annotation_names(part, qualname, depth + 1)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 120:
        try:
            parsed = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return
        yield from annotation_names(parsed, qualname, depth + 1)


def annotated_shape(node: ast.AST | None, qualname: Qualname) -> str:
    """The shape an annotation gives a value (`http-client`), or ""."""
    if any(name in HTTP_CLIENT_TYPES for name in annotation_names(node, qualname)):
        return HTTP_CLIENT
    return ""


def constructed_shape(node: ast.AST | None, qualname: Qualname) -> str:
    """The shape of the object an expression constructs (`httpx.AsyncClient(...)`)."""
    while isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Call) and qualname(node.func) in HTTP_CLIENT_TYPES:
        return HTTP_CLIENT
    return ""


def instance_shapes(tree: ast.Module, qualname: Qualname) -> dict[tuple[str, str], str]:
    """(class, attribute) -> shape for attributes a class declares with a client type
    (`http: ClientSession`) or that one of its methods sets to a client (`self.http =
    httpx.Client()`, `self.session = session` for a parameter typed as a client)."""
    shapes: dict[tuple[str, str], str] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                shape = annotated_shape(statement.annotation, qualname)
                if shape:
                    shapes[(node.name, statement.target.id)] = shape
            elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                for attribute, shape in _self_assignments(statement, qualname):
                    shapes.setdefault((node.name, attribute), shape)
    return shapes


def _self_assignments(
    method: ast.FunctionDef | ast.AsyncFunctionDef, qualname: Qualname
) -> Iterator[tuple[str, str]]:
    arguments = method.args
    typed = {
        arg.arg: annotated_shape(arg.annotation, qualname)
        for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        if arg.annotation is not None
    }
    for node in ast.walk(method):
        if isinstance(node, ast.Assign):
            targets, value, annotation = node.targets, node.value, None
        elif isinstance(node, ast.AnnAssign):
            targets, value, annotation = [node.target], node.value, node.annotation
        else:
            continue
        for target in targets:
            if not (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
            ):
                continue
            shape = annotated_shape(annotation, qualname) or constructed_shape(value, qualname)
            if not shape and isinstance(value, ast.Name):
                shape = typed.get(value.id, "")
            if shape:
                yield target.attr, shape
