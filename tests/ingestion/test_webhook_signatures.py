"""HMAC-SHA256 signatures against GitHub's published test vector."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingestion.webhooks.github import GitHubWebhookAdapter
from ingestion.webhooks.signatures import sign_sha256, verify_sha256

VECTOR = json.loads(
    Path("/work/shared/contracts/github/webhook-signature.test-vector.json").read_text()
)
SECRET = VECTOR["secret"].encode()
PAYLOAD = VECTOR["payload"].encode()


def test_sign_matches_githubs_published_vector():
    assert sign_sha256(SECRET, PAYLOAD) == VECTOR["X-Hub-Signature-256"]


def test_verify_accepts_githubs_published_vector():
    assert verify_sha256(SECRET, PAYLOAD, VECTOR["X-Hub-Signature-256"])


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "sha256=",
        VECTOR["signature_hex"],
        "sha1=" + VECTOR["signature_hex"],
        "sha256=" + VECTOR["signature_hex"][:-1] + "0",
        "sha256=ü",
    ],
)
def test_verify_refuses_anything_else(header):
    assert not verify_sha256(SECRET, PAYLOAD, header)


def test_verify_refuses_other_secret_or_body():
    header = VECTOR["X-Hub-Signature-256"]
    assert not verify_sha256(b"another secret", PAYLOAD, header)
    assert not verify_sha256(SECRET, PAYLOAD + b" ", header)
    assert not verify_sha256(b"", PAYLOAD, sign_sha256(b"", PAYLOAD))


def test_github_adapter_reads_its_signature_header():
    adapter = GitHubWebhookAdapter()
    headers = {adapter.signature_header: VECTOR[VECTOR["header"]]}
    assert adapter.verify(SECRET, PAYLOAD, headers)
    assert not adapter.verify(
        SECRET, PAYLOAD, {"X-Hub-Signature": headers[adapter.signature_header]}
    )
