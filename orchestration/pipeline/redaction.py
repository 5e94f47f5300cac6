"""Secrets never reach landing: vendor payloads and code are masked before they are written.

The review itself runs on the real text in memory (it has to see a key to report it); what
is persisted — canonical rows and raw payloads alike — goes through these functions.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from analysis.masking import mask_secrets_in_text
from warden.records import Record

RecordT = TypeVar("RecordT", bound=Record)


def redact_text(text: str | None) -> str | None:
    """Mask every secret-looking span, line by line (multi-line text keeps its shape)."""
    if text is None:
        return None
    return "\n".join(mask_secrets_in_text(line) for line in text.split("\n"))


def redact_json(value: Any) -> Any:
    """Mask secrets in every string of a decoded JSON document."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, list):
        return [redact_json(item) for item in value]
    if isinstance(value, dict):
        return {key: redact_json(item) for key, item in value.items()}
    return value


def redact_raw(raw: Any) -> Any:
    """A raw payload as landed: JSON text or a decoded document, masked."""
    if isinstance(raw, str | bytes):
        text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        try:
            return json.dumps(redact_json(json.loads(text)), sort_keys=True)
        except ValueError:
            return redact_text(text)
    return redact_json(raw)


def redact_record(record: RecordT) -> RecordT:
    """The same canonical record with every text field masked (code, bodies, criteria)."""
    return type(record).model_validate(redact_json(record.model_dump(mode="json")))
