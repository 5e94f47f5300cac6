"""Document markdown -> Document: title, kind (declared or inferred), sections."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import PurePosixPath

from ingestion.providers.folder.frontmatter import as_utc_datetime, split_front_matter
from ingestion.providers.folder.markdown import split_sections
from warden.errors import NormalisationError
from warden.records import Document, DocumentSection

PROVIDER = "folder"
KINDS = ("adr", "threat_model", "design", "standard", "doc")
_KIND_ALIASES = {
    "adr": "adr",
    "decision": "adr",
    "threat": "threat_model",
    "threat_model": "threat_model",
    "threat-model": "threat_model",
    "threatmodel": "threat_model",
    "design": "design",
    "standard": "standard",
    "standards": "standard",
    "doc": "doc",
    "docs": "doc",
}
#: (word in the path, kind); the first match wins, checked against each path segment
_PATH_HINTS = (
    (re.compile(r"(^|[^a-z])(adrs?|decisions?)([^a-z]|$)"), "adr"),
    (re.compile(r"threat"), "threat_model"),
    (re.compile(r"standard|guideline|convention"), "standard"),
    (re.compile(r"design"), "design"),
)


def document_id(relative_path: str) -> str:
    return f"folder:{relative_path}"


def infer_kind(relative_path: str) -> str:
    """`adr`, `threat_model`, `standard` or `design` from the path's words, else `doc`."""
    lowered = relative_path.lower()
    for pattern, kind in _PATH_HINTS:
        if pattern.search(lowered):
            return kind
    return "doc"


def normalise_kind(value: object, source: str) -> str:
    kind = _KIND_ALIASES.get(str(value).strip().lower())
    if kind is None:
        raise NormalisationError(f"{source}: unknown document kind {value!r} (one of {KINDS})")
    return kind


def parse_document_markdown(
    text: str, relative_path: str, *, tenant_id: str, fallback_updated_at: datetime
) -> Document:
    """One document file -> Document, or NormalisationError naming what is wrong.

    `relative_path` (posix, relative to the docs folder) gives the id, the path and, when
    the front matter declares no `kind`, the inferred kind.
    """
    front, body = split_front_matter(text)
    front = front or {}
    sections = split_sections(body)
    title = (
        str(front.get("title") or "").strip()
        or _first_heading(sections)
        or (PurePosixPath(relative_path).stem)
    )
    kind = (
        normalise_kind(front["kind"], relative_path)
        if front.get("kind")
        else infer_kind(relative_path)
    )
    updated = front.get("updated")
    try:
        updated_at = (
            as_utc_datetime(updated, "updated") if updated is not None else fallback_updated_at
        )
    except NormalisationError as exc:
        raise NormalisationError(f"{relative_path}: {exc}") from exc
    return Document(
        tenant_id=tenant_id,
        doc_id=document_id(relative_path),
        provider=PROVIDER,
        title=title,
        path=relative_path,
        url=str(front.get("url") or ""),
        kind=kind,
        sections=sections,
        updated_at=updated_at,
    )


def _first_heading(sections: list[DocumentSection]) -> str:
    return next((s.heading for s in sections if s.level == 1 and s.heading), "")
