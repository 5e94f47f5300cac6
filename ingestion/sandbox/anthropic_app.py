"""A local fake of the Anthropic Messages API (`POST /v1/messages`) for tests and the demo.

Replies are scripted in order (then a default valid, empty review); every request is
recorded with its headers. Shapes follow the public Messages API: `tool_use` content
blocks, `usage` with cache fields, `stop_reason`, and error bodies
`{"type": "error", "error": {"type", "message"}}` with `retry-after` on 429/529.

with FakeAnthropic(api_key="sk-test") as fake:
    fake.store.script(error_reply(429, retry_after="0.1"), tool_reply({...}))
    ... base_url=fake.url ...
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ingestion.sandbox.server import ServerThread

DEFAULT_MODEL = "claude-sonnet-4-5"
TOOL_NAME = "submit_review"
_ERROR_KINDS = {
    400: "invalid_request_error",
    401: "authentication_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


@dataclass(frozen=True)
class ScriptedReply:
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0


@dataclass(frozen=True)
class RecordedRequest:
    headers: dict[str, str]
    body: dict[str, Any]
    received_at: float = 0.0  # time.monotonic() on arrival


def message_body(
    content: list[dict[str, Any]],
    *,
    model: str = DEFAULT_MODEL,
    stop_reason: str = "tool_use",
    input_tokens: int = 1200,
    output_tokens: int = 300,
    cache_read_input_tokens: int = 0,
    cache_creation_input_tokens: int = 0,
) -> dict[str, Any]:
    return {
        "id": f"msg_{uuid.uuid4().hex[:24]}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "cache_read_input_tokens": cache_read_input_tokens,
            "cache_creation_input_tokens": cache_creation_input_tokens,
        },
    }


def tool_reply(tool_input: dict[str, Any], **usage: Any) -> ScriptedReply:
    """A reply calling `submit_review` with `tool_input` (valid or not: the test decides)."""
    block = {
        "type": "tool_use",
        "id": f"toolu_{uuid.uuid4().hex[:24]}",
        "name": TOOL_NAME,
        "input": tool_input,
    }
    return ScriptedReply(body=message_body([block], **usage))


def text_reply(text: str, **usage: Any) -> ScriptedReply:
    return ScriptedReply(
        body=message_body([{"type": "text", "text": text}], stop_reason="end_turn", **usage)
    )


def error_reply(
    status: int,
    message: str = "scripted error",
    *,
    retry_after: str | None = None,
    kind: str | None = None,
) -> ScriptedReply:
    headers = {"retry-after": retry_after} if retry_after is not None else {}
    body = {
        "type": "error",
        "error": {"type": kind or _ERROR_KINDS.get(status, "api_error"), "message": message},
        "request_id": f"req_{uuid.uuid4().hex[:24]}",
    }
    return ScriptedReply(status=status, body=body, headers=headers)


def slow_reply(seconds: float, reply: ScriptedReply | None = None) -> ScriptedReply:
    base = reply or tool_reply({"findings": [], "criteria": []})
    return ScriptedReply(base.status, base.body, base.headers, delay_seconds=seconds)


class FakeMessagesStore:
    """Scripted replies and recorded requests (thread-safe: the server runs in a thread)."""

    def __init__(self, api_key: str | None = None) -> None:
        self.api_key = api_key
        self._lock = threading.Lock()
        self._script: deque[ScriptedReply] = deque()
        self._requests: list[RecordedRequest] = []

    def script(self, *replies: ScriptedReply) -> None:
        with self._lock:
            self._script.extend(replies)

    def next_reply(self) -> ScriptedReply:
        with self._lock:
            if self._script:
                return self._script.popleft()
        return tool_reply({"findings": [], "criteria": []})

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def authorised(self, headers: dict[str, str]) -> bool:
        if self.api_key is None:
            return True
        return (
            headers.get("x-api-key") == self.api_key
            or headers.get("authorization") == f"Bearer {self.api_key}"
        )


def create_anthropic_app(store: FakeMessagesStore) -> Starlette:
    async def messages(request: Request) -> JSONResponse:
        headers = {k.lower(): v for k, v in request.headers.items()}
        try:
            body = json.loads(await request.body())
        except ValueError:
            return JSONResponse(error_reply(400, "body is not JSON").body, status_code=400)
        store.record(RecordedRequest(headers=headers, body=body, received_at=time.monotonic()))
        if not store.authorised(headers):
            reply = error_reply(401, "invalid x-api-key")
            return JSONResponse(reply.body, status_code=401)
        missing = [key for key in ("model", "max_tokens", "messages") if key not in body]
        if missing:
            reply = error_reply(400, f"missing fields: {', '.join(missing)}")
            return JSONResponse(reply.body, status_code=400)
        reply = store.next_reply()
        if reply.delay_seconds:
            await asyncio.sleep(reply.delay_seconds)
        body_out = dict(reply.body)
        if reply.status == 200 and body_out.get("type") == "message":
            body_out["model"] = body.get("model", body_out.get("model"))
        return JSONResponse(body_out, status_code=reply.status, headers=reply.headers)

    return Starlette(routes=[Route("/v1/messages", messages, methods=["POST"])])


class FakeAnthropic:
    """The fake Messages API served on 127.0.0.1 and a free port."""

    def __init__(self, api_key: str | None = None, host: str = "127.0.0.1") -> None:
        self.store = FakeMessagesStore(api_key)
        self._runner = ServerThread(create_anthropic_app(self.store), host, "fake-anthropic")

    @property
    def url(self) -> str:
        if self._runner.url is None:
            raise RuntimeError("fake Messages API is not running")
        return self._runner.url

    def __enter__(self) -> FakeAnthropic:
        self._runner.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._runner.stop()
