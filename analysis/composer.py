"""Compose Warden's one summary comment, edited in place on every push.

The body starts with REVIEW_COMMENT_MARKER and ends with a hidden state block listing the
open fingerprints (so the next push can say which findings were resolved) and the
fingerprints already posted as inline comments (so a finding that survives a push is never
posted inline twice). Findings come ranked by severity x confidence (the engine's order);
the summary groups them by category, strongest group first. Text from PRs, tickets and docs
is untrusted: it is flattened, de-mentioned and kept out of HTML comments. The comment
informs; it never approves or blocks anything.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Collection

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from analysis.comment_markdown import code, flat, location, rule_meta, safe, severity_label
from analysis.engine import ReviewOutcome
from analysis.inline_comments import render_inline_body, select_inline_findings
from analysis.outcome_parts import CriterionVerdict
from warden.records import REVIEW_COMMENT_MARKER, Finding, FindingCategory, PullRequest

__all__ = [
    "CommentState",
    "ComposedComment",
    "compose_review_comment",
    "parse_state",
    "render_inline_body",
    "select_inline_findings",
    "short_title",
]

STATE_VERSION = 1
_STATE_BLOCK = re.compile(r"<!-- warden:state (?P<json>\{.*?\}) -->", re.DOTALL)
_MAX_STATE_ENTRIES = 200
#: inline fingerprints remembered; the oldest are dropped first beyond this
MAX_INLINE_STATE = 500
_FP = r"^[0-9a-f]{64}$"
_CATEGORY_TITLES = {
    FindingCategory.security: "Security",
    FindingCategory.requirement_drift: "Requirement drift",
    FindingCategory.standards: "Team standards",
}
_VERDICT_LABELS = {
    "met": "\u2705 met",
    "not_met": "\u274c not met",
    "needs_human": "\u2754 needs a human",
}
_LLM_STATUS_TEXT = {
    "skipped_budget": "AI review skipped: the LLM budget is used up",
    "error": "AI review failed",
    "invalid_output": "AI review discarded: the model's output was invalid",
    "off": "AI review off",
}
_SKIP_NOTE = re.compile(r"(?i)\b(?:skipp\w*|budget|failed|invalid)\b")


class StateEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    fp: str = Field(pattern=_FP)
    title: str = Field(max_length=300)


class CommentState(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    v: int = STATE_VERSION
    head: str = ""
    open: list[StateEntry] = Field(default_factory=list, max_length=_MAX_STATE_ENTRIES)
    #: fingerprints already posted as inline review comments, oldest first
    inline: list[str] = Field(default_factory=list, max_length=MAX_INLINE_STATE)


class ComposedComment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    body: str
    open_fingerprints: list[str]
    resolved_fingerprints: list[str]
    #: every fingerprint posted inline so far (previous comments' plus this run's)
    inline_fingerprints: list[str] = Field(default_factory=list)


def parse_state(body: str | None) -> CommentState | None:
    """The state block of a previous Warden comment (the last one: ours is always last)."""
    if not body:
        return None
    matches = list(_STATE_BLOCK.finditer(body))
    if not matches:
        return None
    try:
        state = CommentState.model_validate_json(matches[-1].group("json"))
    except ValidationError:
        return None  # an edited or foreign block: treat as no previous state
    valid_inline = [fp for fp in state.inline if isinstance(fp, str) and re.match(_FP, fp)]
    return state.model_copy(update={"inline": valid_inline})


def previously_inlined(previous_body: str | None) -> frozenset[str]:
    """Fingerprints a previous comment records as already posted inline."""
    state = parse_state(previous_body)
    return frozenset(state.inline) if state else frozenset()


def short_title(finding: Finding) -> str:
    where = finding.file_path or finding.evidence_source or finding.pr_key
    return flat(f"{finding.rule_id} in {where}")[:300]


def compose_review_comment(
    pull_request: PullRequest,
    outcome: ReviewOutcome,
    previous_body: str | None,
    *,
    inline_fingerprints: Collection[str] = (),
) -> ComposedComment | None:
    """The comment body, or None when there is nothing to say and nothing was said before.

    `inline_fingerprints` are the findings this run posted inline; they are added to the
    inline list carried over from `previous_body`.
    """
    previous = parse_state(previous_body)
    previously_open = {entry.fp: entry.title for entry in previous.open} if previous else {}
    shown = outcome.reportable
    shown_fps = [finding.fingerprint for finding in shown]
    present = {finding.fingerprint for finding in outcome.findings}
    gone = [fp for fp in previously_open if fp not in shown_fps]
    resolved = [fp for fp in gone if fp not in present]
    quieted = [fp for fp in gone if fp in present]
    if not shown and not previously_open:
        return None

    lines = [
        REVIEW_COMMENT_MARKER,
        "## Warden review",
        "",
        _headline(pull_request, shown, resolved),
    ]
    lines += _status_lines(outcome)
    for title, group in _groups(shown):
        lines += ["", f"### {title} ({len(group)})"]
        lines += [_render_finding(index, finding) for index, finding in enumerate(group, 1)]
    if outcome.criteria:
        lines += ["", "### Acceptance criteria", *_render_criteria(outcome.criteria)]
    if resolved:
        lines += ["", f"### Resolved since the last review ({len(resolved)})"]
        lines += [f"- \u2705 ~~{safe(previously_open[fp])}~~ resolved" for fp in resolved]
    if quieted:
        lines += ["", f"### No longer reported ({len(quieted)})"]
        lines += [
            f"- {safe(previously_open[fp])} (suppressed, dismissed or below the "
            "reporting threshold)"
            for fp in quieted
        ]
    footer = []
    if outcome.omitted_count:
        footer.append(f"{outcome.omitted_count} more finding(s) not shown (comment limit).")
    if shown:
        footer.append("False positive? Add `warden-ignore[rule-id]: reason` on or above the line.")
    if footer:
        lines += ["", f"<sub>{' '.join(footer)}</sub>"]
    inline = _merge_inline(previous.inline if previous else [], inline_fingerprints)
    state = CommentState(
        head=pull_request.head_sha,
        open=[
            StateEntry(fp=f.fingerprint, title=short_title(f)) for f in shown[:_MAX_STATE_ENTRIES]
        ],
        inline=inline,
    )
    lines += ["", _state_block(state)]
    return ComposedComment(
        body="\n".join(lines) + "\n",
        open_fingerprints=shown_fps,
        resolved_fingerprints=resolved,
        inline_fingerprints=inline,
    )


def _headline(pull_request: PullRequest, shown: list[Finding], resolved: list[str]) -> str:
    head = f"`{pull_request.head_sha[:7]}`"
    if not shown:
        return f"All previously reported findings are resolved as of {head}. Nothing new to report."
    counts = Counter(finding.severity for finding in shown)
    by_severity = ", ".join(
        f"{counts[severity]} {severity.value}" for severity in sorted(counts, key=lambda s: -s.rank)
    )
    categories = Counter(finding.category for finding in shown)
    by_category = ", ".join(
        f"{categories[c]} {_CATEGORY_TITLES[c].lower()}" for c in _CATEGORY_TITLES if categories[c]
    )
    text = f"**{len(shown)} finding(s)** at {head} ({by_severity}): {by_category}."
    if resolved:
        text += f" {len(resolved)} resolved since the last review."
    return text


def _status_lines(outcome: ReviewOutcome) -> list[str]:
    """What was not reviewed: skipped files, a skipped or failed LLM pass, reviewer notes."""
    parts: list[str] = []
    if outcome.coverage is not None and (line := outcome.coverage.summary_line()):
        parts.append(f"Coverage: {line}.")
    usage = outcome.llm_usage
    if usage is not None and usage.status in _LLM_STATUS_TEXT and usage.status != "off":
        detail = f" ({safe(usage.detail)})" if usage.detail else ""
        parts.append(f"{_LLM_STATUS_TEXT[usage.status]}{detail}; deterministic checks only.")
    parts += [f"Note: {safe(note)}." for note in outcome.notes if _SKIP_NOTE.search(note)]
    return ["", *(f"<sub>{part}</sub>" for part in parts)] if parts else []


def _groups(shown: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings by category, keeping the ranked order; the group with the top finding first."""
    groups: dict[FindingCategory, list[Finding]] = {}
    for finding in shown:
        groups.setdefault(finding.category, []).append(finding)
    return [(_CATEGORY_TITLES[category], group) for category, group in groups.items()]


