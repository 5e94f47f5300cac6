"""Compose Warden's one summary comment, edited in place on every push.

The body starts with REVIEW_COMMENT_MARKER and ends with a hidden state block listing the
open fingerprints, so the next push can say which findings were resolved. Text from PRs,
tickets and docs is untrusted: it is flattened, de-mentioned and kept out of HTML comments.
The comment informs; it never approves or blocks anything.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from analysis.engine import ReviewOutcome
from analysis.masking import mask_secrets_in_text
from warden.records import REVIEW_COMMENT_MARKER, Finding, FindingCategory, PullRequest

STATE_VERSION = 1
_STATE_BLOCK = re.compile(r"<!-- warden:state (?P<json>\{.*?\}) -->", re.DOTALL)
_MAX_STATE_ENTRIES = 200
_CATEGORY_TITLES = {
    FindingCategory.security: "Security",
    FindingCategory.requirement_drift: "Requirement drift",
    FindingCategory.standards: "Team standards",
}


class StateEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    fp: str = Field(pattern=r"^[0-9a-f]{64}$")
    title: str = Field(max_length=300)


class CommentState(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    v: int = STATE_VERSION
    head: str = ""
    open: list[StateEntry] = Field(default_factory=list, max_length=_MAX_STATE_ENTRIES)


class ComposedComment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    body: str
    open_fingerprints: list[str]
    resolved_fingerprints: list[str]


def parse_state(body: str | None) -> CommentState | None:
    """The state block of a previous Warden comment (the last one: ours is always last)."""
    if not body:
        return None
    matches = list(_STATE_BLOCK.finditer(body))
    if not matches:
        return None
    try:
        return CommentState.model_validate_json(matches[-1].group("json"))
    except ValidationError:
        return None  # an edited or foreign block: treat as no previous state


def short_title(finding: Finding) -> str:
    where = finding.file_path or finding.evidence_source or finding.pr_key
    return _flat(f"{finding.rule_id} in {where}")[:300]


def compose_review_comment(
    pull_request: PullRequest, outcome: ReviewOutcome, previous_body: str | None
) -> ComposedComment | None:
    """The comment body, or None when there is nothing to say and nothing was said before."""
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

    headline = _headline(pull_request, shown, resolved)
    lines = [REVIEW_COMMENT_MARKER, "## Warden review", "", headline]
    for category, title in _CATEGORY_TITLES.items():
        group = [finding for finding in shown if finding.category == category]
        if group:
            lines += ["", f"### {title} ({len(group)})"]
            lines += [_render_finding(index, finding) for index, finding in enumerate(group, 1)]
    if resolved:
        lines += ["", f"### Resolved since the last review ({len(resolved)})"]
        lines += [f"- ~~{_safe(previously_open[fp])}~~" for fp in resolved]
    if quieted:
        lines += ["", f"### No longer reported ({len(quieted)})"]
        lines += [
            f"- {_safe(previously_open[fp])} (suppressed, dismissed or below the "
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
    state = CommentState(
        head=pull_request.head_sha,
        open=[
            StateEntry(fp=f.fingerprint, title=short_title(f)) for f in shown[:_MAX_STATE_ENTRIES]
        ],
    )
    lines += ["", _state_block(state)]
    return ComposedComment(
        body="\n".join(lines) + "\n", open_fingerprints=shown_fps, resolved_fingerprints=resolved
    )


def _headline(pull_request: PullRequest, shown: list[Finding], resolved: list[str]) -> str:
    head = f"`{pull_request.head_sha[:7]}`"
    if not shown:
        return f"All previously reported findings are resolved as of {head}. Nothing new to report."
    counts = Counter(finding.severity for finding in shown)
    by_severity = ", ".join(
        f"{counts[severity]} {severity.value}" for severity in sorted(counts, key=lambda s: -s.rank)
    )
    text = f"**{len(shown)} finding(s)** at {head} ({by_severity})."
    if resolved:
        text += f" {len(resolved)} resolved since the last review."
    return text


def _render_finding(index: int, finding: Finding) -> str:
    if finding.file_path:
        line = f":{finding.start_line}" if finding.start_line else ""
        where = _code(f"{finding.file_path}{line}")
    else:
        where = _safe(finding.evidence_source or "PR")
    cwe = f", {finding.cwe}" if finding.cwe else ""
    meta = f"rule {_code(finding.rule_id)}{cwe}, confidence {finding.confidence:.0%}"
    source = ""
    if (
        finding.evidence_source
        and finding.file_path
        and not finding.evidence_source.startswith(finding.file_path)
    ):
        source = f" — source: {_safe(finding.evidence_source)}"
    severity = finding.severity.value.capitalize()
    return "\n".join(
        [
            f"{index}. **{severity}** · {where} · {_safe(finding.message)}",
            f"   - Evidence: {_code(finding.evidence)}{source} ({meta})",
            f"   - Fix: {_safe(finding.suggested_fix)}",
        ]
    )


def _flat(text: str) -> str:
    return " ".join(mask_secrets_in_text(text).split())


def _safe(text: str) -> str:
    """Untrusted text as one inert markdown line: no HTML comments, no @-mentions."""
    flat = _flat(text).replace("<!--", "&lt;!--").replace("-->", "--&gt;")
    return re.sub(r"@(?=\w)", "@\u200b", flat)


def _code(text: str) -> str:
    """An inline code span that survives backticks inside `text`."""
    flat = _flat(text).replace("<!--", "<!-\u200b-")
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _state_block(state: CommentState) -> str:
    payload = json.dumps(state.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e")
    return f"<!-- warden:state {payload} -->"
