"""Security rules on ADDED lines: Python via `ast`; JavaScript/TypeScript, Go and Java via
tree-sitter and an intra-file taint walk; Dockerfile, GitHub Actions, Kubernetes and Terraform
via their parsers; language-independent line patterns everywhere. Test files are still
scanned, at reduced confidence."""

from __future__ import annotations

import re

from analysis.context import ReviewContext
from analysis.detectors.config.scanner import CONFIG_LANGUAGES, scan_config
from analysis.detectors.go.scanner import scan_go
from analysis.detectors.java.scanner import scan_java
from analysis.detectors.javascript.scanner import scan_javascript
from analysis.detectors.python.scanner import scan_python_file
from analysis.detectors.security_catalog import SECURITY_RULES, Hit
from analysis.detectors.security_patterns import (
    ANY_FILE_RULES,
    is_comment_line,
    scan_line,
)
from analysis.files import JAVASCRIPT_FAMILY, FileView
from analysis.findings import line_finding
from warden.records import Finding, FindingCategory

_DOC_FILE = re.compile(r"(?i)\.(?:md|markdown|rst|txt|adoc)$")
_PASSWORD_CONTEXT = re.compile(r"(?i)passw|pwd|passphrase")
_PASSWORD_WINDOW = 3
_TEST_CONFIDENCE_FACTOR = 0.5


class SecurityRulesReviewer:
    name = "security_rules"

    def review(self, context: ReviewContext, hints: list[Finding]) -> list[Finding]:
        return [f for view in context.file_views() for f in self.review_file(context, view)]

    def review_file(self, context: ReviewContext, view: FileView) -> list[Finding]:
        if not view.added or _DOC_FILE.search(view.path):
            return []
        hits = _language_hits(view) + _pattern_hits(view)
        return [_to_finding(context, view, hit) for hit in _dedupe(hits)]


def _language_hits(view: FileView) -> list[Hit]:
    """The parser-based hits for the file's language (already limited to added lines)."""
    language = view.language
    if language == "python":
        return scan_python_file(view)
    if language in JAVASCRIPT_FAMILY:
        return scan_javascript(view)
    if language == "go":
        return scan_go(view)
    if language == "java":
        return scan_java(view)
    if language in CONFIG_LANGUAGES:
        return scan_config(view)
    return []


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
