"""Render a ReviewOutcome for a terminal (text) or for `--format json`."""

from __future__ import annotations

import json

from analysis.engine import ReviewOutcome
from warden.records import Finding


def _location(finding: Finding) -> str:
    if finding.file_path and finding.start_line:
        return f"{finding.file_path}:{finding.start_line}"
    if finding.file_path:
        return finding.file_path
    return finding.evidence_source or "-"


def render_text(outcome: ReviewOutcome) -> str:
    """Human-readable: reportable findings first, then the rest with why they are quiet."""
    reportable = {finding.fingerprint for finding in outcome.reportable}
    lines = [
        f"Warden review (engine {outcome.engine_version}, policy {outcome.policy_hash[:12]})",
        f"reviewers: {', '.join(outcome.reviewers_run) or '-'}",
        f"findings: {len(outcome.findings)} total, {len(outcome.reportable)} reportable"
        + (f", {outcome.omitted_count} over the comment limit" if outcome.omitted_count else ""),
    ]
    for note in outcome.notes:
        lines.append(f"note: {note}")
    for finding in outcome.reportable:
        lines.append("")
        lines.append(
            f"[{finding.severity.value.upper()}] {_location(finding)}  {finding.rule_id}"
            + (f" ({finding.cwe})" if finding.cwe else "")
            + f"  confidence {finding.confidence:.2f}"
        )
        lines.append(f"  {finding.message}")
        lines.append(f"  evidence: {finding.evidence}")
        lines.append(f"  fix: {finding.suggested_fix}")
    quiet = [finding for finding in outcome.findings if finding.fingerprint not in reportable]
    if quiet:
        lines += ["", "not reported:"]
        for finding in quiet:
            why = "suppressed" if finding.suppressed else "below threshold, dismissed or capped"
            lines.append(
                f"  - {finding.severity.value} {_location(finding)} {finding.rule_id} ({why})"
            )
    return "\n".join(lines) + "\n"


def render_json(outcome: ReviewOutcome) -> str:
    """The outcome as JSON; `reportable` holds fingerprints of the findings in `findings`."""
    data = outcome.model_dump(mode="json")
    data["reportable"] = [finding.fingerprint for finding in outcome.reportable]
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
