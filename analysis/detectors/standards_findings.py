"""Line findings for the standards detectors, with the occurrence index computed from a
per-file cache of normalised lines (the same fingerprint `analysis.findings.line_finding`
gives, without re-normalising the file for every finding)."""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from analysis.context import ReviewContext
from analysis.files import FileView
from analysis.findings import general_finding
from analysis.fingerprint import compute_fingerprint, normalise_content
from warden.records import ChangedFile, Finding, FindingCategory, Severity

_MAX_CACHED_FILES = 256
_cache: OrderedDict[tuple[str, int], tuple[ChangedFile, list[str], bool]] = OrderedDict()
_lock = Lock()


def _normalised(view: FileView) -> tuple[list[str], bool]:
    """(normalised lines, whether they are the head lines) for `view`, cached."""
    key = (view.path, id(view.changed))
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] is view.changed:
            _cache.move_to_end(key)
            return hit[1], hit[2]
    head = view.head_lines
    if head is not None:
        lines, is_head = [normalise_content(text) for text in head], True
    else:
        lines, is_head = [normalise_content(t) for _, t in sorted(view.added.items())], False
    with _lock:
        _cache[key] = (view.changed, lines, is_head)
        while len(_cache) > _MAX_CACHED_FILES:
            _cache.popitem(last=False)
    return lines, is_head


def occurrence(view: FileView, line: int) -> int:
    """Same as `FileView.occurrence`: index of this line among identical normalised lines."""
    target = normalise_content(view.line_text(line))
    lines, is_head = _normalised(view)
    if is_head and 1 <= line <= len(lines):
        before = lines[: line - 1]
    else:
        numbers = sorted(view.added)
        before = [text for number, text in zip(numbers, lines, strict=False) if number < line]
        if is_head:
            before = [normalise_content(view.added[n]) for n in numbers if n < line]
    return sum(1 for text in before if text == target)


def standard_line_finding(
    context: ReviewContext,
    view: FileView,
    line: int,
    *,
    rule_id: str,
    severity: Severity,
    confidence: float,
    message: str,
    suggested_fix: str,
    evidence_source: str,
) -> Finding:
    text = view.line_text(line)
    return general_finding(
        context,
        rule_id=rule_id,
        category=FindingCategory.standards,
        severity=severity,
        confidence=confidence,
        message=message,
        suggested_fix=suggested_fix,
        file_path=view.path,
        start_line=line,
        end_line=line,
        evidence=text,
        evidence_source=evidence_source,
        fingerprint=compute_fingerprint(rule_id, view.path, text, occurrence(view, line)),
    )
