"""Customer standards: enforce `warden-rule` forbid/require regexes on changed files."""

from __future__ import annotations

import re

from analysis.context import ReviewContext
from analysis.detectors.standards_rules import StandardRule, parse_rules
from analysis.files import FileView
from analysis.findings import general_finding, line_finding
from analysis.fingerprint import compute_fingerprint
from warden.records import Finding, FindingCategory

#: lines longer than this are not matched (bounds the cost of customer-written regexes)
MAX_LINE_CHARS = 2000


class StandardsReviewer:
    name = "standards"

    def notes(self, context: ReviewContext) -> list[str]:
        return list(parse_rules(context.documents).notes)

    def review(self, context: ReviewContext, hints: list[Finding]) -> list[Finding]:
        rules = parse_rules(context.documents).rules
        findings: list[Finding] = []
        for view in context.file_views():
            for rule in rules:
                if rule.applies_to(view.path):
                    findings.extend(_forbid_findings(context, view, rule))
                    findings.extend(_require_findings(context, view, rule))
        return findings


def _rule_id(rule: StandardRule) -> str:
    return f"standard:{rule.spec.id}"


def _description(rule: StandardRule) -> str:
    return rule.spec.description or f"the {rule.spec.id} standard"


def _forbid_findings(context: ReviewContext, view: FileView, rule: StandardRule) -> list[Finding]:
    findings: list[Finding] = []
    patterns = [re.compile(pattern) for pattern in rule.spec.forbid]
    for line, text in sorted(view.added.items()):
        if len(text) > MAX_LINE_CHARS:
            continue
        matched = next((p.pattern for p in patterns if p.search(text)), None)
        if matched is None:
            continue
        findings.append(
            line_finding(
                context,
                view,
                line,
                rule_id=_rule_id(rule),
                category=FindingCategory.standards,
                severity=rule.spec.severity,
                confidence=0.9,
                message=f"Breaks a team standard ({rule.citation}): {_description(rule)}",
                suggested_fix=f"Change the line so it no longer matches /{matched}/, "
                f"following {rule.citation}.",
                evidence_source=rule.citation,
            )
        )
    return findings


def _require_findings(context: ReviewContext, view: FileView, rule: StandardRule) -> list[Finding]:
    if view.changed.content is not None:
        text = view.changed.content
    else:
        text = "\n".join(view.added.values())
    lines = [line for line in text.splitlines() if len(line) <= MAX_LINE_CHARS]
    findings: list[Finding] = []
    for pattern in rule.spec.require:
        compiled = re.compile(pattern, re.MULTILINE)
        if any(compiled.search(line) for line in lines):
            continue
        scope = "file" if view.changed.content is not None else "added lines"
        findings.append(
            general_finding(
                context,
                rule_id=_rule_id(rule),
                category=FindingCategory.standards,
                severity=rule.spec.severity,
                confidence=0.85 if view.changed.content is not None else 0.6,
                message=f"Missing what a team standard requires ({rule.citation}): "
                f"{_description(rule)}",
                suggested_fix=f"Add code matching /{pattern}/ to {view.path}, "
                f"following {rule.citation}.",
                evidence=f"no match for /{pattern}/ in the {scope} of {view.path}",
                evidence_source=rule.citation,
                file_path=view.path,
                fingerprint=compute_fingerprint(_rule_id(rule), view.path, f"require:{pattern}"),
            )
        )
    return findings
