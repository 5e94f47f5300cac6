"""The fake GitHub as a Starlette app: several instances at `/{instance}/api/v3/...`.

Serves the REST operations Warden uses (pulls list/get/files, issue comments list/create,
comment edit, reviews create/list, review comments list, rate_limit) with GitHub's auth,
pagination (`Link`), ETag/304, rate-limit headers and error shapes, plus injected faults.
`/{instance}/_sandbox/comments` lists every comment write the instance accepted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ingestion.sandbox.github_render import (
    Roots,
    error_body,
    iso,
    render_comment,
    render_file,
    render_pull,
    render_rate_limit,
)
from ingestion.sandbox.github_store import Fault, GitHubStore

RATE_LIMIT = 5000
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100
SECONDARY_LIMIT_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)


@dataclass(frozen=True)
class Call:
    """One authenticated API call: which instance, its URL roots, the store."""

    instance: str
    roots: Roots
    store: GitHubStore
    request: Request


Handler = Callable[[Call], Awaitable[Response]]


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    data = json.dumps(body, separators=(",", ":")).encode()
    return Response(data, status, headers=headers, media_type="application/json; charset=utf-8")


def _error(message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    return _json(error_body(message, status), status, headers)


def _rate_headers(used: int) -> dict[str, str]:
    return {
        "x-ratelimit-limit": str(RATE_LIMIT),
        "x-ratelimit-remaining": str(max(0, RATE_LIMIT - used)),
        "x-ratelimit-used": str(used),
        "x-ratelimit-reset": str(int(time.time()) + 3600),
        "x-ratelimit-resource": "core",
    }


def _etag_for(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:40] + '"'


def _conditional_json(request: Request, body: Any, headers: dict[str, str]) -> Response:
    """200 with an ETag, or 304 when the client already holds this representation."""
    data = json.dumps(body, separators=(",", ":")).encode()
    etag = _etag_for(data)
    wanted = [
        tag.strip().removeprefix("W/")
        for tag in request.headers.get("if-none-match", "").split(",")
    ]
    if etag in wanted:
        return Response(status_code=304, headers={**headers, "etag": etag})
    return Response(
        data, 200, headers={**headers, "etag": etag}, media_type="application/json; charset=utf-8"
    )


def _token_from(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() in ("bearer", "token") and value.strip() else None


def _fault_response(fault: Fault, headers: dict[str, str]) -> Response:
    extra = dict(headers)
    if fault.retry_after is not None:
        extra["retry-after"] = str(int(fault.retry_after))
    extra.update(fault.headers)
    if fault.message:
        message = fault.message
    elif fault.status == 429:
        message = "API rate limit exceeded."
    elif fault.status == 403:
        message = SECONDARY_LIMIT_MESSAGE
    else:
        message = "Server Error"
    return _error(message, fault.status, extra)


def api(handler: Handler, *, faults: bool = True) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a handler with instance lookup, auth, faults and rate-limit headers."""

    async def endpoint(request: Request) -> Response:
        store: GitHubStore = request.app.state.store
        instance = request.path_params["instance"]
        expected = store.token_of(instance)
        if expected is None:
            return _error("Not Found", 404)
        given = _token_from(request)
        if given is None or not hmac.compare_digest(given.encode(), expected.encode()):
            return _error("Bad credentials", 401)
        headers = _rate_headers(store.count_request(instance))
        fault = store.take_fault(instance) if faults else None
        if fault is not None:
            return _fault_response(fault, headers)
        origin = f"{request.url.scheme}://{request.url.netloc}"
        roots = Roots(api=f"{origin}/{instance}/api/v3", web=f"{origin}/{instance}")
        response = await handler(Call(instance, roots, store, request))
        for key, value in headers.items():
            response.headers.setdefault(key, value)
        return response

    return endpoint


def _repository(call: Call) -> str:
    return f"{call.request.path_params['owner']}/{call.request.path_params['repo']}"


def _paging(request: Request) -> tuple[int, int] | Response:
    try:
        per_page = int(request.query_params.get("per_page", DEFAULT_PER_PAGE))
        page = int(request.query_params.get("page", 1))
    except ValueError:
        return _error("Validation Failed: per_page and page must be integers", 422)
    return max(1, min(per_page, MAX_PER_PAGE)), max(1, page)


