"""The webhook receiver: verify, size-check and store deliveries in the inbox, nothing else.

Order of work per request (nothing is parsed before the signature is verified):
1. tenant slug + integration looked up          -> 404 (one message for every unknown)
2. body read with a size cap                      -> 413
3. the integration's webhook secret resolved      -> 503 (names no secret)
4. signature verified in constant time            -> 401
5. delivery headers present, body a JSON object   -> 400 with the reason
6. stored in the inbox, deduplicated by delivery  -> 202 {delivery_id, seq, duplicate}
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ingestion.webhooks.adapters import (
    InvalidDeliveryError,
    WebhookAdapter,
    adapter_for,
    known_adapters,
)
from warden.controlplane import ControlPlane
from warden.controlplane.rows import IntegrationRow, TenantRow
from warden.errors import InvalidTenantError, NotFoundError, SecretUnavailableError
from warden.secrets import resolve_secret
from warden.settings import Settings
from warden.tenancy import validate_tenant_slug

logger = logging.getLogger("ingestion.webhooks")

NOT_FOUND = "no webhook endpoint at this address"
SECRET_UNAVAILABLE = "webhook secret unavailable for this integration; retry later"  # noqa: S105
BAD_SIGNATURE = "signature missing or invalid"
LOG_FIELD_CHARS = 100


class Rejection(Exception):
    """A request refused with an HTTP status and a message safe to return to the sender."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Target:
    """The tenant's integration a delivery is addressed to, with its vendor adapter."""

    integration: IntegrationRow
    adapter: WebhookAdapter


def create_webhook_app(control_plane: ControlPlane, settings: Settings) -> Starlette:
    """The ASGI app: `POST /webhooks/{tenant}/{integration}` and `GET /healthz`."""
    receiver = _Receiver(control_plane, settings.webhook_max_bytes)
    return Starlette(
        routes=[
            Route("/webhooks/{tenant}/{integration}", receiver.receive, methods=["POST"]),
            Route("/healthz", receiver.healthz, methods=["GET"]),
        ],
        exception_handlers={404: _not_found},
    )


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    """Unrouted paths get the same answer as unknown tenants: no enumeration hints."""
    return JSONResponse({"error": NOT_FOUND}, status_code=404)


class _Receiver:
    def __init__(self, control_plane: ControlPlane, max_bytes: int) -> None:
        self._cp = control_plane
        self._max_bytes = max_bytes

    async def healthz(self, request: Request) -> JSONResponse:
        try:
            await run_in_threadpool(_ping, self._cp.engine)
        except sa.exc.SQLAlchemyError as exc:
            logger.warning("healthz: control plane unavailable (%s)", type(exc).__name__)
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    async def receive(self, request: Request) -> JSONResponse:
        started = time.perf_counter()
        tenant = request.path_params["tenant"]
        name = request.path_params["integration"]
        # request text, JSON-escaped and truncated in the log line; never the body or a secret
        fields: dict[str, Any] = {
            "tenant": tenant[:LOG_FIELD_CHARS],
            "integration": name[:LOG_FIELD_CHARS],
            "delivery_id": _any_delivery_id(request.headers),
        }
        try:
            content, status = await self._handle(request, tenant, name, fields), 202
        except Rejection as rejection:
            content, status = {"error": rejection.message}, rejection.status
        fields["status"] = status
        fields["duration_ms"] = round((time.perf_counter() - started) * 1000, 2)
        logger.info("webhook %s", json.dumps(fields, sort_keys=True))
        return JSONResponse(content, status_code=status)

    async def _handle(
        self, request: Request, tenant: str, name: str, fields: dict[str, Any]
    ) -> dict[str, Any]:
        target = await self._find_target(tenant, name)
        body = await _read_capped(request, self._max_bytes)
        secret = await self._secret(target.integration)
        if not target.adapter.verify(secret, body, request.headers):
            raise Rejection(401, BAD_SIGNATURE)
        payload = _json_object(body)
        try:
            meta = target.adapter.describe(request.headers, payload)
        except InvalidDeliveryError as exc:
            raise Rejection(400, str(exc)) from exc
        fields.update(delivery_id=meta.delivery_id, event=meta.event)
        try:
            seq, created = await run_in_threadpool(
                self._cp.inbox.record,
                tenant_id=tenant,
                integration_id=target.integration.integration_id,
                provider=target.integration.provider,
                delivery_id=meta.delivery_id,
                event=meta.event,
                action=meta.action,
                payload=body,
            )
        except sa.exc.SQLAlchemyError as exc:
            logger.error("webhook inbox write failed (%s)", type(exc).__name__)
            raise Rejection(503, "inbox unavailable; retry the delivery") from exc
        fields["duplicate"] = not created
        return {"delivery_id": meta.delivery_id, "seq": seq, "duplicate": not created}

    async def _find_target(self, tenant: str, name: str) -> Target:
        try:
            validate_tenant_slug(tenant)
            tenant_row, integration = await run_in_threadpool(self._lookup, tenant, name)
        except (InvalidTenantError, NotFoundError) as exc:
            raise Rejection(404, NOT_FOUND) from exc
        except sa.exc.SQLAlchemyError as exc:
            logger.error("webhook control-plane lookup failed (%s)", type(exc).__name__)
            raise Rejection(503, "control plane unavailable; retry the delivery") from exc
        adapter = adapter_for(integration.provider)
        if tenant_row.status != "active" or integration.status != "active" or adapter is None:
            raise Rejection(404, NOT_FOUND)
        return Target(integration=integration, adapter=adapter)

    def _lookup(self, tenant: str, name: str) -> tuple[TenantRow, IntegrationRow]:
        return self._cp.get_tenant(tenant), self._cp.get_integration(tenant, name)

    async def _secret(self, integration: IntegrationRow) -> bytes:
        ref = integration.webhook_secret_ref
        if not ref:
            raise Rejection(503, SECRET_UNAVAILABLE)
        try:
            secret = await run_in_threadpool(resolve_secret, ref)
        except (SecretUnavailableError, ValueError) as exc:
            logger.warning(
                "webhook secret unavailable for integration %s (tenant %s)",
                integration.name,
                integration.tenant_id,
            )
            raise Rejection(503, SECRET_UNAVAILABLE) from exc
        return secret.get_secret_value().encode("utf-8")


def _any_delivery_id(headers: Mapping[str, str]) -> str | None:
    """The delivery id header of any known vendor, for the log line (before verification)."""
    for adapter in known_adapters():
        value = headers.get(adapter.delivery_header)
        if value:
            return value[:LOG_FIELD_CHARS]
    return None


def _ping(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))


async def _read_capped(request: Request, max_bytes: int) -> bytes:
    """The request body, refusing (413) as soon as it is known to exceed `max_bytes`."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise Rejection(400, "malformed Content-Length")
        if int(declared) > max_bytes:
            raise Rejection(413, f"body larger than {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise Rejection(413, f"body larger than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _json_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object (only called on a verified body)."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Rejection(400, "body is not valid UTF-8 JSON") from exc
    if not isinstance(payload, dict):
        raise Rejection(400, "body must be a JSON object")
    return payload
