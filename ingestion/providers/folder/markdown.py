"""Markdown structure: ATX headings outside fenced code blocks, sections, anchors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from warden.records import DocumentSection

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
PREAMBLE_ANCHOR = "top"


@dataclass(frozen=True)
class Line:
    text: str  # without the line break
    in_fence: bool  # inside (or opening/closing) a fenced code block


def scan_lines(markdown: str) -> Iterator[Line]:
    """Every line, marked when it belongs to a fenced code block (``` or ~~~)."""
    fence: str | None = None
    for text in markdown.splitlines():
        match = _FENCE.match(text)
        if fence is None:
            if match and not (match[1][0] == "`" and "`" in match[2]):
                fence = match[1]
                yield Line(text, True)
                continue
            yield Line(text, False)
        else:
            closing = (
                match is not None
                and match[1][0] == fence[0]
                and len(match[1]) >= len(fence)
                and not match[2].strip()
            )
            if closing:
                fence = None
            yield Line(text, True)


def heading_of(line: Line) -> tuple[int, str] | None:
    """(level, text) if the line is an ATX heading outside a fence."""
    if line.in_fence:
        return None
    match = _HEADING.match(line.text)
    if match is None:
        return None
    return len(match[1]), (match[2] or "").strip()


def slugify(heading: str) -> str:
    """GitHub-style anchor: lower case, punctuation dropped, spaces to hyphens."""
    slug = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return slug.replace(" ", "-")


def split_sections(markdown: str) -> list[DocumentSection]:
    """Sections by heading. Text before the first heading is a level-0 `top` section.

    Section text is the lines under the heading up to the next heading, fenced blocks
    kept intact (headings inside fences are code, not headings). Anchors are unique.
    """
    sections: list[DocumentSection] = []
    seen: dict[str, int] = {}
    heading, level, body = "", 0, []

    def close() -> None:
        text = "\n".join(body).strip("\n")
        if level == 0 and not text.strip():
            return
        anchor = PREAMBLE_ANCHOR if level == 0 else _unique(slugify(heading), seen)
        sections.append(DocumentSection(heading=heading, level=level, anchor=anchor, text=text))

    for line in scan_lines(markdown):
        found = heading_of(line)
        if found is None:
            body.append(line.text)
            continue
        close()
        (level, heading), body = found, []
    close()
    return sections


def _unique(slug: str, seen: dict[str, int]) -> str:
    count = seen.get(slug, 0)
    seen[slug] = count + 1
    return slug if count == 0 else f"{slug}-{count}"
