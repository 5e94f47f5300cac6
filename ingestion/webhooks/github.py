"""GitHub webhooks: `X-Hub-Signature-256: sha256=<hex>`, `X-GitHub-Delivery`, `X-GitHub-Event`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ingestion.webhooks.adapters import WebhookAdapter
from ingestion.webhooks.signatures import verify_sha256


class GitHubWebhookAdapter(WebhookAdapter):
    provider: ClassVar[str] = "github"
    signature_header: ClassVar[str] = "X-Hub-Signature-256"
    delivery_header: ClassVar[str] = "X-GitHub-Delivery"
    event_header: ClassVar[str] = "X-GitHub-Event"

    def verify(self, secret: bytes, body: bytes, headers: Mapping[str, str]) -> bool:
        return verify_sha256(secret, body, headers.get(self.signature_header))

    def action(self, event: str, payload: Mapping[str, Any]) -> str | None:
        action = payload.get("action")
        return action if isinstance(action, str) and action else None
