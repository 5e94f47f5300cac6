"""YAML front matter (`---` ... `---` at the top of a markdown file)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import yaml

from warden.errors import NormalisationError

_DELIMITER = "---"


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    """(front matter mapping or None if the file has none, the markdown after it)."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != _DELIMITER:
        return None, text
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in (_DELIMITER, "..."):
            block = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            break
    else:
        raise NormalisationError("front matter is not closed by a '---' line")
    try:
        data = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise NormalisationError(f"front matter is not valid YAML{where}") from exc
    if not isinstance(data, dict):
        raise NormalisationError("front matter must be a YAML mapping")
    return data, body


def as_utc_datetime(value: Any, field: str) -> datetime:
    """A front-matter timestamp (YAML datetime/date or ISO text) as an aware UTC datetime."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise NormalisationError(f"{field!r} is not an ISO 8601 timestamp") from exc
    else:
        raise NormalisationError(f"{field!r} is not a timestamp")
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
