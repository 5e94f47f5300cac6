"""Call checks on configuration passed in code: TLS verification, cleartext transport,
CORS, debug servers and literal credentials handed to connect/login/auth calls."""

from __future__ import annotations

import ast
import re

from analysis.detectors.python.callsite import CallSite, Reporter
from analysis.detectors.python.cleartext import check_cleartext
from analysis.detectors.python_expressions import const_str, is_star, is_true
from analysis.secret_formats import assignment_secret_strength, is_placeholder

_ACAO = "access-control-allow-origin"
_CREDENTIAL_KEYWORDS = re.compile(
    r"(?i)^(?:password|passwd|pwd|pass|secret|client_secret|secret_key|api_key|apikey|token|"
    r"access_token|auth_token|access_key|secret_access_key|aws_secret_access_key)$"
)
_LOGIN_METHODS = frozenset(
    {"login", "simple_bind_s", "simple_bind", "bind_s", "auth", "authenticate"}
)
_AUTH_CLASSES = frozenset({"HTTPBasicAuth", "HTTPDigestAuth", "BasicAuth", "DigestAuth"})
_MIN_LITERAL = 4


def check_transport(site: CallSite, out: Reporter) -> None:
    _tls(site, out)
    check_cleartext(site, out)
    _cors(site, out)
    _debug(site, out)
    _credentials(site, out)


def _tls(site: CallSite, out: Reporter) -> None:
    if site.name.startswith(("jwt.", "jose.")):
        return
    for key in ("verify", "ssl", "verify_ssl", "verify_certs", "check_hostname"):
        value = site.keyword(key)
        if isinstance(value, ast.Constant) and value.value is False:
            out.report("tls-verification-disabled", value, 0.9, f"{key}=False")


def _cors(site: CallSite, out: Reporter) -> None:
    keywords = {kw.arg: kw.value for kw in site.node.keywords if kw.arg}
    for key in ("origins", "allow_origins", "origin"):
        if key in keywords and is_star(keywords[key]):
            credentials = keywords.get("allow_credentials", keywords.get("supports_credentials"))
            out.report(
                "permissive-cors", site.node, 0.9 if is_true(credentials) else 0.85, f"{key}=*"
            )
            return
    resources = keywords.get("resources")
    if site.short in ("CORS", "cross_origin") and isinstance(resources, ast.Dict):
        for value in resources.values:
            if isinstance(value, ast.Dict) and any(
                const_str(k) == "origins" and is_star(v)
                for k, v in zip(value.keys, value.values, strict=True)
            ):
                out.report("permissive-cors", site.node, 0.85, "resources with origins=*")
                return
    if site.short == "CORS" and "origins" not in keywords and "resources" not in keywords:
        out.report("permissive-cors", site.node, 0.45, "flask-cors defaults to every origin")
    header = const_str(site.node.args[0]) if site.node.args else None
    if len(site.node.args) >= 2 and (header or "").lower() == _ACAO and is_star(site.node.args[1]):
        out.report("permissive-cors", site.node, 0.85, "Access-Control-Allow-Origin: *")


def _debug(site: CallSite, out: Reporter) -> None:
    debug = site.keyword("debug")
    if site.short == "run" and is_true(debug):
        out.report("debug-mode-enabled", site.node, 0.8, f"{site.sink_label}(debug=True)")


def _credentials(site: CallSite, out: Reporter) -> None:
    for keyword in site.node.keywords:
        if keyword.arg and _CREDENTIAL_KEYWORDS.match(keyword.arg):
            literal = const_str(keyword.value)
            if literal is None or _not_a_credential(literal):
                continue
            if assignment_secret_strength(keyword.arg, literal) > 0:
                continue  # the secrets detector reports this literal already
            out.report(
                "hardcoded-credential",
                keyword.value,
                0.65,
                f"literal {keyword.arg} passed to {site.short}()",
            )
    literal_password = None
    login = site.short in _LOGIN_METHODS and site.receiver is not None
    if (login or site.short in _AUTH_CLASSES) and len(site.node.args) >= 2:
        literal_password = site.node.args[1]
    auth = site.keyword("auth")
    if isinstance(auth, ast.Tuple) and len(auth.elts) == 2:
        literal_password = auth.elts[1]
    value = const_str(literal_password)
    if value is not None and not _not_a_credential(value):
        out.report(
            "hardcoded-credential",
            literal_password,
            0.75,
            f"literal password passed to {site.short}()",
        )


def _not_a_credential(value: str) -> bool:
    return len(value) < _MIN_LITERAL or is_placeholder(value) or value.startswith(("$", "%(", "{"))
