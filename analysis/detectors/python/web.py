"""Web sinks: XSS, path traversal, SSRF, open redirect, mass assignment, error details in
responses and session cookies without Secure/HttpOnly."""

from __future__ import annotations

import ast
import re

from analysis.detectors.python.callsite import CallSite, FunctionFacts, Reporter
from analysis.detectors.python.values import DATA, ERROR, REMOTE, SCALAR, STRINGS, Value

_MARK_SAFE = frozenset(
    {
        "markupsafe.Markup",
        "flask.Markup",
        "jinja2.Markup",
        "Markup",
        "django.utils.safestring.mark_safe",
        "mark_safe",
        "django.utils.safestring.SafeString",
        "SafeString",
    }
)
_HTML_RESPONSES = frozenset({"HttpResponse", "HTMLResponse", "make_response", "Response"})
_SAFE_INLINE = re.compile(r"\{\{\s*([\w.]+)[^}]*\|\s*safe\s*\}\}")
_PATH_SINKS: dict[str, tuple[int, ...]] = {
    "open": (0,),
    "io.open": (0,),
    "codecs.open": (0,),
    "os.open": (0,),
    "flask.send_file": (0,),
    "send_file": (0,),
    "FileResponse": (0,),
    "starlette.responses.FileResponse": (0,),
    "fastapi.responses.FileResponse": (0,),
    "django.http.FileResponse": (0,),
    "os.remove": (0,),
    "os.unlink": (0,),
    "os.rmdir": (0,),
    "os.listdir": (0,),
    "os.rename": (0, 1),
    "shutil.rmtree": (0,),
    "shutil.copy": (0, 1),
    "shutil.copyfile": (0, 1),
    "shutil.move": (0, 1),
    "aiofiles.open": (0,),
    "sanic.response.file": (0,),
    "sanic.response.file_stream": (0,),
    "pyramid.response.FileResponse": (0,),
}
_PATH_METHODS = frozenset(
    {"read_text", "read_bytes", "write_text", "write_bytes", "unlink", "open", "rmdir"}
)
_HTTP_VERBS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "fetch", "ws_connect"}
)
# client methods taking the HTTP method first and the URL second: `session.request("GET",
# url)`, urllib3 `PoolManager().urlopen(method, url)`, httpx `client.stream(method, url)`
_METHOD_THEN_URL = frozenset({"request", "urlopen", "stream", "build_request"})
_HTTP_MODULES = ("requests.", "httpx.", "urllib3.", "aiohttp.")
_URL_OPENERS = frozenset({"urllib.request.urlopen", "urllib.request.Request", "urllib.urlopen"})
_FIXED_HOST = re.compile(r"(?i)^(?:[a-z][a-z0-9+.-]*://[^/?#{]+[/?#]|/(?!/)\S)")
_REDIRECTS = frozenset(
    {
        "flask.redirect",
        "redirect",
        "django.shortcuts.redirect",
        "HttpResponseRedirect",
        "HttpResponsePermanentRedirect",
        "RedirectResponse",
        "starlette.responses.RedirectResponse",
        "fastapi.responses.RedirectResponse",
        "django.http.HttpResponseRedirect",
        "django.http.HttpResponsePermanentRedirect",
        "sanic.response.redirect",
        "bottle.redirect",
        "self.redirect",
    }
)
# redirect responses and exceptions recognised by their class name (Pyramid, Falcon, Starlette)
_REDIRECT_CLASSES = frozenset(
    {
        "HttpResponseRedirect",
        "RedirectResponse",
        "HTTPFound",
        "HTTPSeeOther",
        "HTTPMovedPermanently",
        "HTTPTemporaryRedirect",
        "HTTPPermanentRedirect",
    }
)
# Tornado handler writes and Sanic HTML responses: the argument is the HTML body
_HTML_WRITES = frozenset({"self.write", "self.finish", "sanic.response.html"})
_RESPONSES = frozenset(
    {
        "jsonify",
        "make_response",
        "Response",
        "HttpResponse",
        "JsonResponse",
        "JSONResponse",
        "PlainTextResponse",
        "HTMLResponse",
        "abort",
        "HTTPException",
    }
)
_MASS_CALLS = frozenset({"create", "update", "get_or_create", "update_or_create", "bulk_create"})
_SESSION_COOKIE = re.compile(r"(?i)sess|token|auth|jwt|sid|remember|login|access|refresh|csrf")
_MAPPINGS = frozenset({DATA, STRINGS})
_SCALARS = frozenset({SCALAR})


def check_web(site: CallSite, out: Reporter) -> None:
    _xss(site, out)
    _path(site, out)
    _ssrf(site, out)
    _redirect(site, out)
    _mass_assignment(site, out)
    _error_response(site, out)
    _cookie(site, out)


def check_route_return(
    node: ast.Return, value: Value, function: FunctionFacts, out: Reporter
) -> None:
    """A route's return value is the response body."""
    if not function.is_route:
        return
    _leak(node, value, out, "returned from the route")
    if value.built and "<" in value.text:
        out.sink("xss", node, value, "HTML response body", kind="xss", remote=0.8)


def _leak(node: ast.AST, value: Value, out: Reporter, where: str) -> None:
    leaked = next((t for t in value.taints if t.kind == ERROR), None)
    if leaked is None:
        return
    confidence = 0.8 if leaked.label.startswith("traceback") else 0.6
    out.report("information-leak", node, confidence, f"{leaked.path_to(where)}")


