"""Credentials sent over plain HTTP (and FTP / Telnet sessions).

An HTTP request is reported when its URL starts with `http://` (a literal, or a constant
the URL is built from), the host is not this machine (nor a private address or a
single-label service name), and the request carries a credential: basic/digest `auth=`,
cookies, an `Authorization` / API-key header, a password or token field in the query, form
or JSON body, or a `user:password@` part in the URL. Requests are `requests` / `httpx` /
`urllib` calls, methods of their clients and sessions (`aiohttp`, `urllib3`, tornado too),
and clients created with an `http://` base URL and credentials. An `http://` string
anywhere else (documentation, XML namespaces) is not a request.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace

from analysis.detectors.python.callsite import CallSite, PyHit, Reporter
from analysis.detectors.python.values import Value

_RULE = "cleartext-transport"
_URL_MARK = "|url="
# this machine, private networks and single-label service names (`http://vault:8200`)
_LOCAL_HOST = re.compile(
    r"(?i)^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|\[0*:0*:0*:0*:0*:0*:0*:0*1\]"
    r"|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+|[\w-]+"
    r"|[^/:]+\.(?:local|localhost|internal|test|example|svc|cluster\.local))(?::\d*)?$"
)
_CREDENTIAL_IN_QUERY = re.compile(
    r"(?i)[?&](?:token|access_token|auth_token|api_?key|apikey|password|passwd|pwd|secret"
    r"|client_secret|key|private_token|session_?id)="
)
_USERINFO = re.compile(r"^[^/@\s]+:[^/@\s]*@")
_CREDENTIAL_HEADER_KEY = re.compile(r"(?i)authorization|token|api-?key|secret|cookie|session")
_CREDENTIAL_HEADER_TEXT = re.compile(
    r"(?i)\b(?:authorization|proxy-authorization|x-api-key|api-key|apikey|x-auth-token"
    r"|x-access-token|private-token|cookie)\b"
)
_CREDENTIAL_FIELD = re.compile(
    r"(?i)^(?:password|passwd|pwd|pass|passphrase|secret|client_secret|api_?key|apikey"
    r"|access_?token|auth_?token|refresh_?token|id_?token|token|private_token|session_?id"
    r"|sessionid|otp|pin)$"
)
_MODULE_CALL = re.compile(
    r"^(?:requests|httpx)\.(?:get|post|put|patch|delete|head|options|request|stream)$"
)
_URLLIB = frozenset(
    {"urllib.request.urlopen", "urllib.request.Request", "urllib2.urlopen", "urllib2.Request"}
)
_CLIENT_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "fetch",
     "urlopen", "ws_connect"}
)  # fmt: skip
_METHOD_FIRST = frozenset({"request", "stream", "urlopen"})
_CLIENT_CONSTRUCTORS = frozenset({"httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession"})
_BODY_KEYWORDS = ("params", "data", "json", "files")


def check_cleartext(site: CallSite, out: Reporter) -> None:
    if site.name in ("ftplib.FTP", "telnetlib.Telnet"):
        protocol = "FTP" if "ftp" in site.name else "Telnet"
        detail = f"{protocol} sends credentials and data in cleartext"
        out.report(_RULE, site.node, 0.7, detail)
        return
    url = _request_url(site)
    if url is None:
        return
    prefix = url.prefix
    if not prefix.lower().startswith("http://"):
        return
    authority = prefix[7:].split("/", 1)[0].split("?", 1)[0]
    host = authority.rsplit("@", 1)[-1]
    if host and _LOCAL_HOST.match(host):
        return
    carried = _credential(site, url, prefix)
    if carried:
        shown = host or "a configurable host"
        detail = f"{carried} sent over http:// to {shown}"
        group = f"{_RULE}@{site.node.lineno}{_URL_MARK}{prefix}"
        out.report(_RULE, site.node, 0.75, detail, group)


def url_literal_anchors(hits: list[PyHit], tree: ast.Module) -> list[PyHit]:
    """For requests whose `http://` URL comes from a constant defined on another line, the
    same hit at that constant (the line to fix): the scanner keeps it when it is added."""
    wanted = [(hit, hit.group.split(_URL_MARK, 1)[1]) for hit in hits if _URL_MARK in hit.group]
    if not wanted:
        return []
    literals = [
        (node.value, node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value[:7].lower() == "http://"
    ]
    anchors: list[PyHit] = []
    for hit, url in wanted:
        found = [(len(text), line) for text, line in literals if url.startswith(text)]
        if not found:
            continue
        line = max(found)[1]
        if line != hit.line:
            anchors.append(replace(hit, line=line, end_line=line, confidence=hit.confidence + 0.01))
    return anchors


def _request_url(site: CallSite) -> Value | None:
    """The URL of a request (or the base URL of a client), when the call makes one."""
    name, short = site.name, site.short
    if _MODULE_CALL.match(name):
        found = site.arg(1 if short in _METHOD_FIRST else 0, "url")
    elif name in _URLLIB:
        found = site.arg(0, "url")
    elif name in _CLIENT_CONSTRUCTORS:
        found = site.arg(-1, "base_url")
    elif short in _CLIENT_METHODS and site.receiver is not None and _is_client(site):
        index = 1 if short in _METHOD_FIRST else 0
        found = site.arg(index, "url")
    else:
        return None
    return found[1] if found is not None else None


def _is_client(site: CallSite) -> bool:
    """A session / client object, or any object given an `http://` literal to fetch."""
    receiver = site.receiver
    if receiver is not None and receiver.shape == "http-client":
        return True
    return any(arg.prefix.lower().startswith("http://") for arg in site.args[:2])


def _credential(site: CallSite, url: Value, prefix: str) -> str:
    """What credential the request carries ('' when none)."""
    auth = site.keyword("auth")
    if auth is not None and not (isinstance(auth, ast.Constant) and auth.value is None):
        return "auth= credentials"
    cookies = site.keyword("cookies")
    if cookies is not None and not (isinstance(cookies, ast.Constant) and cookies.value is None):
        return "cookies"
    if _USERINFO.match(prefix[7:]):
        return "a user:password in the URL"
    if _CREDENTIAL_IN_QUERY.search(url.text or prefix):
        return "a credential in the query string"
    header = _credential_header(site)
    if header:
        return header
    for keyword in _BODY_KEYWORDS:
        field = _credential_field(site.keyword(keyword))
        if field:
            return f"the {field!r} field"
    return ""


def _credential_header(site: CallSite) -> str:
    node = site.keyword("headers")
    if node is None:
        return ""
    if isinstance(node, ast.Dict):
        for key in node.keys:
            if (
                isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and _CREDENTIAL_HEADER_KEY.search(key.value)
            ):
                return f"the {key.value} header"
        return ""
    text = site.kwargs["headers"].text
    found = _CREDENTIAL_HEADER_TEXT.search(text)
    return f"the {found.group(0)} header" if found else ""


def _credential_field(node: ast.expr | None) -> str:
    if not isinstance(node, ast.Dict):
        return ""
    for key in node.keys:
        text = key.value if isinstance(key, ast.Constant) else None
        if isinstance(text, str) and _CREDENTIAL_FIELD.match(text):
            return text
    return ""
