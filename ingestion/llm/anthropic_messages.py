"""The Messages API through the official `anthropic` SDK (2.x, httpx2 underneath).

Implements the analysis `MessagesPort`: a request body in, a message or an error dict out
(see `analysis/llm/port.py` for the shapes; this module cannot import it). The SDK retries
408/409/429/5xx (529 overloaded included) and connection errors with exponential backoff,
honouring `retry-after-ms` / `retry-after`; a server asking to wait longer than
`max_retry_wait_seconds` ends the call instead of holding up the review path. The API key
is sent by the SDK (Bearer) and never appears in a reply, an error or a log line here.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from typing import Any

import anthropic
from anthropic import Middleware
from pydantic import SecretStr

from ingestion.llm.pricing import estimate_cost_usd, price_for
from warden.settings import LlmPrice, Settings

_RATE_LIMIT_STATUSES = frozenset({429, 503, 529})
_STATUS_KINDS = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    529: "overloaded_error",
}
_MAX_MESSAGE_CHARS = 300


class RetryAfterTooLong(Exception):
    def __init__(self, seconds: float, status: int) -> None:
        super().__init__(f"asked to wait {seconds:.1f}s")
        self.seconds = seconds
        self.status = status


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """`retry-after-ms`, else `retry-after` as seconds or an HTTP date (as the SDK reads it)."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return float(millis) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        return None if parsed is None else float(email.utils.mktime_tz(parsed) - time.time())


class _RetryAfterCap(Middleware):
    """Runs once per attempt inside the SDK's retry loop; stops it on an excessive wait."""

    def __init__(self, cap_seconds: float) -> None:
        self.cap_seconds = cap_seconds

    def handle(self, request: Any, call_next: Any) -> Any:
        response = call_next(request)
        if response.status_code in _RATE_LIMIT_STATUSES:
            wait = retry_after_seconds(response.headers)
            if wait is not None and wait > self.cap_seconds:
                raise RetryAfterTooLong(wait, response.status_code)
        return response


class AnthropicMessages:
    """MessagesPort over `anthropic.Anthropic(...).messages.create`."""

    def __init__(
        self,
        *,
        api_key: SecretStr,
        prices: Mapping[str, LlmPrice],
        base_url: str | None = None,
        timeout_seconds: float = 60.0,
        max_retries: int = 2,
        max_retry_wait_seconds: float = 30.0,
    ) -> None:
        self._api_key = api_key
        self._prices = dict(prices)
        self._timeout_seconds = timeout_seconds
        self._max_retry_wait_seconds = max_retry_wait_seconds
        self._client = anthropic.Anthropic(
            api_key=api_key.get_secret_value(),
            base_url=base_url,
            timeout=timeout_seconds,
            max_retries=max_retries,
            middleware=[_RetryAfterCap(max_retry_wait_seconds)],
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> AnthropicMessages:
        if settings.anthropic_api_key is None:
            raise ValueError("no Anthropic API key configured")
        return cls(
            api_key=settings.anthropic_api_key,
            prices=settings.llm_prices_usd_per_mtok,
            base_url=settings.anthropic_base_url,
            timeout_seconds=settings.llm_timeout_seconds,
            max_retries=settings.llm_max_retries,
            max_retry_wait_seconds=settings.llm_max_retry_wait_seconds,
        )

    def close(self) -> None:
        self._client.close()

    def create(self, request: dict[str, Any]) -> dict[str, Any]:
        try:
            message = self._client.messages.create(**request)
        except RetryAfterTooLong as error:
            kind = "overloaded_error" if error.status == 529 else "rate_limit_error"
            return self._error(
                kind,
                f"HTTP {error.status}: asked to wait {error.seconds:.0f}s, more than the "
                f"{self._max_retry_wait_seconds:.0f}s allowed",
            )
        except anthropic.APITimeoutError:
            return self._error("timeout_error", f"no reply within {self._timeout_seconds:g}s")
        except anthropic.APIConnectionError:
            return self._error("connection_error", "could not reach the Messages API")
        except anthropic.APIStatusError as error:
            body_kind = _body_error_type(error.body)
            kind = body_kind or _STATUS_KINDS.get(error.status_code, "api_error")
            return self._error(kind, f"HTTP {error.status_code}: {error.api_message or ''}")
        except anthropic.AnthropicError as error:
            return self._error("api_error", type(error).__name__)
        body = message.model_dump(mode="json", exclude_none=True)
        body["usage"] = self._usage_with_cost(message.model, body.get("usage", {}))
        return body

    def _usage_with_cost(self, model: str, usage: dict[str, Any]) -> dict[str, Any]:
        counts = {
            "input_tokens": int(usage.get("input_tokens") or 0),
            "output_tokens": int(usage.get("output_tokens") or 0),
            "cache_read_input_tokens": int(usage.get("cache_read_input_tokens") or 0),
            "cache_creation_input_tokens": int(usage.get("cache_creation_input_tokens") or 0),
        }
        cost = estimate_cost_usd(
            price_for(model, self._prices),
            input_tokens=counts["input_tokens"],
            output_tokens=counts["output_tokens"],
            cache_read_tokens=counts["cache_read_input_tokens"],
            cache_creation_tokens=counts["cache_creation_input_tokens"],
        )
        return {**counts, "cost_usd": cost}

    def _error(self, kind: str, message: str) -> dict[str, Any]:
        secret = self._api_key.get_secret_value()
        if secret:
            message = message.replace(secret, "[redacted]")
        return {"type": "error", "error": {"type": kind, "message": message[:_MAX_MESSAGE_CHARS]}}


def _body_error_type(body: object) -> str | None:
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("type"), str):
            return error["type"][:40]
    return None
