"""Replaying the world to a real receiver: order, signatures, and REST state in step."""

from __future__ import annotations

import hashlib
import hmac
import threading

from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ingestion.providers.github.client import GitHubClient
from ingestion.sandbox.server import SandboxGitHub, ServerThread
from ingestion.sandbox.webhooks import WebhookPlayer
from ingestion.sandbox.world import World


def test_player_replays_in_order_with_rest_state_in_step(world: World) -> None:
    received: list[dict] = []
    lock = threading.Lock()
    secrets = {t.tenant_id: t.webhook_secret.encode() for t in world.tenants.values()}

    with SandboxGitHub(world, as_of=world.start) as github:
        clients = {
            t: GitHubClient(
                github.instance_url(t),
                SecretStr(world.tenants[t].api_token),
                timeout=5.0,
                max_retries=0,
            )
            for t in world.tenants
        }

        async def receive(request: Request) -> JSONResponse:
            tenant = request.path_params["tenant"]
            body = await request.body()
            expected = "sha256=" + hmac.new(secrets[tenant], body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, request.headers["x-hub-signature-256"]):
                return JSONResponse({"error": "bad signature"}, 401)
            payload = await request.json()
            pr = payload["pull_request"]
            served = clients[tenant].get_json(
                f"/repos/{payload['repository']['full_name']}/pulls/{pr['number']}"
            )
            with lock:
                received.append(
                    {
                        "tenant": tenant,
                        "delivery": request.headers["x-github-delivery"],
                        "head": pr["head"]["sha"],
                        "served_head": served["head"]["sha"],
                        "served_state": served["state"],
                        "state": pr["state"],
                    }
                )
            return JSONResponse({}, 202)

        app = Starlette(routes=[Route("/webhooks/{tenant}/github", receive, methods=["POST"])])
        receiver = ServerThread(app, name="test-receiver")
        base = receiver.start()
        try:
            until = sorted(e.at for e in world.events())[40]
            played = WebhookPlayer(
                world, base + "/webhooks/{tenant}/github", store=github.store
            ).play(until=until)
        finally:
            receiver.stop()
            for client in clients.values():
                client.close()

    assert played and all(p.status_code == 202 for p in played)
    assert [p.event.at for p in played] == sorted(p.event.at for p in played)
    assert len(received) == len(played)
    assert all(r["head"] == r["served_head"] and r["state"] == r["served_state"] for r in received)
    assert {r["tenant"] for r in received} == {"acme", "globex"}
    assert len({r["delivery"] for r in received}) == len(received)