def _render_finding(index: int, finding: Finding) -> str:
    where = code(location(finding)) if finding.file_path else safe(location(finding))
    source = ""
    if (
        finding.evidence_source
        and finding.file_path
        and not finding.evidence_source.startswith(finding.file_path)
    ):
        source = f" — source: {safe(finding.evidence_source)}"
    fix = safe(finding.suggested_fix) or "Review this change by hand."
    return "\n".join(
        [
            f"{index}. **{severity_label(finding.severity)}** · {where} · {safe(finding.message)}",
            f"   - Evidence: {code(finding.evidence)}{source} ({rule_meta(finding)})",
            f"   - Fix: {fix}",
        ]
    )


def _render_criteria(verdicts: list[CriterionVerdict]) -> list[str]:
    order = {"not_met": 0, "needs_human": 1, "met": 2}
    ranked = sorted(verdicts, key=lambda v: (v.ticket_key, order[v.verdict]))
    lines = []
    for verdict in ranked:
        evidence = ", ".join(code(item) for item in verdict.evidence[:5])
        more = f" (+{len(verdict.evidence) - 5} more)" if len(verdict.evidence) > 5 else ""
        tail = f"; evidence: {evidence}{more}" if evidence else ""
        llm = " (AI judgement)" if verdict.source == "llm" else ""
        lines.append(
            f"- **{safe(verdict.ticket_key)}** {_VERDICT_LABELS[verdict.verdict]}{llm}: "
            f"{safe(verdict.criterion)} — {safe(verdict.reason)}{tail}"
        )
    return lines


def _merge_inline(previous: list[str], new: Collection[str]) -> list[str]:
    return list(dict.fromkeys([*previous, *new]))[-MAX_INLINE_STATE:]


def _state_block(state: CommentState) -> str:
    payload = json.dumps(state.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e")
    return f"<!-- warden:state {payload} -->"
