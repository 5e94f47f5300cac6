"""Helpers: scan a Python file added (or changed) by a PR through `scan_python_file`."""

from __future__ import annotations

import textwrap

from analysis.detectors.python.scanner import scan_python_file
from analysis.detectors.security_catalog import SECURITY_RULES, Hit
from analysis.files import FileView

MARK = "# <-"


def scan(
    build,
    source: str,
    *,
    path: str = "app/views.py",
    before: str | None = None,
    with_content: bool = True,
) -> list[Hit]:
    after = textwrap.dedent(source).strip("\n").splitlines()
    old = textwrap.dedent(before).strip("\n").splitlines() if before is not None else None
    hits = scan_python_file(FileView(build.file(path, after, old, with_content=with_content)))
    assert all(hit.rule_id in SECURITY_RULES for hit in hits)
    return hits


def marked_line(source: str) -> int:
    lines = textwrap.dedent(source).strip("\n").splitlines()
    return next(number for number, text in enumerate(lines, 1) if MARK in text)


def rules(hits: list[Hit]) -> set[str]:
    return {hit.rule_id for hit in hits}
