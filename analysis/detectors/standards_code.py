"""Code facts the built-in standards and threat-model controls check, on ADDED lines:
routes and their guards, log calls with sensitive fields, TODOs without a ticket key."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from analysis.detectors.requirement_terms import split_identifier
from analysis.files import FileView

_PY_ROUTE_ATTRS = frozenset({"route", "get", "post", "put", "patch", "delete", "api_route"})
_JS_ROUTE = re.compile(r"\b(\w+)\.(?:get|post|put|patch|delete|all)\(\s*['\"`]")
_GO_ROUTE = re.compile(r"\.(?:HandleFunc|Handle|GET|POST|PUT|PATCH|DELETE)\(\s*\"")
_ANNOTATION_ROUTE = re.compile(r"^\s*@(?:Get|Post|Put|Patch|Delete|Request)(?:Mapping)?\b")
_FILE_GUARD_SITE = re.compile(
    r"\.use\(|\.Use\(|APIRouter\(|Blueprint\(|before_request|^\s*@", re.IGNORECASE
)
_LOG_CALL = re.compile(
    r"\b(?:log|logger|logging|console|LOG|LOGGER|Log|slog|zap|structlog|self\.log(?:ger)?|"
    r"this\.log(?:ger)?|log\.\w+)\.(?:debug|info|warn|warning|error|exception|critical|fatal|"
    r"log|trace|msg|Print|Printf|Println|Debug|Debugf|Info|Infof|Warn|Warnf|Error|Errorf)\s*\("
)
_STRING = re.compile(
    r"(?<![A-Za-z0-9_])(?P<prefix>[rRbBuUfF]{0,2})(?P<q>['\"`])(?P<body>(?:\\.|(?!(?P=q))[^\\])*)(?P=q)"
)
_INTERPOLATION = re.compile(r"\$?\{([^{}]*)\}")
_KEY = re.compile(r"""['"](\w+)['"]\s*:""")
_WRAPPED = re.compile(r"(?:mask\w*|redact\w*|len|hash\w*|sha\d+\w*|obfuscate\w*|fingerprint)\(\s*$")
_HARMLESS_NEXT_TEXT = (
    "count len length type id ids expires expiry expiration ttl url name hash hashed digest "
    "masked redacted present valid set policy reset rules strength field changed updated age "
    "prefix last4 hint kind"
)
_HARMLESS_NEXT = frozenset(_HARMLESS_NEXT_TEXT.split())
_HARMLESS_FIRST = frozenset({"is", "has", "no", "num", "len", "count", "should", "max", "min"})
_COMMENT_TODO = re.compile(r"(?:#|//|/\*|<!--|^\s*\*|^\s*--)[^\n]*?\b(TODO|FIXME|XXX|HACK)\b")
DEFAULT_TICKET = re.compile(r"\b[A-Z][A-Z0-9]{1,9}-\d{1,6}\b")


@dataclass(frozen=True)
class RouteSite:
    line: int
    guarded: bool
    label: str


def new_routes(view: FileView, guards: tuple[str, ...]) -> list[RouteSite]:
    """Routes declared on added lines, and whether one of `guards` protects each."""
    if view.path.endswith(".py") and view.changed.content is not None:
        if not any(
            text.lstrip().startswith(("@", "def ", "async def ")) for text in view.added.values()
        ):
            return []  # no decorator or def added: no new route
        sites = _python_routes(view, guards)
        if sites is not None:
            return sites
    lines = view.head_lines or []
    file_text = view.changed.content or "\n".join(view.added.values())
    file_guard = _file_level_guard(file_text, guards)
    sites: list[RouteSite] = []
    for number, text in sorted(view.added.items()):
        if _JS_ROUTE.search(text) or _GO_ROUTE.search(text):
            window = " ".join([text, *lines[number : number + 2]])
            guarded = file_guard or _names_any(window, guards)
            sites.append(RouteSite(number, guarded, text.strip()))
        elif _ANNOTATION_ROUTE.match(text):
            window = " ".join(_annotation_block(lines, number) or [text])
            guarded = file_guard or _names_any(window, guards)
            sites.append(RouteSite(number, guarded, text.strip()))
    return sites


