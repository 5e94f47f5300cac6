"""Typed literal values in acceptance criteria and in code, comparable across units.

Kinds: `duration` (seconds), `size` (bytes), `status` (HTTP status code), `path` (an
endpoint), `field` (a request/record field name). A code value carries every reading it
may have (`candidates`): a name or call that states the unit gives one reading
(`LOCKOUT_SECONDS = 900`, `timedelta(minutes=15)`, `15 * time.Minute`); a duration-ish
name without a unit (`LOCKOUT_WINDOW = 30`) gives the plausible ones (s, ms, min), and
it contradicts a criterion only if none of them matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from analysis.detectors.requirement_statuses import KNOWN_STATUSES, code_statuses

Kind = Literal["duration", "size", "status", "path", "field"]

_SECONDS = {
    "ms": 0.001, "msec": 0.001, "millisecond": 0.001, "milli": 0.001, "millis": 0.001,
    "s": 1, "sec": 1, "secs": 1, "second": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600,
    "d": 86400, "day": 86400, "week": 604800,
}  # fmt: skip
_BYTES = {
    "b": (1,), "byte": (1,), "kb": (1000, 1024), "kib": (1024,), "mb": (10**6, 2**20),
    "mib": (2**20,), "gb": (10**9, 2**30), "gib": (2**30,),
}  # fmt: skip
_NUM = r"(\d[\d_]*(?:\.\d+)?)"
_CRIT_DURATION = re.compile(
    _NUM + r"\s*(ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?)\b",
    re.IGNORECASE,
)
_CRIT_SIZE = re.compile(_NUM + r"\s*(bytes?|[kmg]i?b)\b", re.IGNORECASE)
_CRIT_STATUS = re.compile(
    r"(?i:\b(?:http|status|code|returns?|respon\w*|answers?|with|gets?|receives?)\s+"
    r"(?:(?:is|of|equals?|=|:)\s+)?(?:code\s+|status\s+)?([1-5]\d\d)\b)"
    r"|\b([1-5]\d\d)\s+(?=[A-Z][a-z])"  # `423 Locked`: a reason phrase, so case-sensitive
)
#: "per hour", "an hour", "every minute", "in the last minute": a window of one unit
_CRIT_ONE_UNIT = re.compile(
    r"(?:\b(\w+)\s+)?\b(?:(?:per|every|each)\s+(second|minute|hour|day|week)"
    r"|last\s+(minute|hour)|an?\s+(minute|hour|day|week))\b",
    re.IGNORECASE,
)
#: "twice a day" is a frequency and "within a minute" a bound, not a window of one unit
_NOT_A_WINDOW = frozenset({"twice", "thrice", "times", "within", "under", "than", "least", "most"})
_CRIT_PATH = re.compile(r"(?:(?<=[\s`'\"(])|^)(/[A-Za-z0-9_\-{}:.]+(?:/[A-Za-z0-9_\-{}:.]+)*/?)")
_CRIT_FIELD = re.compile(
    r"`([A-Za-z_][A-Za-z0-9_]*)`|[\"']([a-z_][a-z0-9_]*)[\"']|\b(?:the|an?)\s+([a-z_][a-z0-9_]*)"
    r"\s+(?:field|parameter|param|property|attribute|column)\b"
)
_NOT_FIELDS_TEXT = "required optional new same other following input form text"
_NOT_FIELDS = frozenset(_NOT_FIELDS_TEXT.split())

_PRODUCT = re.compile(r"(?<![\w.])(\d[\d_]*)((?:\s*\*\s*\d[\d_]*)*)(?![\w.])")
_KWARG_DURATION = re.compile(
    r"\b(milliseconds|seconds|minutes|hours|days|weeks)\s*[=:]\s*(\d[\d_]*)", re.IGNORECASE
)
_GO_DURATION = re.compile(
    r"(\d[\d_]*)\s*\*\s*time\.(Millisecond|Second|Minute|Hour)\b"
    r"|time\.(Millisecond|Second|Minute|Hour)\s*\*\s*(\d[\d_]*)"
)
_JAVA_DURATION = re.compile(r"Duration\.of(Millis|Seconds|Minutes|Hours|Days)\(\s*(\d[\d_]*)\s*\)?")
_STRING_DURATION = re.compile(r"[\"'](\d+)(ms|s|m|h|d)[\"']")
_ASSIGNED_NAME = re.compile(
    r"[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?\s*(?::\s*[\w\[\]]+\s*)?(?:=|:)\s*[^=\s]"
)
_DURATION_NAME = re.compile(
    r"(?i)timeout|ttl|window|lockout|duration|expir|delay|period|interval|cooldown|lock_?time"
)
_UNITS = r"ms|millis|milliseconds|secs?|seconds|s|mins?|minutes|hours|hrs|days|bytes|kb|mb|gb"
_SNAKE_UNIT = re.compile(rf"(?i)_({_UNITS})$")
_CAMEL_UNIT = re.compile(
    r"(?<=[a-z])(Ms|Millis|Seconds|Secs?|Minutes|Mins?|Hours|Days|Bytes|Kb|Mb|Gb)$"
)
_NAME_SECONDS = {
    "ms": 0.001, "millis": 0.001, "milliseconds": 0.001, "s": 1, "sec": 1, "secs": 1,
    "seconds": 1, "min": 60, "mins": 60, "minutes": 60, "hours": 3600, "hrs": 3600,
    "days": 86400,
}  # fmt: skip
_SIZE_NAME = re.compile(r"(?i)size|bytes|length|upload_?limit|max_?content|body_?limit")
_STRING_SIZE = re.compile(r"[\"'](\d+)\s*(b|kb|mb|gb)[\"']", re.IGNORECASE)
_ROUTE_CONTEXT = re.compile(
    r"(?i)route|\.(?:get|post|put|patch|delete|all|use)\(|handlefunc|handle\(|mapping|"
    r"path\s*[(=]|prefix|url|endpoint"
)
#: a quoted route; Go 1.22 `ServeMux` patterns may start with the method (`"GET /items"`)
_STRING_PATH = re.compile(
    r"[\"'`](?:(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\s+)?"
    r"(/[A-Za-z0-9_\-{}:<>.]*(?:/[A-Za-z0-9_\-{}:<>.]+)*/?)[\"'`]"
)
_PREFIX = re.compile(r"(?i)(?:prefix|url_prefix|RequestMapping|\.use)\s*[=(]\s*[\"'](/[^\"']*)")
_REQUEST_FIELD = re.compile(
    r"\brequest\.(?:json|form|args|data|values|GET|POST|query_params|params|body)"
    r"(?:\.get\(|\[)\s*[\"'](\w+)[\"']"
    r"|\breq(?:uest)?\.(?:body|query|params)\.(\w+)|\breq(?:uest)?\.(?:body|query|params)\[[\"'](\w+)"
    r"|\b(?:getParameter|FormValue|PostFormValue|Query)\(\s*\"(\w+)\""
)
_DESTRUCTURED = re.compile(r"\{\s*([\w\s,:]+)\}\s*=\s*(?:await\s+)?req(?:uest)?\.(?:body|query)")


#: cheap pre-check: every literal needs a digit, a status name, a path or a request read
_MAY_STATE_LITERAL = re.compile(
    r"\d|Status|/|req|Param|FormValue|Query\(|Http|HTTP|http\.|Exception|ResponseEntity"
)


@dataclass(frozen=True)
class CriterionLiteral:
    kind: Kind
    value: float | str  # seconds, bytes (float), status (float), path or field (str)
    text: str  # as written in the criterion
    alternatives: frozenset[float] = frozenset()  # sizes: decimal and binary readings

    def readings(self) -> frozenset[float]:
        if isinstance(self.value, str):
            return frozenset()
        return self.alternatives | {float(self.value)}


@dataclass(frozen=True)
class CodeLiteral:
    kind: Kind
    candidates: frozenset[float] | frozenset[str]
    unit_known: bool
    shown: str  # the value as it reads in the code


def _number(text: str) -> float:
    return float(text.replace("_", ""))


def criterion_literals(text: str) -> list[CriterionLiteral]:
    """Durations, sizes, statuses, endpoints and named fields stated by a criterion."""
    found: list[CriterionLiteral] = []
    for match in _CRIT_DURATION.finditer(text):
        unit = match[2].lower().rstrip("s") if len(match[2]) > 2 else match[2].lower()
        factor = _SECONDS.get(unit) or _SECONDS.get(match[2].lower())
        if factor:
            found.append(CriterionLiteral("duration", _number(match[1]) * factor, match[0]))
    for match in _CRIT_ONE_UNIT.finditer(text):
        if (match[1] or "").lower() in _NOT_A_WINDOW:
            continue
        unit = next(group for group in match.groups()[1:] if group).lower()
        shown = match[0][len(match[1]) :].strip() if match[1] else match[0]
        found.append(CriterionLiteral("duration", float(_SECONDS[unit]), shown))
    for match in _CRIT_SIZE.finditer(text):
        unit = match[2].lower().rstrip("s")
        factors = _BYTES.get(unit, ())
        values = frozenset(_number(match[1]) * f for f in factors)
        if values:
            found.append(CriterionLiteral("size", min(values), match[0], values))
    for match in _CRIT_STATUS.finditer(text):
        code = match[1] or match[2]
        if code and (int(code) in KNOWN_STATUSES):
            found.append(CriterionLiteral("status", float(code), code))
    for match in _CRIT_PATH.finditer(text):
        if re.search(r"[A-Za-z]", match[1]) and not _CRIT_SIZE.fullmatch(match[1].strip("/")):
            found.append(CriterionLiteral("path", match[1].rstrip("/") or "/", match[1]))
    paths = {lit.value for lit in found if lit.kind == "path"}
    for match in _CRIT_FIELD.finditer(text):
        name = next(group for group in match.groups() if group)
        if name.lower() not in _NOT_FIELDS and f"/{name}" not in paths and len(name) >= 2:
            found.append(CriterionLiteral("field", name, name))
    return _unique(found)


def _unique(literals: list[CriterionLiteral]) -> list[CriterionLiteral]:
    seen: set[tuple[str, object]] = set()
    out: list[CriterionLiteral] = []
    for literal in literals:
        key = (literal.kind, literal.value)
        if key not in seen:
            seen.add(key)
            out.append(literal)
    return out


def code_literals(text: str) -> list[CodeLiteral]:
    """Typed values one line of code states (empty for most lines)."""
    if not _MAY_STATE_LITERAL.search(text):
        return []
    out: list[CodeLiteral] = []
    out.extend(_durations(text))
    out.extend(_sizes(text))
    out.extend(
        CodeLiteral("status", frozenset({float(code)}), known, shown)
        for code, shown, known in code_statuses(text)
    )
    for match in _STRING_PATH.finditer(text):
        if _ROUTE_CONTEXT.search(text) and len(match[1]) > 1:
            out.append(CodeLiteral("path", frozenset({match[1].rstrip("/")}), True, match[1]))
    for name in request_fields(text):
        out.append(CodeLiteral("field", frozenset({name}), True, name))
    return out


def _products(text: str) -> list[tuple[str, float]]:
    values: list[tuple[str, float]] = []
    for match in _PRODUCT.finditer(text):
        value = _number(match[1])
        for factor in re.findall(r"\d[\d_]*", match[2] or ""):
            value *= _number(factor)
        values.append((match[0].strip(), value))
    return values


def _assigned_name(text: str) -> str | None:
    match = _ASSIGNED_NAME.search(text)
    return match[1] if match else None


def _durations(text: str) -> list[CodeLiteral]:
    out: list[CodeLiteral] = []
    for match in _KWARG_DURATION.finditer(text):
        unit = match[1].lower().rstrip("s")
        out.append(_known("duration", _number(match[2]) * _SECONDS[unit], match[0]))
    for match in _GO_DURATION.finditer(text):
        unit = (match[2] or match[3]).lower()
        out.append(_known("duration", _number(match[1] or match[4]) * _SECONDS[unit], match[0]))
    for match in _JAVA_DURATION.finditer(text):
        unit = {"millis": "ms", "seconds": "s", "minutes": "m", "hours": "h", "days": "d"}
        out.append(
            _known("duration", _number(match[2]) * _SECONDS[unit[match[1].lower()]], match[0])
        )
    for match in _STRING_DURATION.finditer(text):
        out.append(_known("duration", _number(match[1]) * _SECONDS[match[2]], match[0]))
    if out:
        return out
    name = _assigned_name(text)
    if name is None:
        return []
    unit = name_unit(name)
    if unit in _NAME_SECONDS:
        return [_known("duration", v * _NAME_SECONDS[unit], shown) for shown, v in _products(text)]
    if unit is None and _DURATION_NAME.search(name):
        return [
            CodeLiteral("duration", frozenset({v, v / 1000, v * 60}), False, shown)
            for shown, v in _products(text)
        ]
    return []


def name_unit(name: str) -> str | None:
    """The unit a name ends with: `LOCKOUT_SECONDS` -> seconds, `lockoutMs` -> ms."""
    match = _SNAKE_UNIT.search(name) or _CAMEL_UNIT.search(name)
    return match[1].lower() if match else None


def _sizes(text: str) -> list[CodeLiteral]:
    out = [
        CodeLiteral("size", frozenset(_number(m[1]) * f for f in _BYTES[m[2].lower()]), True, m[0])
        for m in _STRING_SIZE.finditer(text)
    ]
    name = _assigned_name(text)
    if out or name is None or not _SIZE_NAME.search(name):
        return out
    unit = name_unit(name)
    if unit in _BYTES or unit == "bytes":
        factors = _BYTES["b" if unit == "bytes" else unit]
        return [
            CodeLiteral("size", frozenset(v * f for f in factors), True, shown)
            for shown, v in _products(text)
        ]
    return [
        CodeLiteral("size", frozenset({v, v * 1000, v * 1024, v * 10**6, v * 2**20}), False, s)
        for s, v in _products(text)
    ]


def _known(kind: Kind, value: float, shown: str) -> CodeLiteral:
    return CodeLiteral(kind, frozenset({float(value)}), True, shown.strip())


def request_fields(text: str) -> list[str]:
    """Names of request fields a line reads (`request.json["email"]`, `req.body.email`)."""
    names = [next(g for g in m.groups() if g) for m in _REQUEST_FIELD.finditer(text)]
    for match in _DESTRUCTURED.finditer(text):
        names.extend(part.split(":")[0].strip() for part in match[1].split(",") if part.strip())
    return names


def route_prefixes(text: str) -> list[str]:
    """Router / blueprint prefixes declared in a file (`APIRouter(prefix="/api/v1")`)."""
    return [match[1].rstrip("/") for match in _PREFIX.finditer(text)]
