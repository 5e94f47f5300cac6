"""Security rules on ADDED lines (Python via `ast`, JavaScript/TypeScript and config files
via per-line patterns). Test files are still scanned, at reduced confidence."""

from __future__ import annotations

import re
import textwrap

from analysis.context import ReviewContext
from analysis.detectors.security_catalog import SECURITY_RULES, Hit
from analysis.detectors.security_patterns import (
    ANY_FILE_RULES,
    JAVASCRIPT_RULES,
    PYTHON_FALLBACK_RULES,
    is_comment_line,
    scan_line,
    strip_comment,
)
from analysis.detectors.security_python import scan_python
from analysis.files import FileView
from analysis.findings import line_finding
from warden.records import Finding, FindingCategory

_DOC_FILE = re.compile(r"(?i)\.(?:md|markdown|rst|txt|adoc)$")
_PASSWORD_CONTEXT = re.compile(r"(?i)passw|pwd|passphrase")
_PASSWORD_WINDOW = 3
_TEST_CONFIDENCE_FACTOR = 0.5
_MAX_STATEMENT_LINES = 8


class SecurityRulesReviewer:
    name = "security_rules"

    def review(self, context: ReviewContext, hints: list[Finding]) -> list[Finding]:
        findings: list[Finding] = []
        for view in context.file_views():
            if not view.added or _DOC_FILE.search(view.path):
                continue
            hits = _python_hits(view) if view.language == "python" else _pattern_hits(view)
            findings.extend(_to_finding(context, view, hit) for hit in _dedupe(hits))
        return findings


def _dedupe(hits: list[Hit]) -> list[Hit]:
    best: dict[tuple[str, int], Hit] = {}
    for hit in hits:
        key = (hit.rule_id, hit.line)
        if key not in best or hit.confidence > best[key].confidence:
            best[key] = hit
    return sorted(best.values(), key=lambda hit: (hit.line, hit.rule_id))


def _on_added_lines(view: FileView, hits: list[Hit]) -> list[Hit]:
    """Keep hits touching an added line; anchor each at its first added line."""
    kept: list[Hit] = []
    for hit in hits:
        touched = [n for n in range(hit.line, hit.end_line + 1) if n in view.added]
        if touched:
            kept.append(Hit(hit.rule_id, touched[0], hit.end_line, hit.confidence, hit.detail))
    return kept


def _python_hits(view: FileView) -> list[Hit]:
    if view.changed.content is not None:
        head_hits = _scan_or_none(view.changed.content)
        if head_hits is not None:
            return _on_added_lines(view, head_hits)
        # the head does not parse (templated, other Python version): use the diff below
    hits: list[Hit] = []
    for hunk in view.patch.hunks:
        new_side = hunk.new_side
        block_hits = _scan_or_none(textwrap.dedent("\n".join(line.text for line in new_side)))
        if block_hits is None:
            hits.extend(
                _python_line_hits(view, [n.new_line for n in new_side if n.kind == "added"])
            )
            continue
        numbers = [line.new_line or 0 for line in new_side]
        hits.extend(
            _on_added_lines(
                view,
                [
                    Hit(
                        h.rule_id,
                        numbers[h.line - 1],
                        numbers[min(h.end_line, len(numbers)) - 1],
                        h.confidence,
                        h.detail,
                    )
                    for h in block_hits
                ],
            )
        )
    return hits


def _python_line_hits(view: FileView, numbers: list[int | None]) -> list[Hit]:
    hits: list[Hit] = []
    for number in numbers:
        if number is None:
            continue
        text = view.added[number]
        if is_comment_line(text, "python"):
            continue
        line_hits = _scan_or_none(text.strip())
        if line_hits is None:
            code = strip_comment(text, ("#",))
            hits.extend(scan_line(code, number, PYTHON_FALLBACK_RULES, code))
        else:
            hits.extend(Hit(h.rule_id, number, number, h.confidence, h.detail) for h in line_hits)
    return hits


def _scan_or_none(source: str) -> list[Hit] | None:
    """AST hits, or None when `source` is not parseable Python on its own."""
    try:
        return scan_python(source)
    except (SyntaxError, ValueError, RecursionError):
        return None


def _pattern_hits(view: FileView) -> list[Hit]:
    rules = ANY_FILE_RULES
    if view.language == "javascript":
        rules = JAVASCRIPT_RULES + ANY_FILE_RULES
    file_text = view.changed.content or "\n".join(view.added.values())
    hits: list[Hit] = []
    for number in sorted(view.added):
        text = view.added[number]
        if is_comment_line(text, view.language):
            continue
        statement = _statement_from(view, number) if view.language == "javascript" else text
        hits.extend(scan_line(statement, number, rules, file_text))
    return hits


def _statement_from(view: FileView, first: int) -> str:
    """The added line joined with the following lines until brackets and backticks close."""
    parts: list[str] = []
    depth = 0
    backticks = 0
    for number in range(first, first + _MAX_STATEMENT_LINES):
        text = view.line_text(number)
        if number != first and not text:
            break
        code = strip_comment(text, ("//",))
        parts.append(code.strip())
        depth += code.count("(") - code.count(")")
        backticks += code.count("`")
        if depth <= 0 and backticks % 2 == 0:
            break
    return " ".join(parts)


def _has_password_context(view: FileView, line: int) -> bool:
    return any(
        _PASSWORD_CONTEXT.search(view.line_text(number))
        for number in range(line - _PASSWORD_WINDOW, line + _PASSWORD_WINDOW + 1)
    )


def _to_finding(context: ReviewContext, view: FileView, hit: Hit) -> Finding:
    rule_id = hit.rule_id
    confidence = hit.confidence
    if rule_id == "weak-hash" and _has_password_context(view, hit.line):
        rule_id, confidence = "weak-password-hash", 0.85
    if view.is_test:
        confidence *= _TEST_CONFIDENCE_FACTOR
    rule = SECURITY_RULES[rule_id]
    return line_finding(
        context,
        view,
        hit.line,
        rule_id=rule.rule_id,
        category=FindingCategory.security,
        severity=rule.severity,
        confidence=confidence,
        cwe=rule.cwe,
        end_line=max(hit.end_line, hit.line),
        message=f"{rule.title}: {hit.detail}. {rule.why}",
        suggested_fix=rule.fix,
    )
