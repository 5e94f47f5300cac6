"""HTTP statuses in code: numbers next to a status word (`status_code=429`,
`res.status(423)`), named constants (`HTTPStatus.LOCKED`, `http.StatusLocked`) and
responses or exceptions named after a reason phrase (`http.NotFound(w, r)`,
`ResponseEntity.notFound()`, `Http404`, `HTTPConflict()`, `NotFoundException`)."""

from __future__ import annotations

import re
from http import HTTPStatus

KNOWN_STATUSES = frozenset(status.value for status in HTTPStatus)

_CODE_STATUS = re.compile(
    r"(?:status(?:_?code)?|sendStatus|WriteHeader|abort|HTTPException|code)\s*[=:(]\s*"
    r"(?:status_code\s*=\s*)?([1-5]\d\d)\b"
    r"|\breturn\b[^#]*,\s*([1-5]\d\d)\s*\)?\s*;?\s*$|status\.HTTP_([1-5]\d\d)",
    re.IGNORECASE,
)
#: `return 403`: a status only if the neighbourhood says so (the unit is not stated)
_BARE_RETURN_STATUS = re.compile(r"^\s*return\s+([1-5]\d\d)\s*;?\s*$")
_STATUS_NAME = re.compile(
    r"\b(?:HTTPStatus|HttpStatus|HTTP_STATUS)\.([A-Z_]+)|\b\w+\.Status([A-Z]\w+)"
)
#: responses and exceptions named after a reason phrase: `http.NotFound(w, r)` (Go),
#: `ResponseEntity.notFound()` (Spring), `HttpResponseForbidden(` / `Http404` (Django),
#: `HTTPConflict(` (Pyramid, aiohttp), `NotFoundException` (NestJS and others)
_STATUS_HELPER = re.compile(
    r"\b(?:HttpResponse|HTTP|Http|http\.|ResponseEntity\.)([A-Za-z]+?)(?:Exception|Error)?\s*\("
    r"|\b([A-Z][A-Za-z]+)Exception\b|\bHttp([1-5]\d\d)\b"
)


def status_from_name(name: str) -> int | None:
    """`TOO_MANY_REQUESTS` (Python/Spring) or `TooManyRequests` (Go) -> 429."""
    snake = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).upper()
    member = HTTPStatus.__members__.get(snake)
    return member.value if member is not None else None


def code_statuses(text: str) -> list[tuple[int, str, bool]]:
    """HTTP statuses one line of code states: (code, as shown, whether the line says it
    is a status)."""
    out: list[tuple[int, str, bool]] = []
    for match in _CODE_STATUS.finditer(text):
        code = next(group for group in match.groups() if group)
        if int(code) in KNOWN_STATUSES:
            out.append((int(code), code, True))
    for match in _STATUS_NAME.finditer(text):
        found = status_from_name(match[1] or match[2])
        if found is not None:
            out.append((found, match[0].strip(), True))
    for match in _STATUS_HELPER.finditer(text):
        found = int(match[3]) if match[3] else status_from_name(match[1] or match[2])
        if found is not None and found in KNOWN_STATUSES:
            out.append((found, match[0].rstrip("( ").strip(), True))
    bare = _BARE_RETURN_STATUS.match(text)
    if not out and bare and int(bare[1]) in KNOWN_STATUSES:
        out.append((int(bare[1]), bare[0].strip(), False))
    return out
