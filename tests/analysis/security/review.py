"""Run the security reviewer over one changed file built from real unified diffs."""

from __future__ import annotations

from analysis.detectors.security_rules import SecurityRulesReviewer


def review(build, path: str, after: list[str], before: list[str] | None = None, *, content=True):
    changed = build.file(path, after, before, with_content=content)
    return SecurityRulesReviewer().review(build.context([changed]), [])


def rule_lines(findings) -> list[tuple[str, int]]:
    return sorted((f.rule_id, f.start_line) for f in findings)
