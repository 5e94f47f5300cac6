"""Ticket markdown -> Ticket: front matter fields, description, acceptance criteria."""

from __future__ import annotations

import re
from datetime import datetime

from ingestion.providers.folder.frontmatter import as_utc_datetime, split_front_matter
from ingestion.providers.folder.markdown import Line, heading_of, scan_lines
from warden.errors import NormalisationError
from warden.records import Ticket

PROVIDER = "folder"
TICKET_KEY = re.compile(r"[A-Z][A-Z0-9]{1,9}-\d{1,6}")
_CRITERIA_HEADING = re.compile(r"^acceptance[ _-]criteria\s*:?$", re.IGNORECASE)
_CHECKLIST = re.compile(r"^\s*[-*+]\s+\[[ xX]\]\s+(?P<text>.+)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(?P<text>.+)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(?P<text>.+)$")
_GHERKIN = re.compile(r"^\s*(?P<text>(?:Given|When|Then|And|But)\b.+)$", re.IGNORECASE)
_ITEM_PATTERNS = (_CHECKLIST, _BULLET, _NUMBERED, _GHERKIN)


def parse_ticket_markdown(
    text: str, source: str, *, tenant_id: str, fallback_updated_at: datetime
) -> Ticket:
    """One ticket file -> Ticket, or NormalisationError naming what is wrong.

    `source` names the file in errors; `fallback_updated_at` (the file's mtime) is used
    when the front matter has no `updated`.
    """
    front, body = split_front_matter(text)
    if front is None:
        raise NormalisationError(f"{source}: no front matter (expected '---' with key/title)")
    key = front.get("key")
    if key is None or str(key).strip() == "":
        raise NormalisationError(f"{source}: front matter has no 'key'")
    key = str(key).strip()
    if not TICKET_KEY.fullmatch(key):
        raise NormalisationError(
            f"{source}: invalid ticket key {key!r} (expected {TICKET_KEY.pattern})"
        )
    title = str(front.get("title") or "").strip()
    if not title:
        raise NormalisationError(f"{source}: front matter has no 'title'")
    updated = front.get("updated")
    try:
        updated_at = (
            as_utc_datetime(updated, "updated") if updated is not None else fallback_updated_at
        )
    except NormalisationError as exc:
        raise NormalisationError(f"{source}: {exc}") from exc
    description, criteria = split_acceptance_criteria(body)
    return Ticket(
        tenant_id=tenant_id,
        ticket_key=key,
        provider=PROVIDER,
        title=title,
        description=description,
        status=str(front.get("status") or "").strip(),
        acceptance_criteria=criteria,
        url=str(front.get("url") or ""),
        updated_at=updated_at,
    )


def split_acceptance_criteria(body: str) -> tuple[str, list[str]]:
    """(description without the criteria section, the criteria in order)."""
    description: list[str] = []
    section: list[Line] = []
    criteria_level: int | None = None
    for line in scan_lines(body):
        found = heading_of(line)
        if criteria_level is not None and found is not None and found[0] <= criteria_level:
            criteria_level = None
        if found is not None and criteria_level is None and _CRITERIA_HEADING.match(found[1]):
            criteria_level = found[0]
            continue
        if criteria_level is None:
            description.append(line)
        else:
            section.append(line)
    text = "\n".join(item.text for item in description).strip()
    return text, criteria_items(section)


def criteria_items(lines: list[Line]) -> list[str]:
    """Checklist items, bullets, numbered items and Given/When/Then lines, one per string.

    An indented plain line right after an item continues it; fenced blocks are skipped.
    """
    items: list[str] = []
    continuable = False
    for line in lines:
        if line.in_fence or heading_of(line) is not None:
            continuable = False
            continue
        if not line.text.strip():
            continuable = False
            continue
        text = _item_text(line.text)
        if text is not None:
            items.append(text)
            continuable = True
        elif continuable and line.text.startswith((" ", "\t")):
            items[-1] = f"{items[-1]} {line.text.strip()}"
    return items


def _item_text(line: str) -> str | None:
    for pattern in _ITEM_PATTERNS:
        match = pattern.match(line)
        if match:
            return " ".join(match["text"].split())
    return None
