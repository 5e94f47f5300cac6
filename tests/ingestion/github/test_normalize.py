"""Contract tests: GitHub payloads (real examples and generated ones) -> canonical records."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from ingestion.providers.github.normalize import (
    normalize_changed_file,
    normalize_pull_request,
    normalize_pull_request_event,
)
from ingestion.sandbox.contracts import github_contracts_dir, load_json
from ingestion.sandbox.webhooks import build_payload, default_roots
from ingestion.sandbox.world import World
from warden.errors import NormalisationError
from warden.records import pull_request_key

EXAMPLES = sorted((github_contracts_dir() / "webhooks").glob("pull_request.*.payload.json"))


def test_the_contract_examples_are_present() -> None:
    assert {p.name.split(".")[1] for p in EXAMPLES} >= {"opened", "synchronize", "closed"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_delivery_normalises(path: Path) -> None:
    payload = json.loads(path.read_text())
    pr = normalize_pull_request_event("acme", payload)
    raw = payload["pull_request"]
    assert pr.tenant_id == "acme"
    assert pr.repository == payload["repository"]["full_name"]
    assert pr.number == payload["number"] == raw["number"]
    assert pr.pr_key == pull_request_key("github", pr.repository, pr.number)
    assert pr.head_sha == raw["head"]["sha"] and pr.base_ref == raw["base"]["ref"]
    assert pr.author == raw["user"]["login"]
    expected_state = "merged" if raw["merged"] else raw["state"]
    assert pr.state == expected_state


def test_a_merged_close_becomes_state_merged(world: World) -> None:
    merged = next(pr for pr in world.pull_requests() if pr.merged)
    event = next(
        e
        for e in world.events()
        if (e.tenant_id, e.repository, e.number, e.action)
        == (merged.tenant_id, merged.repository, merged.number, "closed")
    )
    payload = build_payload(merged, event, default_roots(merged.tenant_id))
    pr = normalize_pull_request_event(merged.tenant_id, payload)
    assert pr.state == "merged"
    assert pr.merged_at == merged.closed_at


def test_the_rest_pull_request_example_normalises() -> None:
    raw = load_json("rest/pulls.get.json")["responses"]["200"]["content"]["application/json"]
    pr = normalize_pull_request("globex", raw["examples"]["default"]["value"])
    assert (pr.repository, pr.number) == ("octocat/Hello-World", 1347)
    assert pr.state == "merged"  # the example carries merged_at
    assert (pr.additions, pr.deletions, pr.changed_files) == (100, 3, 5)


def _opened() -> dict:
    return json.loads(
        (github_contracts_dir() / "webhooks/pull_request.opened.payload.json").read_text()
    )


def _without(payload: dict, dotted: str) -> dict:
    target = payload
    *parents, last = dotted.split(".")
    for key in parents:
        target = target[key]
    del target[last]
    return payload


def _with(payload: dict, dotted: str, value: object) -> dict:
    target = payload
    *parents, last = dotted.split(".")
    for key in parents:
        target = target[key]
    target[last] = value
    return payload


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda p: _without(p, "pull_request"), "pull_request: missing"),
        (lambda p: _without(p, "pull_request.head.sha"), "pull_request.head.sha: missing"),
        (lambda p: _with(p, "pull_request.number", "2"), "number: expected an integer"),
        (lambda p: _with(p, "pull_request.created_at", "yesterday"), "not an ISO 8601"),
        (lambda p: _with(p, "pull_request.state", "draft"), "expected 'open' or 'closed'"),
        (lambda p: _with(p, "action", "labeled"), "'labeled' is not handled"),
        (lambda p: _without(p, "action"), "payload.action"),
        (lambda p: _with(p, "number", 99), "does not match"),
        (lambda p: _with(p, "repository", None), "repository: expected an object"),
        (lambda p: _with(p, "pull_request.title", None), "title: expected a string"),
    ],
)
def test_malformed_deliveries_raise_with_a_precise_reason(mutate, reason: str) -> None:
    with pytest.raises(NormalisationError, match=reason):
        normalize_pull_request_event("acme", mutate(_opened()))


def test_a_non_object_payload_is_rejected() -> None:
    with pytest.raises(NormalisationError, match="expected an object"):
        normalize_pull_request_event("acme", ["not", "a", "payload"])


def test_a_bad_tenant_id_is_a_normalisation_error_not_a_crash() -> None:
    with pytest.raises(NormalisationError):
        normalize_pull_request_event("Not A Slug!", _opened())


def test_a_file_without_patch_keeps_patch_none() -> None:
    pr = normalize_pull_request_event("acme", _opened())
    entry = load_json("rest/pulls.list-files.json")["responses"]["200"]["content"][
        "application/json"
    ]["examples"]["default"]["value"][0]
    with_patch = normalize_changed_file(pr, entry)
    binary = copy.deepcopy(entry)
    del binary["patch"]
    assert with_patch.patch == entry["patch"] and with_patch.path == entry["filename"]
    assert normalize_changed_file(pr, binary).patch is None
    with pytest.raises(NormalisationError, match="unknown file status"):
        normalize_changed_file(pr, {**entry, "status": "exploded"})
