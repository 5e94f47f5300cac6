"""Security rules on ADDED lines: Python via `ast`; JavaScript/TypeScript, Go and Java via
tree-sitter and an intra-file taint walk; Dockerfile, GitHub Actions, Kubernetes and Terraform
via their parsers; language-independent line patterns everywhere. Test files are still
scanned, at reduced confidence."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable

from analysis.context import ReviewContext
from analysis.detectors.security_catalog import SECURITY_RULES, Hit
from analysis.detectors.security_patterns import (
    ANY_FILE_RULES,
    is_comment_line,
    scan_line,
)
from analysis.files import CONFIG_LANGUAGES, JAVASCRIPT_FAMILY, FileView
from analysis.findings import line_finding
from warden.records import Finding, FindingCategory

_DOC_FILE = re.compile(r"(?i)\.(?:md|markdown|rst|txt|adoc)$")
_PASSWORD_CONTEXT = re.compile(r"(?i)passw|pwd|passphrase")
_PASSWORD_WINDOW = 3
_TEST_CONFIDENCE_FACTOR = 0.5

Scanner = Callable[[FileView], list[Hit]]

#: language -> the parser-based scanner ("module:function"), imported on first use so that
#: a change in one language does not pay for the other languages' parsers and rules
SCANNERS: dict[str, str] = {
    "python": "analysis.detectors.python.scanner:scan_python_file",
    **{lang: "analysis.detectors.javascript.scanner:scan_javascript" for lang in JAVASCRIPT_FAMILY},
    "go": "analysis.detectors.go.scanner:scan_go",
    "java": "analysis.detectors.java.scanner:scan_java",
    **{lang: "analysis.detectors.config.scanner:scan_config" for lang in CONFIG_LANGUAGES},
}
_loaded: dict[str, Scanner] = {}


def scanner_for(language: str) -> Scanner | None:
    """The scanner of `language` (None when only line patterns apply), imported once."""
    target = SCANNERS.get(language)
    if target is None:
        return None
    if target not in _loaded:
        module, _, function = target.partition(":")
        _loaded[target] = getattr(importlib.import_module(module), function)
    return _loaded[target]


class SecurityRulesReviewer:
    name = "security_rules"

    def review(self, context: ReviewContext, hints: list[Finding]) -> list[Finding]:
        return [f for view in context.file_views() for f in self.review_file(context, view)]

    def prepare(self, views: Iterable[FileView]) -> None:
        """Import the scanners these files need (before file workers fork)."""
        for view in views:
            scanner_for(view.language)

    def review_file(self, context: ReviewContext, view: FileView) -> list[Finding]:
        if not view.added or _DOC_FILE.search(view.path):
            return []
        hits = _language_hits(view) + _pattern_hits(view)
        return [_to_finding(context, view, hit) for hit in _dedupe(hits)]


def _language_hits(view: FileView) -> list[Hit]:
    """The parser-based hits for the file's language (already limited to added lines)."""
    scanner = scanner_for(view.language)
    return scanner(view) if scanner is not None else []


def _dedupe(hits: list[Hit]) -> list[Hit]:
    best: dict[tuple[str, int], Hit] = {}
    for hit in hits:
        key = (hit.rule_id, hit.line)
        if key not in best or hit.confidence > best[key].confidence:
            best[key] = hit
    return sorted(best.values(), key=lambda hit: (hit.line, hit.rule_id))


def _pattern_hits(view: FileView) -> list[Hit]:
    """Language-independent line patterns (TLS env switches, wildcard CORS headers)."""
    if view.language == "python":
        return []
    file_text = view.changed.content or "\n".join(view.added.values())
    hits: list[Hit] = []
    for number in sorted(view.added):
        text = view.added[number]
        if is_comment_line(text, view.language):
            continue
        hits.extend(scan_line(text, number, ANY_FILE_RULES, file_text))
    return hits


def _has_password_context(view: FileView, line: int) -> bool:
    return any(
        _PASSWORD_CONTEXT.search(view.line_text(number))
        for number in range(line - _PASSWORD_WINDOW, line + _PASSWORD_WINDOW + 1)
    )


def _to_finding(context: ReviewContext, view: FileView, hit: Hit) -> Finding:
    rule_id = hit.rule_id
    confidence = hit.confidence
    severity = hit.severity
    if rule_id == "weak-hash" and _has_password_context(view, hit.line):
        rule_id, confidence, severity = "weak-password-hash", 0.85, None
    if view.is_test:
        confidence *= _TEST_CONFIDENCE_FACTOR
    rule = SECURITY_RULES[rule_id]
    return line_finding(
        context,
        view,
        hit.line,
        rule_id=rule.rule_id,
        category=FindingCategory.security,
        severity=severity or rule.severity,
        confidence=confidence,
        cwe=rule.cwe,
        end_line=max(hit.end_line, hit.line),
        message=f"{rule.title}: {hit.detail}. {rule.why}",
        suggested_fix=rule.fix,
        evidence=hit.evidence,
    )
