"""JavaScript/TypeScript checks on the platform around the code: file permissions, predictable
temporary files, cleartext HTTP, literal passwords, debug error pages, and LDAP / XPath
queries built from request data."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from analysis.detectors.javascript.declarations import definition
from analysis.detectors.javascript.spec import arguments, callee_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import TaintWalk

_CHMOD = re.compile(r"^(?:fs|fsp|fse|fs\.promises)\.(?:chmod|chmodSync|fchmod|fchmodSync|lchmod)$")
_MODE_OPTION = re.compile(r"\bmode\s*:\s*(0o?[0-7]{3,4}|\d{3})\b")
_WORLD_WRITABLE = 0o002
_FS_WRITE = re.compile(
    r"^(?:fs|fsp|fse|fs\.promises)\.(?:writeFile|writeFileSync|createWriteStream|appendFile"
    r"|appendFileSync|open|openSync)$"
)
_FIXED_TMP = re.compile(r"""^[`'"]/(?:var/)?tmp/|^(?:os\.)?tmpdir\(\)\s*\+""")
_HTTP_CALL = re.compile(
    r"^(?:fetch|axios|axios\.(?:get|post|put|patch|delete|request)|got|got\.(?:get|post|put)"
    r"|superagent\.(?:get|post|put)|needle|ky|ky\.(?:get|post)|https?\.request)$"
)
_LOCAL_HOST = re.compile(
    r"^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+"
    r"|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+|[\w-]+|[\w.-]+\.(?:local|localhost|test|example))$"
)
_SECRET_KEY = re.compile(r"(?i)^(?:password|passwd|pwd|db_?password|client_?secret|secret_?key)$")
_PLACEHOLDER = re.compile(r"(?i)change.?me|example|dummy|placeholder|your|xxx|\*\*\*|<|\$\{")
_MIN_SECRET = 8
_LDAP_FILTER = re.compile(r"\(\s*[&|!]?\s*\(?[\w.-]+\s*[~<>]?=")
_LDAP_ESCAPE = re.compile(r"(?i)escape")
_XPATH_CALL = re.compile(r"^(?:xpath\.(?:select|select1|evaluate|parse)|\w+\.evaluate)$")
_XPATH_TEXT = re.compile(r"(?:^|[\s'\"`(])(?://?[\w*@.]|\.\./|@\w+\s*=)")
_DEV_ONLY = re.compile(r"(?i)NODE_ENV|development|isDev|\bdev\b|debug")


def check_system(node: Node, walk: TaintWalk) -> Iterable[Hit]:
    kind = node.type
    if kind == "call_expression":
        return _call(node, walk)
    if kind == "pair":
        key = text(node.child_by_field_name("key")).strip("'\"")
        return _pair(key, node, node.child_by_field_name("value"), walk)
    if kind == "variable_declarator":  # `const userFilter = `(uid=${name})``
        name = text(node.child_by_field_name("name"))
        if "filter" in name.lower():
            return _pair("filter", node, node.child_by_field_name("value"), walk)
    return ()


def _call(call: Node, walk: TaintWalk) -> list[Hit]:
    callee = callee_name(call)
    args = arguments(call)
    hits: list[Hit] = []
    if _CHMOD.match(callee) and len(args) >= 2:
        hits.extend(_mode(walk, call, text(args[1])))
    elif _FS_WRITE.match(callee) or callee.endswith(("mkdir", "mkdirSync")):
        found = _MODE_OPTION.search(text(call))
        if found:
            hits.extend(_mode(walk, call, found.group(1)))
    if _FS_WRITE.match(callee) and args:
        hits.extend(_temp_path(walk, args[0]))
    if _HTTP_CALL.match(callee) and args:
        hits.extend(_cleartext(walk, call, args[0]))
    error_page = callee.endswith(".use") and any(_is_error_page(a) for a in args)
    if error_page and not _inside_dev_branch(call):
        hits.append(walk.hit("debug-mode-enabled", call, 0.75, "errorhandler() in production"))
    if _XPATH_CALL.match(callee) and args and _xpath_like(args[0], walk):
        fact = walk.tainted(args[0], "xpath")
        if fact is not None and fact.source != "process.env":
            detail = f"{fact.source} reaches {callee}"
            hits.append(walk.hit("xpath-injection", call, 0.85, detail, fact))
    return hits


def _mode(walk: TaintWalk, at: Node, raw: str) -> list[Hit]:
    bits = _parse_mode(raw.strip("'\"` "))
    if bits is None or not bits & _WORLD_WRITABLE:
        return []
    return [walk.hit("insecure-permissions", at, 0.85, f"mode {oct(bits)} is world-writable")]


def _parse_mode(raw: str) -> int | None:
    """`0o777`, `0777` and `'777'` are octal; a plain number such as `511` is decimal."""
    if re.fullmatch(r"0o[0-7]+", raw, re.IGNORECASE):
        return int(raw[2:], 8)
    if re.fullmatch(r"0[0-7]+", raw):
        return int(raw, 8)
    if re.fullmatch(r"\d+", raw):
        return int(raw)
    return None


def _temp_path(walk: TaintWalk, target: Node) -> list[Hit]:
    """A file written at a fixed or guessable name in the shared temp directory."""
    value = definition(target, walk) if target.type == "identifier" else target
    if value is None or "mkdtemp" in text(value):
        return []
    if _FIXED_TMP.search(text(value).lstrip("(")):
        return [walk.hit("insecure-temp-file", value, 0.65, "predictable path in /tmp")]
    return []


def _cleartext(walk: TaintWalk, call: Node, target: Node) -> list[Hit]:
    url = walk.fact(target).value if walk.fact(target).constant else None
    if url is None:
        raw = text(target)
        url = raw[1:] if raw[:1] == "`" and raw.startswith("`http://") else None
    if url is None or not url.startswith("http://"):
        return []
    host = re.split(r"[/:?#`$]", url[len("http://") :], maxsplit=1)[0]
    if not host or _LOCAL_HOST.match(host):
        return []
    return [walk.hit("cleartext-transport", call, 0.7, f"request to http://{host}")]


def _pair(key: str, pair: Node, value: Node | None, walk: TaintWalk) -> list[Hit]:
    """`password: '...'` literals; `filter: `(uid=${input})`` LDAP filters."""
    if value is None:
        return []
    if _SECRET_KEY.match(key) and value.type == "string":
        secret = text(value)[1:-1]
        if _looks_secret(secret):
            return [walk.hit("hardcoded-credential", pair, 0.7, f"literal {key} in source")]
    if key == "filter" and value.type in ("template_string", "binary_expression"):
        fact = walk.tainted(value, "ldap")
        raw = text(value)
        filter_text = _LDAP_FILTER.search(raw) and not _LDAP_ESCAPE.search(raw)
        if fact and fact.source != "process.env" and filter_text:
            return [walk.hit("ldap-injection", pair, 0.85, f"{fact.source} in an LDAP filter")]
    return []


def _looks_secret(value: str) -> bool:
    """Long enough, no spaces or placeholders, and mixing at least three character classes."""
    if len(value) < _MIN_SECRET or " " in value or _PLACEHOLDER.search(value):
        return False
    if re.fullmatch(r"[A-Za-z]+[:.!?]?", value):  # a label such as 'Password:'
        return False
    classes = (r"[a-z]", r"[A-Z]", r"\d", r"[^\w\s]")
    return sum(bool(re.search(c, value)) for c in classes) >= 3


def _is_error_page(node: Node) -> bool:
    return node.type == "call_expression" and callee_name(node) in ("errorhandler", "errorHandler")


def _inside_dev_branch(node: Node) -> bool:
    current = node.parent
    while current is not None:
        condition = current.child_by_field_name("condition")
        if current.type == "if_statement" and _DEV_ONLY.search(text(condition)):
            return True
        current = current.parent
    return False


def _xpath_like(node: Node, walk: TaintWalk) -> bool:
    built = node if node.type != "identifier" else (definition(node, walk) or node)
    return built.type in ("template_string", "binary_expression") and bool(
        _XPATH_TEXT.search(text(built))
    )
