"""Retry decisions (pure): backoff with jitter, Retry-After, rate-limit headers, caps."""

from __future__ import annotations

import pytest

from ingestion.providers.github.ratelimit import (
    SECONDARY_LIMIT_MIN_WAIT,
    BackoffPolicy,
    decide_http_retry,
)

POLICY = BackoffPolicy(base_seconds=1.0, cap_seconds=8.0, max_wait_seconds=120.0)


def decide(
    status: int,
    headers: dict | None = None,
    message: str = "",
    attempt: int = 0,
    rng: float = 1.0,
    now: float = 1_000.0,
):
    return decide_http_retry(
        status, headers or {}, message, attempt, policy=POLICY, rng=lambda: rng, now_epoch=now
    )


@pytest.mark.parametrize(
    ("attempt", "expected"), [(0, 1.0), (1, 2.0), (2, 4.0), (3, 8.0), (6, 8.0)]
)
def test_server_errors_back_off_exponentially_up_to_the_cap(attempt: int, expected: float) -> None:
    decision = decide(502, attempt=attempt)
    assert decision.retry and decision.wait_seconds == expected


def test_full_jitter_scales_the_wait() -> None:
    assert decide(503, attempt=2, rng=0.25).wait_seconds == 1.0


def test_retry_after_wins_for_429() -> None:
    decision = decide(429, {"retry-after": "7"}, attempt=3)
    assert decision.retry and decision.wait_seconds == 7.0


def test_primary_limit_waits_until_reset() -> None:
    decision = decide(403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1030"}, now=1000.0)
    assert decision.retry and decision.wait_seconds == 30.0


def test_secondary_limit_without_headers_waits_at_least_a_minute() -> None:
    decision = decide(403, message="You have exceeded a secondary rate limit.", rng=0.0)
    assert decision.retry and decision.wait_seconds == SECONDARY_LIMIT_MIN_WAIT


def test_a_plain_403_or_404_is_not_retried() -> None:
    assert not decide(403, message="Resource not accessible by integration").retry
    assert not decide(404).retry


def test_a_wait_longer_than_the_cap_gives_up() -> None:
    decision = decide(429, {"retry-after": "3600"})
    assert not decision.retry and "exceeds the cap" in decision.reason