def _names_any(text: str, names: tuple[str, ...]) -> bool:
    return any(re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", text) for name in names)


def _file_level_guard(text: str, guards: tuple[str, ...]) -> bool:
    """`app.use(requireAuth)`, `r.Use(auth)`, `APIRouter(dependencies=[Depends(auth)])`,
    `@UseGuards` / `@PreAuthorize` on the class, `before_request` hooks."""
    for line in text.splitlines():
        if not _FILE_GUARD_SITE.search(line) or _ANNOTATION_ROUTE.match(line):
            continue
        if not _names_any(line, guards):
            continue
        if line.lstrip().startswith("@") and not _is_class_annotation(text, line):
            continue
        return True
    return False


def _is_class_annotation(text: str, annotation: str) -> bool:
    after = text.split(annotation, 1)[1].lstrip().splitlines()
    following = next((line for line in after if not line.strip().startswith("@")), "")
    return re.search(r"\bclass\b", following) is not None


def _annotation_block(lines: list[str], number: int) -> list[str]:
    start = number - 1
    while start > 0 and lines[start - 1].strip().startswith("@"):
        start -= 1
    end = number
    while end < len(lines) and lines[end].strip().startswith("@"):
        end += 1
    return lines[start:end]


def _python_routes(view: FileView, guards: tuple[str, ...]) -> list[RouteSite] | None:
    try:
        tree = ast.parse(view.changed.content or "")
    except (SyntaxError, ValueError):
        return None
    file_guard = _file_level_guard(view.changed.content or "", guards)
    sites: list[RouteSite] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        routes = [d for d in node.decorator_list if _is_route_decorator(d)]
        if not routes:
            continue
        lines = {node.lineno, *(d.lineno for d in node.decorator_list)}
        added = sorted(line for line in lines if line in view.added)
        if not added:
            continue
        text = " ".join(ast.unparse(d) for d in node.decorator_list)
        text += " " + ast.unparse(node.args)
        guarded = file_guard or _names_any(text, guards)
        sites.append(RouteSite(added[0], guarded, f"{node.name} ({ast.unparse(routes[0])})"))
    return sorted(sites, key=lambda site: site.line)


def _is_route_decorator(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr in _PY_ROUTE_ATTRS and isinstance(node, ast.Call)
    return isinstance(target, ast.Name) and target.id == "api_view"


def logged_identifiers(text: str) -> list[str]:
    """Identifiers a log call on this line passes (string literal text excluded, but
    f-string / template interpolations and dict keys kept); wrapped ones (mask, len,
    hash) left out."""
    match = _LOG_CALL.search(text)
    if match is None:
        return []
    args = text[match.end() :]
    kept: list[str] = []

    def strip(found: re.Match[str]) -> str:
        prefix, quote, body = found["prefix"].lower(), found["q"], found["body"]
        if "f" in prefix or quote == "`":
            kept.extend(part for part in _INTERPOLATION.findall(body))
        key = _KEY.match(found.group(0) + args[found.end() : found.end() + 3])
        if key:
            kept.append(key[1])
        return " _ "

    remainder = _STRING.sub(strip, args)
    names: list[str] = []
    for chunk in [remainder, *kept]:
        for ident in re.finditer(r"[A-Za-z_][\w.]*", chunk):
            if _WRAPPED.search(chunk[: ident.start()]):
                continue
            names.append(ident.group(0))
    return names


def sensitive_field_in(identifier: str, fields: frozenset[str]) -> str | None:
    """The sensitive field an identifier names (`user.access_token` -> token)."""
    for segment in identifier.split("."):
        parts = split_identifier(segment)
        for index in range(len(parts)):
            for field_name in fields:
                wanted = split_identifier(field_name)
                window = parts[index : index + len(wanted)]
                if [w.rstrip("s") for w in window] != [w.rstrip("s") for w in wanted]:
                    continue
                after = parts[index + len(wanted) : index + len(wanted) + 1]
                if after and after[0] in _HARMLESS_NEXT:
                    continue
                if index > 0 and parts[0] in _HARMLESS_FIRST:
                    continue
                return field_name
    return None


def todo_without_ticket(text: str, ticket: re.Pattern[str]) -> str | None:
    """The TODO/FIXME marker of a comment that cites no ticket key."""
    match = _COMMENT_TODO.search(text)
    if match is None or ticket.search(text[match.start() :]):
        return None
    return match[1]
