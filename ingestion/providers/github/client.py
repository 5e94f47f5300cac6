"""HTTP client for the GitHub REST API (github.com or a GitHub Enterprise `/api/v3` prefix).

Timeouts, retries (ratelimit.py decides), `Link` pagination and ETag conditional requests.
The token is sent only to `base_url`'s origin and never appears in an error message.
"""

from __future__ import annotations

import random
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from pydantic import SecretStr

from ingestion.providers.base import ProviderError
from ingestion.providers.github.ratelimit import (
    BackoffPolicy,
    RetryDecision,
    decide_http_retry,
    decide_network_retry,
)

API_VERSION = "2022-11-28"
USER_AGENT = "warden-review-bot/0.1 (+https://warden.local)"
MAX_PER_PAGE = 100
_ETAG_CACHE_SIZE = 2048


class GitHubApiError(ProviderError):
    """A GitHub call that failed for good. Carries method, path and status; never the token."""

    def __init__(self, method: str, path: str, status_code: int | None, detail: str) -> None:
        status = f"HTTP {status_code}" if status_code is not None else "no response"
        super().__init__(
            f"GitHub {method} {path} failed ({status}): {detail}", status_code=status_code
        )
        self.method = method
        self.path = path


def parse_link_header(value: str) -> dict[str, str]:
    """`<url>; rel="next", <url>; rel="last"` -> {"next": url, "last": url}."""
    links: dict[str, str] = {}
    for part in value.split(","):
        segments = part.strip().split(";")
        url = segments[0].strip()
        if not (url.startswith("<") and url.endswith(">")):
            continue
        for param in segments[1:]:
            key, _, raw = param.strip().partition("=")
            if key.strip() == "rel":
                for rel in raw.strip().strip('"').split():
                    links[rel] = url[1:-1]
    return links


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


class GitHubClient:
    """Synchronous GitHub REST client over `httpx.Client`."""

    def __init__(
        self,
        base_url: str,
        token: SecretStr,
        *,
        timeout: float = 10.0,
        max_retries: int = 4,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.time,
        backoff: BackoffPolicy | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._max_retries = max_retries
        self._sleep = sleep
        self._rng = rng
        self._clock = clock
        self._backoff = backoff or BackoffPolicy()
        self._etags: OrderedDict[str, tuple[str, Any, str]] = OrderedDict()
        self._http = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": USER_AGENT,
                "Authorization": f"Bearer {token.get_secret_value()}",
            },
        )

    # -- lifecycle ---------------------------------------------------------------------
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public calls ------------------------------------------------------------------
    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        body, _ = self._get(self._url(path, params), path)
        return body

    def paginate(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[Any]:
        """Yield the items of every page, following `Link: rel="next"` (lazily)."""
        query = {"per_page": MAX_PER_PAGE, **(params or {})}
        url: str | None = self._url(path, query)
        while url is not None:
            body, link = self._get(url, path)
            if not isinstance(body, list):
                raise GitHubApiError("GET", path, 200, "expected a JSON array page")
            yield from body
            url = parse_link_header(link).get("next") if link else None
            if url is not None and _origin(url) != _origin(self.base_url):
                raise GitHubApiError("GET", path, 200, "next page link points to another host")

    def post_json(self, path: str, body: Mapping[str, Any]) -> Any:
        return self._send("POST", self._url(path), path, json=dict(body)).json()

    def patch_json(self, path: str, body: Mapping[str, Any]) -> Any:
        return self._send("PATCH", self._url(path), path, json=dict(body)).json()

    # -- internals ---------------------------------------------------------------------
    def _url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        if not path.startswith("/"):
            raise ValueError("API paths start with '/'")
        url = self.base_url + path
        if params:
            url += "?" + urlencode(sorted((k, str(v)) for k, v in params.items()))
        return url

    def _get(self, url: str, path: str) -> tuple[Any, str]:
        cached = self._etags.get(url)
        headers = {"If-None-Match": cached[0]} if cached else {}
        response = self._send(
            "GET", url, path, headers=headers, allow_not_modified=cached is not None
        )
        if response.status_code == 304 and cached is not None:
            self._etags.move_to_end(url)
            return cached[1], cached[2]
        body = response.json()
        link = response.headers.get("link", "")
        etag = response.headers.get("etag")
        if etag:
            self._etags[url] = (etag, body, link)
            self._etags.move_to_end(url)
            while len(self._etags) > _ETAG_CACHE_SIZE:
                self._etags.popitem(last=False)
        return body, link

    def _send(
        self,
        method: str,
        url: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        allow_not_modified: bool = False,
    ) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = self._http.request(method, url, headers=headers, json=json)
            except httpx.TransportError as exc:
                decision = decide_network_retry(attempt, policy=self._backoff, rng=self._rng)
                self._wait_or_raise(decision, attempt, method, path, None, type(exc).__name__)
                attempt += 1
                continue
            status = response.status_code
            if status < 300 or (status == 304 and allow_not_modified):
                return response
            message = _error_message(response)
            decision = decide_http_retry(
                status,
                response.headers,
                message,
                attempt,
                policy=self._backoff,
                rng=self._rng,
                now_epoch=self._clock(),
            )
            self._wait_or_raise(decision, attempt, method, path, status, message)
            attempt += 1

    def _wait_or_raise(
        self,
        decision: RetryDecision,
        attempt: int,
        method: str,
        path: str,
        status: int | None,
        detail: str,
    ) -> None:
        if not decision.retry:
            raise GitHubApiError(method, path, status, f"{detail} ({decision.reason})")
        if attempt >= self._max_retries:
            raise GitHubApiError(
                method, path, status, f"{detail}; gave up after {attempt + 1} attempt(s)"
            )
        self._sleep(decision.wait_seconds)


def _error_message(response: httpx.Response) -> str:
    """GitHub's `message` field (truncated), or a generic text; never request headers."""
    try:
        payload = response.json()
    except ValueError:
        return response.reason_phrase or "error"
    if isinstance(payload, dict) and isinstance(payload.get("message"), str):
        return payload["message"][:200]
    return response.reason_phrase or "error"
