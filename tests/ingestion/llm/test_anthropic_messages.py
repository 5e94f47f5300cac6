"""The Anthropic edge over real HTTP against the local fake Messages API."""

from __future__ import annotations

import logging

import pytest
from pydantic import SecretStr

from ingestion.llm.anthropic_messages import AnthropicMessages
from ingestion.llm.pricing import estimate_cost_usd, price_for
from ingestion.sandbox.anthropic_app import (
    FakeAnthropic,
    error_reply,
    slow_reply,
    text_reply,
    tool_reply,
)
from warden.settings import LlmPrice, Settings

API_KEY = "sk-ant-test-0123456789abcdef"
PRICES = {"claude-sonnet-4-6": LlmPrice(input=3.0, output=15.0, cache_read=0.3, cache_write=3.75)}
REQUEST = {
    "model": "claude-sonnet-4-6",
    "max_tokens": 256,
    "system": [{"type": "text", "text": "sys", "cache_control": {"type": "ephemeral"}}],
    "messages": [{"role": "user", "content": [{"type": "text", "text": "review"}]}],
    "tools": [{"name": "submit_review", "input_schema": {"type": "object"}}],
    "tool_choice": {"type": "tool", "name": "submit_review"},
}


@pytest.fixture
def fake():
    with FakeAnthropic(api_key=API_KEY) as running:
        yield running


def edge(fake: FakeAnthropic, **overrides) -> AnthropicMessages:
    options = {
        "api_key": SecretStr(API_KEY),
        "prices": PRICES,
        "base_url": fake.url,
        "timeout_seconds": 5.0,
        "max_retries": 2,
        "max_retry_wait_seconds": 5.0,
    }
    return AnthropicMessages(**{**options, **overrides})


def test_request_goes_out_as_sent_with_bearer_auth(fake) -> None:
    reply = edge(fake).create(REQUEST)
    (sent,) = fake.store.requests
    assert sent.body["tools"] == REQUEST["tools"]
    assert sent.body["tool_choice"] == REQUEST["tool_choice"]
    assert sent.body["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert sent.body["model"] == "claude-sonnet-4-6"
    assert sent.headers["authorization"] == f"Bearer {API_KEY}"
    assert sent.headers["anthropic-version"]
    assert reply["type"] == "message" and reply["content"][0]["type"] == "tool_use"


def test_usage_and_cost_are_mapped(fake) -> None:
    fake.store.script(
        tool_reply(
            {"findings": [], "criteria": []},
            input_tokens=1000,
            output_tokens=200,
            cache_read_input_tokens=5000,
            cache_creation_input_tokens=100,
        )
    )
    usage = edge(fake).create(REQUEST)["usage"]
    assert usage["input_tokens"] == 1000 and usage["cache_read_input_tokens"] == 5000
    expected = (1000 * 3.0 + 200 * 15.0 + 5000 * 0.3 + 100 * 3.75) / 1_000_000
    assert usage["cost_usd"] == pytest.approx(expected)


@pytest.mark.parametrize("status", [429, 529])
def test_rate_limits_and_overload_are_retried(fake, status) -> None:
    fake.store.script(
        error_reply(status, retry_after="0.05"), tool_reply({"findings": [], "criteria": []})
    )
    reply = edge(fake).create(REQUEST)
    assert reply["type"] == "message"
    attempts = fake.store.requests
    assert [r.headers.get("x-stainless-retry-count") for r in attempts] == ["0", "1"]


def test_retry_after_is_honoured(fake) -> None:
    # without the header the SDK's first backoff is at most 0.5 s; the server asks for 1.2 s
    fake.store.script(
        error_reply(429, retry_after="1.2"), tool_reply({"findings": [], "criteria": []})
    )
    edge(fake).create(REQUEST)
    first, second = fake.store.requests
    assert second.received_at - first.received_at >= 1.1


def test_a_wait_beyond_the_cap_ends_the_call_without_sleeping(fake) -> None:
    fake.store.script(error_reply(529, retry_after="3600"))
    reply = edge(fake, max_retry_wait_seconds=1.0).create(REQUEST)
    assert reply["type"] == "error" and reply["error"]["type"] == "overloaded_error"
    assert "3600s" in reply["error"]["message"]
    assert len(fake.store.requests) == 1


def test_retries_run_out_into_an_error_reply(fake) -> None:
    fake.store.script(*(error_reply(429, retry_after="0.01") for _ in range(3)))
    reply = edge(fake).create(REQUEST)
    assert reply["error"]["type"] == "rate_limit_error"
    assert len(fake.store.requests) == 3  # first try + max_retries


def test_timeout_becomes_a_timeout_error(fake) -> None:
    fake.store.script(slow_reply(1.0))
    reply = edge(fake, timeout_seconds=0.2, max_retries=0).create(REQUEST)
    assert reply == {
        "type": "error",
        "error": {"type": "timeout_error", "message": "no reply within 0.2s"},
    }


def test_the_key_never_leaks_into_errors_or_logs(fake, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    fake.store.script(error_reply(400, f"bad request from key {API_KEY}"))
    reply = edge(fake).create(REQUEST)
    assert reply["error"]["type"] == "invalid_request_error"
    assert API_KEY not in str(reply) and "[redacted]" in reply["error"]["message"]
    wrong = AnthropicMessages(api_key=SecretStr("sk-wrong"), prices=PRICES, base_url=fake.url)
    assert wrong.create(REQUEST)["error"]["type"] == "authentication_error"
    assert API_KEY not in caplog.text and "sk-wrong" not in caplog.text


def test_text_reply_is_passed_through_for_the_reviewer_to_judge(fake) -> None:
    fake.store.script(text_reply("LGTM, approved!"))
    reply = edge(fake).create(REQUEST)
    assert reply["stop_reason"] == "end_turn"
    assert reply["content"] == [{"type": "text", "text": "LGTM, approved!"}]


def test_settings_build_the_edge(fake, tmp_path) -> None:
    settings = Settings(
        _env_file=None, data_dir=tmp_path, anthropic_api_key=API_KEY, anthropic_base_url=fake.url
    )
    assert AnthropicMessages.from_settings(settings).create(REQUEST)["type"] == "message"


def test_prices_match_dated_models_by_family_and_unknown_models_pay_the_most() -> None:
    table = {
        **PRICES,
        "claude-haiku-4-5": LlmPrice(input=1.0, output=5.0, cache_read=0.1, cache_write=1.25),
    }
    assert price_for("claude-haiku-4-5-20251001", table) == table["claude-haiku-4-5"]
    assert price_for("some-new-model", table) == table["claude-sonnet-4-6"]
    assert estimate_cost_usd(None, input_tokens=10, output_tokens=10) == 0.0
