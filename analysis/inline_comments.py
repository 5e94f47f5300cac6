"""Which findings also go inline, on their exact lines, and what each inline comment says.

Only the top findings (the engine's ranking: severity x confidence) that point at a line the
PR added get an inline comment: a comment on a line the PR did not touch would be refused by
the code host and is not the author's to fix. A fingerprint posted inline once is never
posted again, so a finding that survives a push keeps its one inline comment.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from analysis.comment_markdown import code, rule_meta, safe, severity_label
from analysis.diff import parse_patch
from analysis.engine import ReviewOutcome
from warden.records import ChangedFile, Finding

#: at most this many inline comments per review run
DEFAULT_INLINE_LIMIT = 5


def added_lines_by_path(files: Sequence[ChangedFile]) -> dict[str, frozenset[int]]:
    """New-file line numbers each changed file adds (removed files add none)."""
    return {
        changed.path: parse_patch(changed.patch).added_line_numbers
        for changed in files
        if changed.status != "removed"
    }


def select_inline_findings(
    outcome: ReviewOutcome,
    files: Sequence[ChangedFile],
    *,
    already_posted: Collection[str] = (),
    limit: int = DEFAULT_INLINE_LIMIT,
) -> list[Finding]:
    """The top `limit` reportable findings on an added line, minus those posted inline before.

    The top findings are chosen first and the already-posted ones removed after, so a lower
    ranked finding does not move up into an inline slot because an old one stayed open.
    """
    added = added_lines_by_path(files)
    anchored = [
        finding
        for finding in outcome.reportable
        if finding.file_path
        and finding.start_line is not None
        and finding.start_line in added.get(finding.file_path, frozenset())
    ]
    posted = set(already_posted)
    return [finding for finding in anchored[: max(0, limit)] if finding.fingerprint not in posted]


def render_inline_body(finding: Finding) -> str:
    """The inline comment: severity and rule, why it matters, the evidence, the fix."""
    source = ""
    if finding.evidence_source and not finding.evidence_source.startswith(
        finding.file_path or "\0"
    ):
        source = f" (source: {safe(finding.evidence_source)})"
    fix = safe(finding.suggested_fix) or "Review this change by hand."
    lines = [
        f"**{severity_label(finding.severity)}** · {safe(finding.message)}",
        "",
        f"**Evidence:** {code(finding.evidence)}{source}",
        "",
        f"**Fix:** {fix}",
        "",
        f"<sub>Warden · {rule_meta(finding)} · false positive? add "
        f"{code(f'warden-ignore[{finding.rule_id}]: reason')} on or above the line.</sub>",
    ]
    return "\n".join(lines)
