"""The fake GitHub's review endpoints: create a review, list reviews, list review comments.

`POST /repos/{o}/{r}/pulls/{n}/reviews` validates like GitHub: the event is one of
APPROVE / REQUEST_CHANGES / COMMENT (none: a PENDING review), a body is required for
COMMENT and REQUEST_CHANGES, `commit_id` must be a head of the PR, and every comment must
land on a line its file's diff shows on that side; one bad comment refuses the whole review
(422, `validation-error-simple`). Bodies start from the contract's own examples.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from starlette.responses import Response

from ingestion.sandbox.contracts import rest_operation
from ingestion.sandbox.github_app import Call, _error, _json, _page_response, _paging, _repository
from ingestion.sandbox.github_render import Roots, iso, node_id, render_user
from ingestion.sandbox.github_review_state import (
    EVENT_STATES,
    DiffLines,
    NewReviewComment,
    Side,
    StoredReview,
    StoredReviewComment,
)
from ingestion.sandbox.github_store import PullState

_DOCS = "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request"
_SIDES: tuple[Side, ...] = ("LEFT", "RIGHT")


class ReviewRejected(Exception):
    def __init__(self, *errors: str) -> None:
        super().__init__("; ".join(errors))
        self.errors = list(errors)


@cache
def _templates() -> dict[str, Any]:
    def example(operation: str) -> Any:
        content = rest_operation(operation)["responses"]["200"]["content"]
        return content["application/json"]["examples"]["default"]["value"]

    return {
        "review": example("pulls.create-review"),
        "comment": example("pulls.list-review-comments")[0],
    }


def render_review(review: StoredReview, roots: Roots) -> dict[str, Any]:
    body = copy.deepcopy(_templates()["review"])
    pull_api = f"{roots.api}/repos/{review.repository}/pulls/{review.number}"
    html = f"{roots.web}/{review.repository}/pull/{review.number}#pullrequestreview-{review.id}"
    body.update(
        id=review.id,
        node_id=node_id("PullRequestReview", review.id),
        user=render_user(review.user_login, roots, kind="Bot"),
        body=review.body,
        state=review.state,
        html_url=html,
        pull_request_url=pull_api,
        _links={"html": {"href": html}, "pull_request": {"href": pull_api}},
        commit_id=review.commit_id,
        author_association="NONE",
        submitted_at=iso(review.submitted_at),
    )
    if review.submitted_at is None:
        body.pop("submitted_at")
    return body


def render_review_comment(stored: StoredReviewComment, roots: Roots) -> dict[str, Any]:
    body = copy.deepcopy(_templates()["comment"])
    comment, full = stored.comment, stored.repository
    url = f"{roots.api}/repos/{full}/pulls/comments/{stored.id}"
    html = f"{roots.web}/{full}/pull/{stored.number}#discussion_r{stored.id}"
    pull_api = f"{roots.api}/repos/{full}/pulls/{stored.number}"
    body.pop("in_reply_to_id", None)
    body.update(
        url=url,
        pull_request_review_id=stored.review_id,
        id=stored.id,
        node_id=node_id("PullRequestReviewComment", stored.id),
        diff_hunk=comment.diff_hunk,
        path=comment.path,
        position=comment.position,
        original_position=comment.position,
        commit_id=stored.commit_id,
        original_commit_id=stored.commit_id,
        user=render_user(stored.user_login, roots, kind="Bot"),
        body=comment.body,
        created_at=iso(stored.created_at),
        updated_at=iso(stored.updated_at),
        html_url=html,
        pull_request_url=pull_api,
        author_association="NONE",
        _links={"self": {"href": url}, "html": {"href": html}, "pull_request": {"href": pull_api}},
        start_line=comment.start_line,
        original_start_line=comment.start_line,
        start_side=comment.start_side,
        line=comment.line,
        original_line=comment.line,
        side=comment.side,
        subject_type="line",
    )
    return body


def parse_review_request(payload: Any, state: PullState) -> tuple[dict[str, Any], list]:
    """(fields for the store, placed comments), or ReviewRejected with GitHub's messages."""
    if not isinstance(payload, dict):
        raise ReviewRejected("Invalid request. The request body must be a JSON object.")
    event = payload.get("event")
    if event not in EVENT_STATES:
        raise ReviewRejected(
            "Variable $event of type PullRequestReviewEvent was provided invalid value"
        )
    body = payload.get("body", "")
    if not isinstance(body, str):
        raise ReviewRejected("Invalid request. For 'body', the value is not a string.")
    if event in ("COMMENT", "REQUEST_CHANGES") and not body.strip():
        raise ReviewRejected(f"Body is required when the event is {event}")
    heads = {revision.head_sha: revision for revision in state.pr.revisions[: state.revision + 1]}
    commit_id = payload.get("commit_id") or state.current.head_sha
    if commit_id not in heads:
        raise ReviewRejected("commit_id is not part of the pull request")
    raw_comments = payload.get("comments", [])
    if not isinstance(raw_comments, list):
        raise ReviewRejected("Invalid request. For 'comments', the value is not an array.")
    patches = {f.path: f.patch for f in heads[commit_id].files}
    placed = [_place(raw, patches) for raw in raw_comments]
    return {"body": body, "event": event, "commit_id": commit_id}, placed


