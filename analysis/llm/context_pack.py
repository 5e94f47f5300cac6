"""Build the LLM request content from a ReviewContext within a token budget.

Files go in by risk (deterministic hints, security-sensitive paths, risky calls in added
lines); each file is packed with its hunks' context when it fits, with its added lines only
when that is all that fits, and is left out (and reported) when nothing fits. The system
prompt and the documentation sections form the stable prefix (prompt-cached); everything
authored by others (code, PR text, tickets, documents, hint evidence) is fenced.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from analysis.context import ReviewContext, SectionRef
from analysis.criteria import parse_criteria
from analysis.files import FileView
from analysis.llm.fences import Fence
from analysis.llm.prompts import Prompt
from analysis.llm.schema import forced_tool_choice, review_tool
from analysis.policy import SEVERITY_WEIGHT
from warden.records import Finding

CHARS_PER_TOKEN = 3  # conservative for code; the API's count decides the bill
MAX_SECTIONS = 8
MAX_HINTS = 40
MAX_PR_BODY_CHARS = 4000
MAX_TICKET_DESCRIPTION_CHARS = 1500
CACHE = {"type": "ephemeral"}
_SENSITIVE_PATH = re.compile(
    r"(?i)auth|login|passw|secret|token|session|crypto|permission|acl|admin|payment|billing"
    r"|upload|sql|query|\.github/workflows/|dockerfile|terraform|\.tf$|k8s|helm|security"
)
_RISKY_CALL = re.compile(
    r"(?i)\b(?:exec|eval|subprocess|os\.system|execute|query|raw|render|innerhtml|pickle"
    r"|yaml\.load|deserial|open\(|requests\.|fetch\(|urlopen|redirect|jwt|cookie|cors)"
)


def estimate_tokens(text: str) -> int:
    return len(text) // CHARS_PER_TOKEN + 1


@dataclass(frozen=True)
class CriterionRef:
    criterion_id: str
    ticket_key: str
    text: str


@dataclass(frozen=True)
class PackedFile:
    path: str
    risk: float
    detail: str  # "hunks" (with unchanged context) or "added lines only"
    tokens: int = 0


@dataclass(frozen=True)
class ContextPack:
    system_blocks: list[dict[str, Any]]
    user_text: str
    estimated_tokens: int
    files: list[PackedFile]
    budget_skipped: list[str]
    criteria: list[CriterionRef]
    sections: dict[str, SectionRef] = field(default_factory=dict)

    def request(self, model: str, max_tokens: int) -> dict[str, Any]:
        """The Messages API request body for a first attempt."""
        return {
            "model": model,
            "max_tokens": max_tokens,
            "system": self.system_blocks,
            "messages": [{"role": "user", "content": [{"type": "text", "text": self.user_text}]}],
            "tools": [review_tool()],
            "tool_choice": forced_tool_choice(),
        }


def criteria_of(context: ReviewContext) -> list[CriterionRef]:
    """The atomic criteria of the linked tickets (as the deterministic reviewer splits them,
    so verdicts on the same criterion merge), numbered C1, C2, ..."""
    refs: list[CriterionRef] = []
    for ticket in context.tickets:
        for criterion in parse_criteria(ticket):
            refs.append(CriterionRef(f"C{len(refs) + 1}", ticket.ticket_key, criterion.text))
    return refs


def file_risk(view: FileView, hints: list[Finding]) -> tuple[float, list[str]]:
    """Higher first: hints weighted by severity x confidence, sensitive paths, risky calls."""
    reasons: list[str] = []
    own = [f for f in hints if f.file_path == view.path]
    risk = sum(SEVERITY_WEIGHT[f.severity] * f.confidence for f in own)
    if own:
        reasons.append(f"{len(own)} deterministic hint{'s' if len(own) != 1 else ''}")
    if _SENSITIVE_PATH.search(view.path):
        risk += 3.0
        reasons.append("security-sensitive path")
    if any(_RISKY_CALL.search(text) for text in view.added.values()):
        risk += 2.0
        reasons.append("risky calls in added lines")
    risk += min(len(view.added), 200) / 100
    if view.is_test:
        risk *= 0.5
        reasons.append("test file")
    return risk, reasons


def render_hunks(view: FileView) -> str:
    """The hunks as the new file reads: `<line> + text` added, `<line>   text` context."""
    out: list[str] = []
    for hunk in view.patch.hunks:
        out.append(f"@@ lines {hunk.new_start}-{hunk.new_start + max(hunk.new_count - 1, 0)}")
        for line in hunk.new_side:
            marker = "+" if line.kind == "added" else " "
            out.append(f"{line.new_line:>6} {marker} {line.text}")
    return "\n".join(out)


def render_added(view: FileView) -> str:
    return "\n".join(f"{number:>6} + {text}" for number, text in sorted(view.added.items()))


def build_context_pack(
    context: ReviewContext,
    hints: list[Finding],
    prompt: Prompt,
    *,
    budget_tokens: int,
    fence: Fence,
    stable_fence: Fence,
) -> ContextPack:
    """Pack within `budget_tokens` (input side). `fence` is fresh per request; `stable_fence`
    fences the documents in the cached prefix and lives as long as the reviewer."""
    sections = {ref.citation: ref for ref in context.relevant_sections(limit=MAX_SECTIONS)}
    system_blocks = _system_blocks(prompt, list(sections.values()), stable_fence)
    criteria = criteria_of(context)
    head = "\n\n".join(
        part
        for part in (
            _pr_block(context, fence),
            _tickets_block(context, criteria, fence),
            _hints_block(hints, fence),
        )
        if part
    )
    tail = "\n\nCall the submit_review tool once with your findings and a verdict per criterion."
    fixed = sum(estimate_tokens(b["text"]) for b in system_blocks) + estimate_tokens(
        json.dumps(review_tool()) + head + tail
    )
    used = fixed
    parts: list[str] = []
    packed: list[PackedFile] = []
    skipped: list[str] = []
    views = [view for view in context.file_views() if view.added]
    ranked = sorted(
        ((view, *file_risk(view, hints)) for view in views),
        key=lambda item: (-item[1], item[0].path),
    )
    for view, risk, reasons in ranked:
        label = f"{view.path} ({view.language}; {', '.join(reasons) or 'changed'})"
        chosen = None
        for detail, body in (
            ("hunks", render_hunks(view)),
            ("added lines only", render_added(view)),
        ):
            text = fence.wrap("code", label, body)
            if used + estimate_tokens(text) <= budget_tokens:
                chosen = (detail, text)
                break
        if chosen is None:
            skipped.append(view.path)
            continue
        used += estimate_tokens(chosen[1])
        parts.append(chosen[1])
        packed.append(PackedFile(view.path, round(risk, 3), chosen[0], estimate_tokens(chosen[1])))
    files_text = "\n\n".join(["## Changed files (highest risk first)", *parts]) if parts else ""
    user_text = "\n\n".join(p for p in (head, files_text) if p) + tail
    return ContextPack(
        system_blocks=system_blocks,
        user_text=user_text,
        estimated_tokens=used,
        files=packed,
        budget_skipped=skipped,
        criteria=criteria,
        sections=sections,
    )


def _system_blocks(
    prompt: Prompt, sections: list[SectionRef], fence: Fence
) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [{"type": "text", "text": prompt.system, "cache_control": CACHE}]
    if sections:
        docs = "\n\n".join(
            fence.wrap(
                "document", f"ref {ref.citation}", f"# {ref.section.heading}\n{ref.section.text}"
            )
            for ref in sections
        )
        text = (
            "## Documentation sections relevant to this change (cite them by their ref)\n\n" + docs
        )
        blocks.append({"type": "text", "text": text, "cache_control": CACHE})
    return blocks


def _pr_block(context: ReviewContext, fence: Fence) -> str:
    pr = context.pull_request
    body = pr.body[:MAX_PR_BODY_CHARS]
    text = f"Title: {pr.title}\nBranch: {pr.head_ref} -> {pr.base_ref}\n\n{body}".rstrip()
    return "## Pull request\n\n" + fence.wrap("pull_request", f"{pr.repository}#{pr.number}", text)


def _tickets_block(context: ReviewContext, criteria: list[CriterionRef], fence: Fence) -> str:
    if not context.tickets:
        return ""
    blocks: list[str] = []
    for ticket in context.tickets:
        own = [c for c in criteria if c.ticket_key == ticket.ticket_key]
        lines = [
            f"{ticket.ticket_key}: {ticket.title}",
            ticket.description[:MAX_TICKET_DESCRIPTION_CHARS],
        ]
        lines += ["", "Acceptance criteria:"] + [f"{c.criterion_id}. {c.text}" for c in own]
        blocks.append(fence.wrap("ticket", ticket.ticket_key, "\n".join(lines).strip()))
    return "## Linked tickets (criterion ids C1.. are Warden's)\n\n" + "\n\n".join(blocks)


def _hints_block(hints: list[Finding], fence: Fence) -> str:
    if not hints:
        return ""
    lines = [
        f"- {f.rule_id} [{f.severity.value}, {f.confidence:.2f}] "
        f"{f.file_path or f.evidence_source}:{f.start_line or ''} {f.message[:200]}"
        for f in hints[:MAX_HINTS]
    ]
    return "## Deterministic findings (hints)\n\n" + fence.wrap(
        "deterministic_findings", "hints", "\n".join(lines)
    )
