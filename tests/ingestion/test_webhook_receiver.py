"""The webhook receiver over real HTTP, with a real SQLite control plane."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ingestion.webhooks import ReceiverThread, create_webhook_app, sign_sha256
from warden.controlplane import ControlPlane, connect_control_plane
from warden.settings import Settings

CONTRACTS = Path("/work/shared/contracts/github/webhooks")
SECRETS = {"acme": "acme-hook-secret-6f1d", "globex": "globex-hook-secret-93ab"}


def secret_env(tenant: str) -> str:
    return f"WARDEN_TEST_HOOK_SECRET_{tenant.upper()}"


@pytest.fixture()
def control_plane(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ControlPlane]:
    cp = connect_control_plane(f"sqlite:///{tmp_path / 'control-plane.sqlite'}")
    for tenant, secret in SECRETS.items():
        monkeypatch.setenv(secret_env(tenant), secret)
        cp.create_tenant(tenant, tenant.title(), actor="test")
        cp.add_integration(
            tenant,
            name="github",
            kind="scm",
            provider="github",
            config={},
            credential_ref=None,
            webhook_secret_ref=f"env:{secret_env(tenant)}",
            actor="test",
        )
    yield cp
    cp.dispose()


def start_receiver(cp: ControlPlane, tmp_path: Path, **overrides: object) -> ReceiverThread:
    settings = Settings(data_dir=tmp_path, _env_file=None, **overrides)  # type: ignore[call-arg]
    return ReceiverThread(create_webhook_app(cp, settings))


@pytest.fixture()
def receiver(control_plane: ControlPlane, tmp_path: Path) -> Iterator[ReceiverThread]:
    with start_receiver(control_plane, tmp_path) as running:
        yield running


def opened_payload() -> bytes:
    return (CONTRACTS / "pull_request.opened.payload.json").read_bytes()


def github_headers(
    body: bytes, secret: str, delivery: str = "d-1", event: str = "pull_request"
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-GitHub-Delivery": delivery,
        "X-GitHub-Event": event,
        "X-Hub-Signature-256": sign_sha256(secret.encode(), body),
    }


def post(
    receiver: ReceiverThread, path: str, body: bytes, headers: dict[str, str]
) -> httpx.Response:
    return httpx.post(f"{receiver.url}{path}", content=body, headers=headers, timeout=10)


def test_signed_delivery_is_accepted_and_stored(receiver, control_plane):
    body = opened_payload()
    response = post(receiver, "/webhooks/acme/github", body, github_headers(body, SECRETS["acme"]))

    assert response.status_code == 202
    answer = response.json()
    assert answer["delivery_id"] == "d-1" and answer["duplicate"] is False
    [row] = control_plane.inbox.pending("acme")
    assert row.seq == answer["seq"]
    assert (row.event, row.action, row.provider) == ("pull_request", "opened", "github")
    assert row.payload.encode() == body
    assert control_plane.inbox.pending("globex") == []


def test_repeated_delivery_is_a_duplicate_with_one_row(receiver, control_plane):
    body = opened_payload()
    headers = github_headers(body, SECRETS["acme"], delivery="same-guid")
    first = post(receiver, "/webhooks/acme/github", body, headers)
    second = post(receiver, "/webhooks/acme/github", body, headers)

    assert (first.status_code, second.status_code) == (202, 202)
    assert first.json()["duplicate"] is False
    assert second.json() == {**first.json(), "duplicate": True}
    assert len(control_plane.inbox.list("acme")) == 1


@pytest.mark.parametrize(
    "signature",
    [None, "sha256=" + "0" * 64, "sha1=abc", "garbage", "sha256="],
    ids=["missing", "wrong-hex", "sha1", "garbage", "empty-hex"],
)
def test_bad_signature_is_refused_and_nothing_stored(receiver, control_plane, signature):
    body = opened_payload()
    headers = github_headers(body, SECRETS["acme"])
    del headers["X-Hub-Signature-256"]
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    response = post(receiver, "/webhooks/acme/github", body, headers)

    assert response.status_code == 401
    assert control_plane.inbox.list("acme") == []


def test_body_changed_after_signing_is_refused(receiver, control_plane):
    body = opened_payload()
    headers = github_headers(body, SECRETS["acme"])
    response = post(
        receiver, "/webhooks/acme/github", body.replace(b"opened", b"closed", 1), headers
    )
    assert response.status_code == 401
    assert control_plane.inbox.list("acme") == []


def test_another_tenants_secret_does_not_verify(receiver, control_plane):
    body = opened_payload()
    response = post(
        receiver, "/webhooks/acme/github", body, github_headers(body, SECRETS["globex"])
    )
    assert response.status_code == 401
    assert control_plane.inbox.list("acme") == []


@pytest.mark.parametrize(
    "path",
    [
        "/webhooks/initech/github",
        "/webhooks/acme/gitlab",
        "/webhooks/ACME/github",
        "/webhooks/a/github",
        "/webhooks/..%2Facme/github",
    ],
)
def test_unknown_or_invalid_address_is_404_with_one_message(receiver, path):
    body = opened_payload()
    response = post(receiver, path, body, github_headers(body, SECRETS["acme"]))
    assert response.status_code == 404
    assert response.json() == {"error": "no webhook endpoint at this address"}


def test_integration_without_webhook_adapter_is_404(control_plane, tmp_path):
    control_plane.add_integration(
        "acme",
        name="tickets",
        kind="tracker",
        provider="folder",
        config={"path": "x"},
        credential_ref=None,
        webhook_secret_ref=f"env:{secret_env('acme')}",
        actor="test",
    )
    body = opened_payload()
    with start_receiver(control_plane, tmp_path) as receiver:
        response = post(
            receiver, "/webhooks/acme/tickets", body, github_headers(body, SECRETS["acme"])
        )
    assert response.status_code == 404
    assert response.json() == {"error": "no webhook endpoint at this address"}


def test_body_over_the_cap_is_413(control_plane, tmp_path):
    body = opened_payload()
    with start_receiver(control_plane, tmp_path, webhook_max_bytes=64) as receiver:
        response = post(
            receiver, "/webhooks/acme/github", body, github_headers(body, SECRETS["acme"])
        )
    assert response.status_code == 413
    assert control_plane.inbox.list("acme") == []


def test_streamed_body_over_the_cap_is_413_without_content_length(control_plane, tmp_path):
    chunks = [b'{"action": "opened", "padding": "', b"x" * 40, b"x" * 40, b'"}']
    body = b"".join(chunks)
    headers = github_headers(body, SECRETS["acme"])

    def stream() -> Iterator[bytes]:
        yield from chunks

    with start_receiver(control_plane, tmp_path, webhook_max_bytes=64) as receiver:
        response = httpx.post(
            f"{receiver.url}/webhooks/acme/github", content=stream(), headers=headers, timeout=10
        )
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert response.status_code == 413
    assert control_plane.inbox.list("acme") == []


def test_body_exactly_at_the_cap_is_accepted(control_plane, tmp_path):
    body = json.dumps({"action": "opened", "pad": "y" * 20}).encode()
    with start_receiver(control_plane, tmp_path, webhook_max_bytes=len(body)) as receiver:
        response = post(
            receiver, "/webhooks/acme/github", body, github_headers(body, SECRETS["acme"])
        )
    assert response.status_code == 202


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"action": "opened"', "JSON"),
        (b'["a", "list"]', "JSON object"),
        (b"\xff\xfe{}", "JSON"),
        (b"", "JSON"),
    ],
    ids=["truncated", "array", "not-utf8", "empty"],
)
def test_signed_but_malformed_body_is_400(receiver, control_plane, body, reason):
    response = post(receiver, "/webhooks/acme/github", body, github_headers(body, SECRETS["acme"]))
    assert response.status_code == 400
    assert reason in response.json()["error"]
    assert control_plane.inbox.list("acme") == []


@pytest.mark.parametrize("header", ["X-GitHub-Delivery", "X-GitHub-Event"])
def test_missing_delivery_header_is_400_naming_it(receiver, control_plane, header):
    body = opened_payload()
    headers = github_headers(body, SECRETS["acme"])
    del headers[header]
    response = post(receiver, "/webhooks/acme/github", body, headers)
    assert response.status_code == 400
    assert header in response.json()["error"]
    assert control_plane.inbox.list("acme") == []


def test_unset_secret_is_503_naming_no_secret(receiver, control_plane, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.delenv(secret_env("acme"))
    body = opened_payload()
    response = post(receiver, "/webhooks/acme/github", body, github_headers(body, SECRETS["acme"]))

    assert response.status_code == 503
    assert secret_env("acme") not in response.text
    assert SECRETS["acme"] not in response.text
    assert SECRETS["acme"] not in caplog.text
    assert control_plane.inbox.list("acme") == []


def test_log_has_one_structured_line_without_secret_or_payload(receiver, caplog):
    caplog.set_level(logging.INFO, logger="ingestion.webhooks")
    body = opened_payload()
    response = post(
        receiver,
        "/webhooks/acme/github",
        body,
        github_headers(body, SECRETS["acme"], delivery="log-me"),
    )
    assert response.status_code == 202

    lines = [r.getMessage() for r in caplog.records if r.name == "ingestion.webhooks"]
    [line] = lines
    fields = json.loads(line.removeprefix("webhook "))
    assert fields["tenant"] == "acme" and fields["integration"] == "github"
    assert fields["delivery_id"] == "log-me" and fields["status"] == 202
    assert isinstance(fields["duration_ms"], float)
    assert SECRETS["acme"] not in caplog.text
    title = json.loads(body)["pull_request"]["title"]
    assert title not in caplog.text


def test_tenants_with_same_integration_and_delivery_id_get_own_rows(receiver, control_plane):
    body = opened_payload()
    answers = {}
    for tenant in ("acme", "globex"):
        headers = github_headers(body, SECRETS[tenant], delivery="colliding-guid")
        response = post(receiver, f"/webhooks/{tenant}/github", body, headers)
        assert response.status_code == 202
        answers[tenant] = response.json()

    assert answers["acme"]["duplicate"] is False and answers["globex"]["duplicate"] is False
    assert answers["acme"]["seq"] != answers["globex"]["seq"]
    [acme_row] = control_plane.inbox.list("acme")
    [globex_row] = control_plane.inbox.list("globex")
    assert acme_row.tenant_id == "acme" and globex_row.tenant_id == "globex"
    assert acme_row.delivery_id == globex_row.delivery_id == "colliding-guid"


def test_healthz_reports_a_reachable_control_plane(receiver):
    response = httpx.get(f"{receiver.url}/healthz", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_is_503_when_control_plane_is_gone(tmp_path):
    db_dir = tmp_path / "gone"
    cp = connect_control_plane(f"sqlite:///{db_dir / 'cp.sqlite'}")
    cp.dispose()
    (db_dir / "cp.sqlite").unlink()
    db_dir.rmdir()
    with start_receiver(cp, tmp_path) as receiver:
        response = httpx.get(f"{receiver.url}/healthz", timeout=10)
    assert response.status_code == 503
