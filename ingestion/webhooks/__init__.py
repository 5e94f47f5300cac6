"""Webhook receiver: verify a delivery's signature, size and tenant, then store it in the inbox.

Public surface: `create_webhook_app`, `serve`, `ReceiverThread`, `sign_sha256`,
`verify_sha256`, `adapter_for`.
"""

from ingestion.webhooks.adapters import WebhookAdapter, adapter_for
from ingestion.webhooks.app import create_webhook_app
from ingestion.webhooks.server import ReceiverThread, serve
from ingestion.webhooks.signatures import sign_sha256, verify_sha256

__all__ = [
    "ReceiverThread",
    "WebhookAdapter",
    "adapter_for",
    "create_webhook_app",
    "serve",
    "sign_sha256",
    "verify_sha256",
]
