"""Customer standards from documents: `warden-rule` regex rules, built-in standards
(`warden-standard` blocks) and threat-model controls, each finding citing its section.

Rules and built-in standards carry their own path globs, so they are enforced from every
document (a retrieval cut would only lose them); threat-model controls are checked against
the code each change touches. `analysis.retrieval` ranks the same sections for the LLM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.context import ReviewContext
from analysis.detectors.builtin_standards import (
    BuiltinStandard,
    SensitiveLoggingSpec,
    check_standard,
    parse_builtin_standards,
)
from analysis.detectors.standards_findings import standard_line_finding
from analysis.detectors.standards_prose import ProseBan, ban_lines, parse_prose_bans
from analysis.detectors.standards_rules import StandardRule, parse_rules
from analysis.detectors.threat_model import (
    Control,
    check_controls,
    parse_controls,
    sensitive_fields,
)
from analysis.files import FileView
from analysis.findings import general_finding
from analysis.fingerprint import compute_fingerprint
from warden.records import Document, Finding, FindingCategory, Severity

#: lines longer than this are not matched (bounds the cost of customer-written regexes)
MAX_LINE_CHARS = 2000


@dataclass(frozen=True)
class ParsedStandards:
    rules: tuple[StandardRule, ...]
    builtins: tuple[BuiltinStandard, ...]
    controls: tuple[Control, ...]
    sensitive_fields: frozenset[str]
    notes: tuple[str, ...]
    prose_bans: tuple[ProseBan, ...] = ()


def parse_standards(documents: list[Document]) -> ParsedStandards:
    parsed_rules = parse_rules(documents)
    builtins, builtin_notes = parse_builtin_standards(documents)
    return ParsedStandards(
        rules=parsed_rules.rules,
        builtins=tuple(builtins),
        controls=tuple(parse_controls(documents)),
        sensitive_fields=sensitive_fields(documents),
        notes=(*parsed_rules.notes, *builtin_notes),
        prose_bans=tuple(parse_prose_bans(documents)),
    )


class StandardsReviewer:
    name = "standards"

    def __init__(self) -> None:
        self._cached: tuple[list[Document], ParsedStandards] | None = None

    def parsed(self, context: ReviewContext) -> ParsedStandards:
        """The context's standards, parsed once per documents list."""
        if self._cached is None or self._cached[0] is not context.documents:
            self._cached = (context.documents, parse_standards(context.documents))
        return self._cached[1]

    def notes(self, context: ReviewContext) -> list[str]:
        return list(self.parsed(context).notes)

    def review(self, context: ReviewContext, hints: list[Finding]) -> list[Finding]:
        parsed = self.parsed(context)
        views = context.file_views()
        findings: list[Finding] = []
        for view in views:
            for rule in parsed.rules:
                if rule.applies_to(view.path):
                    findings.extend(_forbid_findings(context, view, rule))
                    findings.extend(_require_findings(context, view, rule))
            for ban in parsed.prose_bans:
                findings.extend(_ban_findings(context, view, ban))
        logged: set[tuple[str, int]] = set()
        for standard in parsed.builtins:
            found = check_standard(context, views, standard, parsed.sensitive_fields)
            if isinstance(standard.spec, SensitiveLoggingSpec):
                logged |= {(f.file_path or "", f.start_line or 0) for f in found}
            findings.extend(found)
        findings.extend(check_controls(context, views, list(parsed.controls), hints, logged))
        return findings


def _rule_id(rule: StandardRule) -> str:
    return f"standard:{rule.spec.id}"


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
            standard_line_finding(
                context,
                view,
                line,
                rule_id=_rule_id(rule),
                severity=rule.spec.severity,
                confidence=0.9,
                message=f"Breaks a team standard ({rule.citation}): {rule.summary}",
                suggested_fix=f"Change the line so it no longer matches /{matched}/, "
                f"following {rule.citation}.",
                evidence_source=rule.citation,
            )
        )
    return findings


def _ban_findings(context: ReviewContext, view: FileView, ban: ProseBan) -> list[Finding]:
    return [
        standard_line_finding(
            context,
            view,
            line,
            rule_id=f"standard:ban:{name.removesuffix('()')}",
            severity=Severity.medium,
            confidence=0.75,
            message=f"Uses `{name}`, which a team standard forbids ({ban.citation}): "
            f"\u201c{_shorten(ban.sentence)}\u201d",
            suggested_fix=f"Replace `{name}` with what {ban.citation} prescribes.",
            evidence_source=ban.citation,
        )
        for line, name in ban_lines(ban, view)
    ]


def _shorten(sentence: str, limit: int = 240) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "\u2026"


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
                message=f"Missing what a team standard requires ({rule.citation}): {rule.summary}",
                suggested_fix=f"Add code matching /{pattern}/ to {view.path}, "
                f"following {rule.citation}.",
                evidence=f"no match for /{pattern}/ in the {scope} of {view.path}",
                evidence_source=rule.citation,
                file_path=view.path,
                fingerprint=compute_fingerprint(_rule_id(rule), view.path, f"require:{pattern}"),
            )
        )
    return findings