def _xss(site: CallSite, out: Reporter) -> None:
    found = site.arg(0)
    if site.name in _MARK_SAFE or site.short in ("mark_safe", "Markup"):
        if found is None or found[1].constant:
            return
        value = found[1]
        out.sink(
            "xss",
            site.node,
            value,
            f"{site.short}()",
            kind="xss",
            remote=0.9,
            dynamic=0.6 if value.built and "<" in value.text else None,
            dynamic_detail=f"{site.short}() trusts HTML built with {value.built}",
        )
        return
    if site.short in _HTML_RESPONSES and found is not None:
        value = found[1]
        media = (
            site.keyword("content_type") or site.keyword("mimetype") or site.keyword("media_type")
        )
        text = media.value if isinstance(media, ast.Constant) else None
        if isinstance(text, str) and "html" not in text:
            return
        if value.built and "<" in value.text:
            out.sink("xss", site.node, value, f"{site.short}() HTML body", kind="xss", remote=0.85)
        return
    if site.name in _HTML_WRITES and found is not None:
        if site.name.startswith("self.") and not site.imports_any("tornado"):
            return
        if isinstance(found[0], ast.Dict):
            return  # Tornado serialises a dict as JSON
        value = found[1]
        markup = value.built and "<" in value.text
        out.sink(
            "xss",
            site.node,
            value,
            f"{site.sink_label}() HTML body",
            kind="xss",
            remote=0.85 if markup else 0.7,
            shapes=None if markup else _SCALARS,
        )
        return
    if site.short == "render_template_string" and found is not None:
        template = found[1].literal
        if isinstance(template, str):
            for name in _SAFE_INLINE.findall(template):
                variable = site.arg(-1, name.split(".")[0])
                if variable is not None:
                    out.sink(
                        "xss",
                        site.node,
                        variable[1],
                        f"{{{{ {name}|safe }}}}",
                        kind="xss",
                        remote=0.85,
                    )


def _path(site: CallSite, out: Reporter) -> None:
    positions = _PATH_SINKS.get(site.name) or _PATH_SINKS.get(
        site.short if site.receiver is None else "", ()
    )
    for index in positions:
        found = site.arg(index, "file" if index == 0 else "dst")
        if found is not None:
            out.sink(
                "path-traversal",
                site.node,
                found[1],
                f"{site.sink_label}()",
                kind="path",
                remote=0.85,
            )
    receiver = site.receiver
    if receiver is None or not receiver.taints:
        return
    if site.short in _PATH_METHODS and receiver.shape == "path":
        out.sink(
            "path-traversal", site.node, receiver, f"Path.{site.short}()", kind="path", remote=0.85
        )
    elif site.short == "save" and any(t.kind == REMOTE for t in receiver.taints):
        found = site.arg(0, "dst")
        if found is not None:
            out.sink(
                "path-traversal", site.node, found[1], "upload.save()", kind="path", remote=0.85
            )


def _ssrf(site: CallSite, out: Reporter) -> None:
    name = site.name
    client = site.receiver is not None and site.receiver.shape == "http-client"
    if name in _URL_OPENERS:
        found = site.arg(0, "url")
    elif site.short in _METHOD_THEN_URL and (name.startswith(_HTTP_MODULES) or client):
        found = site.arg(1, "url")
    elif site.short in _HTTP_VERBS and (name.startswith(_HTTP_MODULES) or client):
        found = site.arg(0, "url")
    else:
        return
    if found is None or _FIXED_HOST.match(found[1].prefix):
        return
    out.sink("ssrf", site.node, found[1], f"{site.sink_label}()", kind="ssrf", remote=0.85)


def _redirect(site: CallSite, out: Reporter) -> None:
    if site.name not in _REDIRECTS and site.short not in _REDIRECT_CLASSES:
        return
    found = site.arg(0, "location") or site.arg(0, "url") or site.arg(0, "redirect_to")
    if found is None or _FIXED_HOST.match(found[1].prefix):
        return
    out.sink("open-redirect", site.node, found[1], f"{site.short}()", kind="redirect", remote=0.85)


def _mass_assignment(site: CallSite, out: Reporter) -> None:
    spread = site.kwargs.get("**")
    is_model = site.short[:1].isupper() or site.short in _MASS_CALLS
    if spread is not None and is_model:
        out.sink(
            "mass-assignment",
            site.node,
            spread,
            f"{site.short}(**...)",
            kind="mass",
            remote=0.8,
            shapes=_MAPPINGS,
        )
    if site.short == "update" and site.name.endswith("__dict__.update"):
        found = site.arg(0)
        if found is not None:
            out.sink(
                "mass-assignment",
                site.node,
                found[1],
                "__dict__.update()",
                kind="mass",
                remote=0.85,
            )
    if site.name == "setattr" and len(site.args) >= 2:
        out.sink(
            "mass-assignment",
            site.node,
            site.args[1],
            "setattr(obj, <request key>, ...)",
            kind="mass",
            remote=0.8,
        )


def _error_response(site: CallSite, out: Reporter) -> None:
    if site.short not in _RESPONSES:
        return
    for value in [*site.args, *site.kwargs.values()]:
        _leak(site.node, value, out, f"{site.short}()")


def _cookie(site: CallSite, out: Reporter) -> None:
    if site.short != "set_cookie" or site.receiver is None:
        return
    found = site.arg(0, "key")
    name = found[1].literal if found is not None else None
    if not isinstance(name, str) or not _SESSION_COOKIE.search(name):
        return
    missing = []
    explicit = False
    flags = ("secure",) if "csrf" in name.lower() else ("secure", "httponly")
    for flag in flags:
        value = site.keyword(flag)
        if not (isinstance(value, ast.Constant) and value.value is True):
            missing.append(f"{flag}=True")
            explicit = explicit or isinstance(value, ast.Constant)
    if missing:
        confidence = 0.8 if explicit else 0.7
        out.report(
            "insecure-cookie",
            site.node,
            confidence,
            f"set_cookie({name!r}) without {', '.join(missing)}",
        )
