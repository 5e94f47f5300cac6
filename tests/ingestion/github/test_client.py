"""GitHubClient against the running sandbox over real HTTP on 127.0.0.1."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from ingestion.providers.base import ProviderError
from ingestion.providers.github.client import GitHubClient
from ingestion.sandbox.server import SandboxGitHub
from ingestion.sandbox.world import World


class RecordingTransport(httpx.BaseTransport):
    """Real HTTP underneath; remembers what went out and what came back."""

    def __init__(self, fail_first_with: Exception | None = None) -> None:
        self._inner = httpx.HTTPTransport()
        self._fail = fail_first_with
        self.requests: list[httpx.Request] = []
        self.statuses: list[int] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self._fail is not None:
            error, self._fail = self._fail, None
            raise error
        response = self._inner.handle_request(request)
        self.statuses.append(response.status_code)
        return response

    def close(self) -> None:
        self._inner.close()


def make_client(sandbox: SandboxGitHub, world: World, tenant: str = "acme", **kwargs):
    sleeps: list[float] = []
    transport = kwargs.pop("transport", None) or RecordingTransport()
    client = GitHubClient(
        sandbox.instance_url(tenant),
        SecretStr(kwargs.pop("token", world.tenants[tenant].api_token)),
        timeout=5.0,
        max_retries=kwargs.pop("max_retries", 3),
        transport=transport,
        sleep=sleeps.append,
        rng=lambda: 0.5,
        **kwargs,
    )
    return client, transport, sleeps


def test_paginate_follows_link_headers_across_pages(sandbox: SandboxGitHub, world: World) -> None:
    client, transport, _ = make_client(sandbox, world)
    expected = {pr.number for pr in world.pull_requests("acme") if pr.repository == "platform/api"}
    numbers = [
        raw["number"]
        for raw in client.paginate("/repos/platform/api/pulls", {"state": "all", "per_page": 4})
    ]
    assert sorted(numbers) == sorted(expected) and len(numbers) == len(set(numbers))
    assert len(transport.requests) == -(-len(expected) // 4)  # one request per page
    assert "page=2" in str(transport.requests[1].url)


def test_requests_carry_auth_version_and_media_type(sandbox: SandboxGitHub, world: World) -> None:
    client, transport, _ = make_client(sandbox, world)
    client.get_json("/rate_limit")
    sent = transport.requests[0].headers
    assert sent["authorization"] == f"Bearer {world.tenants['acme'].api_token}"
    assert sent["x-github-api-version"] == "2022-11-28"
    assert sent["accept"] == "application/vnd.github+json"
    assert sent["user-agent"].startswith("warden")


def test_wrong_token_raises_provider_error_without_the_token(
    sandbox: SandboxGitHub, world: World
) -> None:
    secret = "wrong-token-that-must-not-leak"
    client, _, sleeps = make_client(sandbox, world, token=secret)
    with pytest.raises(ProviderError) as caught:
        client.get_json("/repos/platform/api/pulls")
    assert caught.value.status_code == 401
    assert "GET /repos/platform/api/pulls" in str(caught.value)
    assert secret not in str(caught.value) and secret not in repr(caught.value.args)
    assert sleeps == []  # 401 is not retried


def test_injected_502s_are_retried_with_backoff(sandbox: SandboxGitHub, world: World) -> None:
    client, transport, sleeps = make_client(sandbox, world)
    sandbox.inject_faults("acme", 502, count=2)
    body = client.get_json("/repos/platform/api/pulls/1")
    assert body["number"] == 1
    assert sleeps == [0.5, 1.0]  # rng 0.5 x (1s, 2s)
    assert transport.statuses == [502, 502, 200]


def test_429_with_retry_after_waits_that_long(sandbox: SandboxGitHub, world: World) -> None:
    client, _, sleeps = make_client(sandbox, world)
    sandbox.inject_faults("acme", 429, count=1, retry_after=3)
    assert client.get_json("/repos/platform/api/pulls/1")["number"] == 1
    assert sleeps == [3.0]


def test_secondary_rate_limit_403_is_retried(sandbox: SandboxGitHub, world: World) -> None:
    client, _, sleeps = make_client(sandbox, world)
    sandbox.inject_faults("acme", 403, count=1, retry_after=2)
    assert client.get_json("/repos/platform/api/pulls/1")["number"] == 1
    assert sleeps == [2.0]


def test_gives_up_after_max_retries(sandbox: SandboxGitHub, world: World) -> None:
    client, transport, sleeps = make_client(sandbox, world, max_retries=2)
    sandbox.inject_faults("acme", 503, count=3)
    with pytest.raises(ProviderError, match="gave up after 3 attempt") as caught:
        client.get_json("/repos/platform/api/pulls/1")
    assert caught.value.status_code == 503
    assert len(transport.requests) == 3 and len(sleeps) == 2


def test_network_errors_are_retried(sandbox: SandboxGitHub, world: World) -> None:
    transport = RecordingTransport(fail_first_with=httpx.ConnectError("connection refused"))
    client, _, sleeps = make_client(sandbox, world, transport=transport)
    assert client.get_json("/repos/platform/api/pulls/1")["number"] == 1
    assert sleeps == [0.5] and len(transport.requests) == 2


def test_etag_turns_a_repeat_get_into_a_304(sandbox: SandboxGitHub, world: World) -> None:
    client, transport, _ = make_client(sandbox, world)
    first = client.get_json("/repos/platform/api/pulls/1")
    second = client.get_json("/repos/platform/api/pulls/1")
    assert second == first
    assert transport.statuses == [200, 304]
    assert transport.requests[1].headers["if-none-match"].startswith('"')
    assert "if-none-match" not in transport.requests[0].headers


def test_unknown_pull_request_is_a_404_provider_error(sandbox: SandboxGitHub, world: World) -> None:
    client, _, _ = make_client(sandbox, world)
    with pytest.raises(ProviderError) as caught:
        client.get_json("/repos/platform/api/pulls/9999")
    assert caught.value.status_code == 404
