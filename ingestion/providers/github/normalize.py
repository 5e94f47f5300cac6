"""Raw GitHub JSON -> canonical records. Pure functions; bad input raises NormalisationError.

Handles the REST `pull-request` / `pull-request-simple` shapes and the `pull_request`
object inside a webhook delivery (the same shape, see shared/contracts/github).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from warden.errors import NormalisationError
from warden.records import ChangedFile, PullRequest, pull_request_key

PROVIDER = "github"
NORMALISER_VERSION = "github-normalize/1"
SUPPORTED_PULL_REQUEST_ACTIONS = frozenset(
    {"opened", "synchronize", "reopened", "edited", "closed", "ready_for_review"}
)
_FILE_STATUSES = frozenset(
    {"added", "modified", "removed", "renamed", "copied", "changed", "unchanged"}
)
_MISSING = object()


def _get(obj: Any, path: str, where: str) -> Any:
    """`obj[a][b]` for path "a.b"; errors name the full path (payload.pull_request.head.sha)."""
    current = obj
    walked = [where]
    for key in path.split("."):
        if not isinstance(current, dict):
            raise NormalisationError(f"{'.'.join(walked)}: expected an object")
        walked.append(key)
        current = current.get(key, _MISSING)
        if current is _MISSING:
            raise NormalisationError(f"{'.'.join(walked)}: missing")
    return current


def _str(obj: Any, path: str, *, where: str, allow_null: bool = False) -> str:
    value = _get(obj, path, where)
    if value is None and allow_null:
        return ""
    if not isinstance(value, str):
        raise NormalisationError(f"{where}.{path}: expected a string, got {type(value).__name__}")
    return value


def _int(obj: Any, path: str, *, where: str, default: int | None = None) -> int:
    if default is not None and isinstance(obj, dict) and path not in obj:
        return default
    value = _get(obj, path, where)
    if isinstance(value, bool) or not isinstance(value, int):
        raise NormalisationError(f"{where}.{path}: expected an integer, got {type(value).__name__}")
    return value


def _time(obj: Any, path: str, *, where: str, allow_null: bool = False) -> datetime | None:
    value = _get(obj, path, where)
    if value is None and allow_null:
        return None
    if not isinstance(value, str):
        raise NormalisationError(f"{where}.{path}: expected an ISO 8601 timestamp")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise NormalisationError(f"{where}.{path}: not an ISO 8601 timestamp: {value!r}") from exc
    if parsed.tzinfo is None:
        raise NormalisationError(f"{where}.{path}: timestamp has no timezone: {value!r}")
    return parsed


def _state(raw: dict[str, Any], where: str) -> str:
    state = _str(raw, "state", where=where)
    if state not in ("open", "closed"):
        raise NormalisationError(f"{where}.state: expected 'open' or 'closed', got {state!r}")
    if raw.get("merged") is True or raw.get("merged_at"):
        return "merged"
    return state


def normalize_pull_request(
    tenant_id: str,
    raw: Any,
    *,
    repository: str | None = None,
    where: str = "pull_request",
) -> PullRequest:
    """A REST pull request (or a webhook's `pull_request` object) -> PullRequest.

    `repository` (owner/name) defaults to `base.repo.full_name`.
    """
    if not isinstance(raw, dict):
        raise NormalisationError(f"{where}: expected an object, got {type(raw).__name__}")
    full_name = repository or _str(raw, "base.repo.full_name", where=where)
    number = _int(raw, "number", where=where)
    if number < 1:
        raise NormalisationError(f"{where}.number: must be >= 1, got {number}")
    user = _get(raw, "user", where)
    author = "ghost" if user is None else _str(raw, "user.login", where=where)
    created_at = _time(raw, "created_at", where=where)
    updated_at = _time(raw, "updated_at", where=where)
    assert created_at is not None and updated_at is not None  # allow_null=False
    state = _state(raw, where)
    merged_at = None
    if "merged_at" in raw:
        merged_at = _time(raw, "merged_at", where=where, allow_null=True)
    try:
        return PullRequest(
            tenant_id=tenant_id,
            pr_key=pull_request_key(PROVIDER, full_name, number),
            provider=PROVIDER,
            repository=full_name,
            number=number,
            title=_str(raw, "title", where=where),
            body=_str(raw, "body", where=where, allow_null=True) if "body" in raw else "",
            author=author,
            state=state,
            draft=bool(raw.get("draft") or False),
            base_ref=_str(raw, "base.ref", where=where),
            head_ref=_str(raw, "head.ref", where=where),
            base_sha=_str(raw, "base.sha", where=where),
            head_sha=_str(raw, "head.sha", where=where),
            url=raw.get("html_url") if isinstance(raw.get("html_url"), str) else "",
            created_at=created_at,
            updated_at=updated_at,
            merged_at=merged_at,
            additions=_int(raw, "additions", where=where, default=0),
            deletions=_int(raw, "deletions", where=where, default=0),
            changed_files=_int(raw, "changed_files", where=where, default=0),
        )
    except ValueError as exc:  # pydantic ValidationError (e.g. a bad tenant id)
        raise NormalisationError(f"{where}: {exc}") from exc


def normalize_changed_file(pull_request: PullRequest, raw: Any) -> ChangedFile:
    """A REST `diff-entry` -> ChangedFile. `patch` is absent for binary or very large files."""
    where = "file"
    if not isinstance(raw, dict):
        raise NormalisationError(f"{where}: expected an object, got {type(raw).__name__}")
    status = _str(raw, "status", where=where)
    if status not in _FILE_STATUSES:
        raise NormalisationError(f"{where}.status: unknown file status {status!r}")
    patch = raw.get("patch")
    if patch is not None and not isinstance(patch, str):
        raise NormalisationError(f"{where}.patch: expected a string")
    previous = raw.get("previous_filename")
    return ChangedFile(
        tenant_id=pull_request.tenant_id,
        pr_key=pull_request.pr_key,
        repository=pull_request.repository,
        number=pull_request.number,
        head_sha=pull_request.head_sha,
        path=_str(raw, "filename", where=where),
        previous_path=previous if isinstance(previous, str) else None,
        status=status,  # type: ignore[arg-type]  # checked against _FILE_STATUSES above
        additions=_int(raw, "additions", where=where, default=0),
        deletions=_int(raw, "deletions", where=where, default=0),
        patch=patch,
    )


def normalize_pull_request_event(tenant_id: str, payload: Any) -> PullRequest:
    """A `pull_request` webhook delivery (parsed JSON) -> the PullRequest it describes."""
    if not isinstance(payload, dict):
        raise NormalisationError(f"payload: expected an object, got {type(payload).__name__}")
    action = payload.get("action")
    if not isinstance(action, str):
        raise NormalisationError("payload.action: missing or not a string")
    if action not in SUPPORTED_PULL_REQUEST_ACTIONS:
        raise NormalisationError(
            f"payload.action: {action!r} is not handled "
            f"(expected one of {sorted(SUPPORTED_PULL_REQUEST_ACTIONS)})"
        )
    repository = _str(payload, "repository.full_name", where="payload")
    if "/" not in repository:
        raise NormalisationError(f"payload.repository.full_name: not owner/name: {repository!r}")
    raw = _get(payload, "pull_request", "payload")
    pull_request = normalize_pull_request(
        tenant_id, raw, repository=repository, where="payload.pull_request"
    )
    number = payload.get("number")
    if number is not None and number != pull_request.number:
        raise NormalisationError(
            f"payload.number {number!r} does not match pull_request.number {pull_request.number}"
        )
    return pull_request