def _place(raw: Any, patches: dict[str, str | None]) -> NewReviewComment:
    if not isinstance(raw, dict):
        raise ReviewRejected("Invalid request. Each comment must be an object.")
    path, body = raw.get("path"), raw.get("body")
    if not isinstance(path, str) or not isinstance(body, str):
        raise ReviewRejected("Invalid request. Each comment needs a string path and body.")
    patch = patches.get(path)
    if patch is None:
        raise ReviewRejected("Path could not be resolved")
    lines = DiffLines(patch)
    side, start_side = raw.get("side", "RIGHT"), raw.get("start_side")
    if side not in _SIDES or (start_side is not None and start_side not in _SIDES):
        raise ReviewRejected("Invalid request. side and start_side are LEFT or RIGHT.")
    line = raw.get("line")
    if not isinstance(line, int) or isinstance(line, bool):
        raise ReviewRejected("Line could not be resolved")  # Warden never uses `position`
    where = lines.locate(side, line)
    if where is None:
        raise ReviewRejected("Line could not be resolved")
    start_line = raw.get("start_line")
    if start_line is not None:
        start_side = start_side or side
        if (
            not isinstance(start_line, int)
            or start_line >= line
            or lines.locate(start_side, start_line) is None
        ):
            raise ReviewRejected("Start line could not be resolved")
    return NewReviewComment(
        path=path,
        line=line,
        side=side,
        start_line=start_line,
        start_side=start_side if start_line is not None else None,
        body=body,
        position=where.position,
        diff_hunk=where.diff_hunk,
    )


def _rejected(errors: list[str]) -> Response:
    body = {
        "message": "Unprocessable Entity",
        "errors": errors,
        "documentation_url": _DOCS,
        "status": "422",
    }
    return _json(body, 422)


async def pull_reviews(call: Call) -> Response:
    repository, number = _repository(call), call.request.path_params["number"]
    state = call.store.pull(call.instance, repository, number)
    if state is None:
        return _error("Not Found", 404)
    if call.request.method == "GET":
        paging = _paging(call.request)
        if isinstance(paging, Response):
            return paging
        reviews = call.store.reviews(call.instance, repository, number)
        return _page_response(call.request, [render_review(r, call.roots) for r in reviews], paging)
    try:
        payload = json.loads(await call.request.body())
    except ValueError:
        return _error("Problems parsing JSON", 400)
    try:
        fields, placed = parse_review_request(payload, state)
    except ReviewRejected as rejected:
        return _rejected(rejected.errors)
    review = call.store.create_review(call.instance, repository, number, comments=placed, **fields)
    return _json(render_review(review, call.roots))


async def pull_review_comments(call: Call) -> Response:
    repository, number = _repository(call), call.request.path_params["number"]
    if call.store.pull(call.instance, repository, number) is None:
        return _error("Not Found", 404)
    query = call.request.query_params
    sort, direction = query.get("sort", "created"), query.get("direction", "asc")
    if sort not in ("created", "updated") or direction not in ("asc", "desc"):
        return _error("Validation Failed", 422)
    paging = _paging(call.request)
    if isinstance(paging, Response):
        return paging
    comments = call.store.review_comments(call.instance, repository, number)
    since = query.get("since")
    if since:
        comments = [c for c in comments if (iso(c.updated_at) or "") >= since]
    key = (lambda c: c.created_at) if sort == "created" else (lambda c: c.updated_at)
    comments.sort(key=lambda c: (key(c), c.id), reverse=direction == "desc")
    items = [render_review_comment(c, call.roots) for c in comments]
    return _page_response(call.request, items, paging)
