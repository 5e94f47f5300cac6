"""Python security checks on the syntax tree (comments and string contents never match).

The analysis lives in `analysis.detectors.python` (taint tracking, rule modules, route
guards); `scan_python_file(view)` there is the entry point for a changed file. This module
keeps the text-level entry point: `scan_python(source)` returns Hits in `source`'s own
line numbering and the caller maps them onto the added lines of the diff.
"""

from __future__ import annotations

from analysis.detectors.python.scanner import scan_python_file, scan_python_source
from analysis.detectors.security_catalog import Hit

__all__ = ["scan_python", "scan_python_file"]


def scan_python(source: str) -> list[Hit]:
    """Hits in `source` (the best per rule and line); raises SyntaxError when it does not
    parse."""
    best: dict[tuple[str, int], Hit] = {}
    for hit in scan_python_source(source):
        key = (hit.rule_id, hit.line)
        if key not in best or hit.confidence > best[key].confidence:
            best[key] = hit
    return sorted(best.values(), key=lambda hit: (hit.line, hit.rule_id))
