"""Provider-specific parts of a webhook delivery, behind one small interface.

The receiver does the same steps for every vendor; an adapter says how this vendor names
its headers, signs its bodies and spells the event/action. Adding GitLab (`X-Gitlab-Token`)
is one new module with an adapter and one entry in `_ADAPTERS`.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

#: delivery ids and event names are short printable tokens; anything else is refused
_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$")


class InvalidDeliveryError(ValueError):
    """A signed delivery that is not usable (missing header, not a JSON object, ...)."""


@dataclass(frozen=True)
class DeliveryMeta:
    """What the inbox needs to know about a delivery besides its body."""

    delivery_id: str
    event: str
    action: str | None


class WebhookAdapter(ABC):
    """How one vendor signs and describes its webhook deliveries."""

    provider: ClassVar[str] = ""
    #: header names, for error messages and for senders (tests, sandbox)
    signature_header: ClassVar[str] = ""
    delivery_header: ClassVar[str] = ""
    event_header: ClassVar[str] = ""

    @abstractmethod
    def verify(self, secret: bytes, body: bytes, headers: Mapping[str, str]) -> bool:
        """True if the delivery is authentic. Must compare in constant time."""

    @abstractmethod
    def action(self, event: str, payload: Mapping[str, Any]) -> str | None:
        """The event's action (e.g. `opened`), if the vendor has one."""

    def describe(self, headers: Mapping[str, str], payload: Mapping[str, Any]) -> DeliveryMeta:
        """Delivery id, event and action, or InvalidDeliveryError naming what is wrong."""
        delivery_id = _required_token(headers, self.delivery_header)
        event = _required_token(headers, self.event_header)
        return DeliveryMeta(
            delivery_id=delivery_id, event=event, action=self.action(event, payload)
        )


def _required_token(headers: Mapping[str, str], name: str) -> str:
    value = (headers.get(name) or "").strip()
    if not value:
        raise InvalidDeliveryError(f"missing header {name}")
    if not _TOKEN.fullmatch(value):
        raise InvalidDeliveryError(f"malformed header {name}")
    return value


def adapter_for(provider: str) -> WebhookAdapter | None:
    """The adapter for an integration's provider, or None if it does not receive webhooks."""
    return _known_adapters().get(provider)


def known_adapters() -> list[WebhookAdapter]:
    return list(_known_adapters().values())


@cache
def _known_adapters() -> dict[str, WebhookAdapter]:
    # imported here, not at module top: the adapter modules import this one
    from ingestion.webhooks.github import GitHubWebhookAdapter

    return {GitHubWebhookAdapter.provider: GitHubWebhookAdapter()}
