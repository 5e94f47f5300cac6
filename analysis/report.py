"""Render a ReviewOutcome for a terminal (text) or for `--format json`, and the CLI's gate.

The PR comment is capped at `max_comments`; a terminal report, JSON and SARIF are not: they
take every finding that meets the policy (`policy_findings`), in the same ranked order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from analysis.engine import ReviewOutcome
from analysis.policy import ReviewPolicy, is_reportable, priority
from warden.records import Finding, Severity

#: `--fail-on never` disables the gate
FAIL_NEVER = "never"


def policy_findings(outcome: ReviewOutcome, policy: ReviewPolicy) -> list[Finding]:
    """Every finding that meets the policy (not suppressed, severe and confident enough),
    ranked by severity x confidence like the comment, without the comment's cap."""
    return sorted(
        (f for f in outcome.findings if is_reportable(f, policy)),
        key=lambda f: (tuple(-x for x in priority(f)), f.file_path or "", f.start_line or 0),
    )


def fails_gate(findings: Sequence[Finding], fail_on: str) -> bool:
    """True when a finding is at least as severe as `fail_on` (never, for `never`)."""
    if fail_on == FAIL_NEVER:
        return False
    floor = Severity(fail_on).rank
    return any(finding.severity.rank >= floor for finding in findings)


def _location(finding: Finding) -> str:
    if finding.file_path and finding.start_line:
        return f"{finding.file_path}:{finding.start_line}"
    if finding.file_path:
        return finding.file_path
    return finding.evidence_source or "-"


def render_text(outcome: ReviewOutcome, *, findings: Sequence[Finding] | None = None) -> str:
    """Human-readable: reported findings first, then the rest with why they are quiet."""
    shown = list(outcome.reportable if findings is None else findings)
    shown_fps = {finding.fingerprint for finding in shown}
    lines = [
        f"Warden review (engine {outcome.engine_version}, policy {outcome.policy_hash[:12]})",
        f"reviewers: {', '.join(outcome.reviewers_run) or '-'}",
        f"findings: {len(outcome.findings)} total, {len(shown)} reported"
        + (
            f", {outcome.omitted_count} over the comment limit"
            if findings is None and outcome.omitted_count
            else ""
        ),
    ]
    if outcome.coverage is not None and (coverage := outcome.coverage.summary_line()):
        lines.append(f"coverage: {coverage}")
        lines += [f"  skipped {item.path} ({item.reason})" for item in outcome.coverage.skipped]
    lines += [f"note: {note}" for note in outcome.notes]
    for finding in shown:
        lines.append("")
        lines.append(
            f"[{finding.severity.value.upper()}] {_location(finding)}  {finding.rule_id}"
            + (f" ({finding.cwe})" if finding.cwe else "")
            + f"  confidence {finding.confidence:.2f}"
        )
        lines.append(f"  {finding.message}")
        lines.append(f"  evidence: {finding.evidence}")
        if finding.evidence_source and not finding.evidence_source.startswith(
            finding.file_path or "\0"
        ):
            lines.append(f"  source: {finding.evidence_source}")
        lines.append(f"  fix: {finding.suggested_fix}")
    if outcome.criteria:
        lines += ["", "acceptance criteria:"]
        for verdict in outcome.criteria:
            evidence = f" [{', '.join(verdict.evidence)}]" if verdict.evidence else ""
            lines.append(
                f"  - {verdict.ticket_key} {verdict.verdict}: {verdict.criterion}"
                f" ({verdict.reason}){evidence}"
            )
    quiet = [finding for finding in outcome.findings if finding.fingerprint not in shown_fps]
    if quiet:
        lines += ["", "not reported:"]
        for finding in quiet:
            why = "suppressed" if finding.suppressed else "below threshold, dismissed or capped"
            lines.append(
                f"  - {finding.severity.value} {_location(finding)} {finding.rule_id} ({why})"
            )
    return "\n".join(lines) + "\n"


def render_json(outcome: ReviewOutcome, *, findings: Sequence[Finding] | None = None) -> str:
    """The outcome as JSON; `reportable` holds fingerprints of the findings in `findings`
    (the reported ones: the comment's when `findings` is None, else those given)."""
    data = outcome.model_dump(mode="json")
    shown = outcome.reportable if findings is None else findings
    data["reportable"] = [finding.fingerprint for finding in shown]
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
