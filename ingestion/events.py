"""Inbox delivery -> canonical record, dispatched by provider and event.

The one place that knows which vendor events Warden acts on. A delivery that cannot be
normalised raises NormalisationError (the caller quarantines it with the reason); an event
Warden does not act on (ping, installation, ...) returns None and is simply processed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from warden.errors import NormalisationError
from warden.records import PullRequest

#: pull_request actions that (re)start a review or change a PR's state
PULL_REQUEST_ACTIONS = frozenset(
    {"opened", "synchronize", "reopened", "edited", "closed", "ready_for_review", "poll"}
)


@dataclass(frozen=True)
class NormalisedDelivery:
    pull_request: PullRequest
    normaliser_version: str


def _github(
    tenant_id: str, event: str, action: str | None, payload: dict
) -> NormalisedDelivery | None:
    from ingestion.providers.github import normalize

    if event != "pull_request" or action not in PULL_REQUEST_ACTIONS:
        return None
    if action == "poll":  # a poll delivery carries the REST pull-request object itself
        pull_request = normalize.normalize_pull_request(tenant_id, payload)
    else:
        pull_request = normalize.normalize_pull_request_event(tenant_id, payload)
    return NormalisedDelivery(pull_request, normalize.NORMALISER_VERSION)


_NORMALISERS: dict[str, Callable[[str, str, str | None, dict], NormalisedDelivery | None]] = {
    "github": _github,
}


def normalize_delivery(
    tenant_id: str, provider: str, event: str, action: str | None, payload: str | bytes
) -> NormalisedDelivery | None:
    """Normalise one stored delivery; None for events Warden does not act on."""
    normaliser = _NORMALISERS.get(provider)
    if normaliser is None:
        raise NormalisationError(f"no webhook normaliser for provider {provider!r}")
    try:
        document = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise NormalisationError(f"payload is not valid JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise NormalisationError("payload is not a JSON object")
    return normaliser(tenant_id, event, action, document)
