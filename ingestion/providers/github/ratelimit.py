"""When to retry a GitHub call and how long to wait first: pure decisions, no I/O.

Rules (shared/contracts/github/transport-facts.json, `primary_rate_limit_exceeded` and
`secondary_rate_limit`):
- 5xx and network errors: exponential backoff with full jitter.
- 429, or 403 that says a secondary rate limit was exceeded, or 403/429 with
  `x-ratelimit-remaining: 0`: wait `Retry-After` seconds if given; else, when the primary
  limit is spent, until `x-ratelimit-reset`; else at least a minute, then back off.
- Any other 4xx is the caller's fault and is not retried.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

SECONDARY_LIMIT_MIN_WAIT = 60.0


@dataclass(frozen=True)
class BackoffPolicy:
    """Exponential backoff with full jitter: wait = rng() * min(cap, base * 2**attempt)."""

    base_seconds: float = 1.0
    cap_seconds: float = 30.0
    max_wait_seconds: float = 120.0  # a server-imposed wait longer than this gives up

    def jittered(self, attempt: int, rng: Callable[[], float]) -> float:
        return rng() * min(self.cap_seconds, self.base_seconds * (2**attempt))


@dataclass(frozen=True)
class RetryDecision:
    retry: bool
    wait_seconds: float = 0.0
    reason: str = ""


def is_secondary_rate_limit(status: int, message: str) -> bool:
    return status in (403, 429) and "secondary rate limit" in message.lower()


def is_primary_rate_limit(status: int, headers: Mapping[str, str]) -> bool:
    return status in (403, 429) and headers.get("x-ratelimit-remaining", "").strip() == "0"


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # HTTP-date form is not sent by GitHub; fall back to other signals


def _until_reset(headers: Mapping[str, str], now_epoch: float) -> float | None:
    value = headers.get("x-ratelimit-reset", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value) - now_epoch)
    except ValueError:
        return None


def decide_http_retry(
    status: int,
    headers: Mapping[str, str],
    message: str,
    attempt: int,
    *,
    policy: BackoffPolicy,
    rng: Callable[[], float],
    now_epoch: float,
) -> RetryDecision:
    """Decide for one failed HTTP response (`attempt` counts retries already made, from 0).

    `headers` must have lower-case keys (httpx.Headers already behaves that way).
    """
    primary = is_primary_rate_limit(status, headers)
    secondary = is_secondary_rate_limit(status, message)
    if status == 429 or primary or secondary:
        retry_after = _retry_after(headers)
        if retry_after is not None:
            wait, reason = retry_after, "retry-after"
        elif primary and (reset := _until_reset(headers, now_epoch)) is not None:
            wait, reason = reset, "rate limit reset"
        elif secondary:
            wait = max(SECONDARY_LIMIT_MIN_WAIT, policy.jittered(attempt, rng))
            reason = "secondary rate limit"
        else:
            wait, reason = policy.jittered(attempt, rng), "rate limited"
        if wait > policy.max_wait_seconds:
            return RetryDecision(False, wait, f"{reason}: wait {wait:.0f}s exceeds the cap")
        return RetryDecision(True, wait, reason)
    if 500 <= status <= 599:
        return RetryDecision(True, policy.jittered(attempt, rng), f"server error {status}")
    return RetryDecision(False, 0.0, f"HTTP {status} is not retryable")


def decide_network_retry(
    attempt: int, *, policy: BackoffPolicy, rng: Callable[[], float]
) -> RetryDecision:
    return RetryDecision(True, policy.jittered(attempt, rng), "network error")
