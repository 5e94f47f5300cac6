"""The sandbox serves bodies GitHub's schemas accept, and the webhooks it builds validate."""

from __future__ import annotations

import hashlib
import hmac

import httpx
import pytest
from jsonschema import ValidationError

from ingestion.providers.github.normalize import normalize_changed_file, normalize_pull_request
from ingestion.sandbox.contracts import load_json, validate_rest_response, validate_webhook_payload
from ingestion.sandbox.server import SandboxGitHub
from ingestion.sandbox.webhooks import WebhookPlayer, sign
from ingestion.sandbox.world import World


def auth(world: World, tenant: str = "acme") -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tenants[tenant].api_token}"}


def test_every_pull_and_file_response_validates_and_normalises(
    sandbox: SandboxGitHub, world: World
) -> None:
    for tenant in ("acme", "globex"):
        root = sandbox.instance_url(tenant)
        for repository in world.tenants[tenant].repositories:
            listing = httpx.get(
                f"{root}/repos/{repository}/pulls",
                params={"state": "all", "per_page": 100},
                headers=auth(world, tenant),
            )
            validate_rest_response("pulls.list", listing.json())
            for raw_simple in listing.json():
                raw = httpx.get(
                    f"{root}/repos/{repository}/pulls/{raw_simple['number']}",
                    headers=auth(world, tenant),
                ).json()
                validate_rest_response("pulls.get", raw)
                pr = normalize_pull_request(tenant, raw)
                expected = world.pull_request(tenant, repository, pr.number)
                assert pr.head_sha == expected.latest.head_sha
                assert pr.state == (
                    "merged" if expected.merged else "closed" if expected.closed_at else "open"
                )
                files = httpx.get(
                    f"{root}/repos/{repository}/pulls/{pr.number}/files",
                    headers=auth(world, tenant),
                ).json()
                validate_rest_response("pulls.list-files", files)
                assert [normalize_changed_file(pr, f).path for f in files] == [
                    f.path for f in expected.latest.files
                ]


def test_comment_endpoints_and_rate_limit_validate(sandbox: SandboxGitHub, world: World) -> None:
    root = sandbox.instance_url("acme")
    created = httpx.post(
        f"{root}/repos/platform/api/issues/1/comments", json={"body": "a"}, headers=auth(world)
    )
    assert created.status_code == 201
    validate_rest_response("issues.create-comment", created.json(), 201)
    edited = httpx.patch(
        f"{root}/repos/platform/api/issues/comments/{created.json()['id']}",
        json={"body": "b"},
        headers=auth(world),
    )
    validate_rest_response("issues.update-comment", edited.json())
    listed = httpx.get(f"{root}/repos/platform/api/issues/1/comments", headers=auth(world))
    validate_rest_response("issues.list-comments", listed.json())
    assert [c["body"] for c in listed.json()] == ["b"]
    rate = httpx.get(f"{root}/rate_limit", headers=auth(world))
    validate_rest_response("rate-limit.get", rate.json())
    assert int(rate.headers["x-ratelimit-remaining"]) < 5000


def test_errors_have_githubs_shape(sandbox: SandboxGitHub, world: World) -> None:
    root = sandbox.instance_url("acme")
    unauthorised = httpx.get(f"{root}/repos/platform/api/pulls")
    assert unauthorised.status_code == 401
    assert unauthorised.json()["message"] == "Bad credentials"
    other_tenant = httpx.get(f"{root}/repos/platform/api/pulls", headers=auth(world, "globex"))
    assert other_tenant.status_code == 401  # globex's token does not open acme's instance
    missing = httpx.get(f"{root}/repos/platform/api/pulls/4242", headers=auth(world))
    validate_rest_response("pulls.get", missing.json(), 404)
    bad = httpx.post(f"{root}/repos/platform/api/issues/1/comments", json={}, headers=auth(world))
    assert bad.status_code == 422


def test_files_paginate_30_by_default_and_link_pages(sandbox: SandboxGitHub, world: World) -> None:
    root = sandbox.instance_url("acme")
    listing = httpx.get(
        f"{root}/repos/platform/api/pulls",
        params={"state": "all", "per_page": 2},
        headers=auth(world),
    )
    assert len(listing.json()) == 2
    assert 'rel="next"' in listing.headers["link"] and 'rel="last"' in listing.headers["link"]
    etag = listing.headers["etag"]
    again = httpx.get(
        f"{root}/repos/platform/api/pulls",
        params={"state": "all", "per_page": 2},
        headers={**auth(world), "If-None-Match": etag},
    )
    assert again.status_code == 304 and again.content == b""


def test_the_signature_matches_githubs_published_vector() -> None:
    vector = load_json("webhook-signature.test-vector.json")
    assert sign(vector["secret"], vector["payload"].encode()) == vector["X-Hub-Signature-256"]


def test_every_generated_delivery_validates_and_is_signed(world: World) -> None:
    player = WebhookPlayer(world, "http://127.0.0.1:1/{tenant}")
    seen_actions, ids = set(), set()
    for event, delivery in player.deliveries():
        validate_webhook_payload("pull_request", delivery.payload)
        secret = world.tenants[event.tenant_id].webhook_secret.encode()
        expected = "sha256=" + hmac.new(secret, delivery.body, hashlib.sha256).hexdigest()
        assert delivery.headers["X-Hub-Signature-256"] == expected
        assert delivery.headers["User-Agent"].startswith("GitHub-Hookshot/")
        seen_actions.add((event.action, delivery.payload["pull_request"]["merged"]))
        ids.add(delivery.delivery_id)
    assert {("opened", False), ("synchronize", False), ("closed", True), ("closed", False)} <= (
        seen_actions
    )
    assert len(ids) == len(world.events())  # one id per (tenant, PR, action, head)
    again = {d.delivery_id for _, d in WebhookPlayer(world, "x").deliveries()}
    assert again == ids  # deterministic


def test_a_payload_breaking_the_schema_is_caught(world: World) -> None:
    _, delivery = next(iter(WebhookPlayer(world, "x").deliveries()))
    payload = delivery.payload
    payload["pull_request"]["state"] = "closed"  # opened events must be open
    with pytest.raises(ValidationError, match=r"'open' was expected|is not one of"):
        validate_webhook_payload("pull_request", payload)
