"""Inline suppressions: `warden-ignore[rule-id]: reason` on the line or the line above.

A suppressed finding is kept (recorded, `suppressed=True`) but never reported. A reason is
required so every suppression explains itself.
"""

from __future__ import annotations

import re

from analysis.files import FileView
from warden.records import Finding

_IGNORE = re.compile(r"warden-ignore\[(?P<rules>[A-Za-z0-9_.:,\s-]+)\]\s*:\s*(?P<reason>\S.*)")


def ignored_rules(text: str) -> set[str]:
    """Rule ids a line's `warden-ignore[...]` comment names (empty when none or no reason)."""
    rules: set[str] = set()
    for match in _IGNORE.finditer(text):
        rules.update(rule.strip() for rule in match.group("rules").split(",") if rule.strip())
    return rules


def _names(rule_id: str) -> set[str]:
    """A rule answers to its id and, for standards, to the bare rule name."""
    names = {rule_id}
    if ":" in rule_id:
        names.add(rule_id.split(":", 1)[1])
    return names


def is_suppressed(finding: Finding, views: dict[str, FileView]) -> bool:
    if finding.file_path is None or finding.start_line is None:
        return False
    view = views.get(finding.file_path)
    if view is None:
        return False
    for line in (finding.start_line, finding.start_line - 1):
        if line >= 1 and _names(finding.rule_id) & ignored_rules(view.line_text(line)):
            return True
    return False


def apply_suppressions(findings: list[Finding], views: dict[str, FileView]) -> list[Finding]:
    return [
        finding.model_copy(update={"suppressed": True})
        if not finding.suppressed and is_suppressed(finding, views)
        else finding
        for finding in findings
    ]