def _page_response(request: Request, items: list[Any], paging: tuple[int, int]) -> Response:
    per_page, page = paging
    last = max(1, -(-len(items) // per_page))
    links = []
    if page < last:
        links.append(f'<{request.url.include_query_params(page=page + 1)}>; rel="next"')
        links.append(f'<{request.url.include_query_params(page=last)}>; rel="last"')
    if page > 1:
        links.insert(0, f'<{request.url.include_query_params(page=page - 1)}>; rel="prev"')
        links.insert(1, f'<{request.url.include_query_params(page=1)}>; rel="first"')
    headers = {"link": ", ".join(links)} if links else {}
    chunk = items[(page - 1) * per_page : page * per_page]
    return _conditional_json(request, chunk, headers)


async def list_pulls(call: Call) -> Response:
    query = call.request.query_params
    state = query.get("state", "open")
    sort = query.get("sort", "created")
    direction = query.get("direction", "desc" if sort == "created" else "asc")
    if (
        state not in ("open", "closed", "all")
        or sort not in ("created", "updated")
        or (direction not in ("asc", "desc"))
    ):
        return _error("Validation Failed", 422)
    paging = _paging(call.request)
    if isinstance(paging, Response):
        return paging
    repository = _repository(call)
    if not call.store.has_repository(call.instance, repository):
        return _error("Not Found", 404)
    pulls = [p for p in call.store.pulls(call.instance, repository) if state in ("all", p.state)]
    key = (lambda p: p.pr.created_at) if sort == "created" else (lambda p: p.updated_at)
    pulls.sort(key=lambda p: (key(p), p.pr.number), reverse=direction == "desc")
    items = [render_pull(p, call.roots, simple=True) for p in pulls]
    return _page_response(call.request, items, paging)


async def get_pull(call: Call) -> Response:
    found = call.store.pull(call.instance, _repository(call), call.request.path_params["number"])
    if found is None:
        return _error("Not Found", 404)
    return _conditional_json(call.request, render_pull(found, call.roots), {})


async def list_pull_files(call: Call) -> Response:
    repository = _repository(call)
    found = call.store.pull(call.instance, repository, call.request.path_params["number"])
    if found is None:
        return _error("Not Found", 404)
    paging = _paging(call.request)
    if isinstance(paging, Response):
        return paging
    head = found.current.head_sha
    items = [render_file(f, repository, head, call.roots) for f in found.current.files]
    return _page_response(call.request, items, paging)


async def issue_comments(call: Call) -> Response:
    repository, number = _repository(call), call.request.path_params["number"]
    if call.store.pull(call.instance, repository, number) is None:
        return _error("Not Found", 404)
    if call.request.method == "POST":
        body = await _comment_body(call.request)
        if isinstance(body, Response):
            return body
        created = call.store.create_comment(call.instance, repository, number, body)
        return _json(
            render_comment(created, call.roots),
            201,
            {"location": f"{call.roots.api}/repos/{repository}/issues/comments/{created.id}"},
        )
    paging = _paging(call.request)
    if isinstance(paging, Response):
        return paging
    comments = call.store.issue_comments(call.instance, repository, number)
    return _page_response(call.request, [render_comment(c, call.roots) for c in comments], paging)


async def edit_comment(call: Call) -> Response:
    comment_id = call.request.path_params["comment_id"]
    existing = call.store.comment(call.instance, comment_id)
    if existing is None or existing.repository != _repository(call):
        return _error("Not Found", 404)
    body = await _comment_body(call.request)
    if isinstance(body, Response):
        return body
    edited = call.store.edit_comment(call.instance, comment_id, body)
    return _json(render_comment(edited, call.roots))


async def _comment_body(request: Request) -> str | Response:
    try:
        payload = json.loads(await request.body())
    except ValueError:
        return _error("Problems parsing JSON", 400)
    if not isinstance(payload, dict) or not isinstance(payload.get("body"), str):
        return _error("Validation Failed: body is required", 422)
    return payload["body"]


async def rate_limit(call: Call) -> Response:
    used = call.store.requests_made(call.instance)
    body = render_rate_limit(RATE_LIMIT - used, RATE_LIMIT, int(time.time()) + 3600)
    return _conditional_json(call.request, body, {})


async def sandbox_comments(call: Call) -> Response:
    writes = call.store.comment_writes(call.instance)
    return _json(
        [
            {
                "action": w.action,
                "comment_id": w.comment_id,
                "repository": w.repository,
                "number": w.number,
                "body": w.body,
                "at": iso(w.at),
            }
            for w in writes
        ]
    )


def create_github_app(store: GitHubStore) -> Starlette:
    # imported here: the review handlers build on this module's helpers
    from ingestion.sandbox.github_reviews import pull_review_comments, pull_reviews

    prefix = "/{instance}/api/v3"
    repo = prefix + "/repos/{owner}/{repo}"
    routes = [
        Route(repo + "/pulls", api(list_pulls), methods=["GET"]),
        Route(repo + "/pulls/{number:int}", api(get_pull), methods=["GET"]),
        Route(repo + "/pulls/{number:int}/files", api(list_pull_files), methods=["GET"]),
        Route(repo + "/pulls/{number:int}/reviews", api(pull_reviews), methods=["GET", "POST"]),
        Route(repo + "/pulls/{number:int}/comments", api(pull_review_comments), methods=["GET"]),
        Route(repo + "/issues/{number:int}/comments", api(issue_comments), methods=["GET", "POST"]),
        Route(repo + "/issues/comments/{comment_id:int}", api(edit_comment), methods=["PATCH"]),
        Route(prefix + "/rate_limit", api(rate_limit), methods=["GET"]),
        Route(
            "/{instance}/_sandbox/comments", api(sandbox_comments, faults=False), methods=["GET"]
        ),
    ]
    app = Starlette(routes=routes)
    app.state.store = store
    return app
