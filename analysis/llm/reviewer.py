"""LlmReviewer: one forced tool call per PR, validated, verified, within budgets.

It never raises for vendor trouble or bad output: the deterministic review always stands,
and `usage()` / `notes()` say what the LLM did, cost or skipped. One instance may review
several PRs one after another (state is reset by each `review`); it is not thread-safe.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from analysis.context import ReviewContext
from analysis.llm.context_pack import ContextPack, build_context_pack
from analysis.llm.fences import Fence, new_fence
from analysis.llm.port import ErrorReply, MessageReply, MessagesPort, SpendLedger, parse_reply
from analysis.llm.prompts import Prompt, load_prompt
from analysis.llm.schema import TOOL_NAME, InvalidToolOutput, ReviewSubmission, parse_submission
from analysis.llm.verify import verify_submission
from analysis.outcome_parts import CriterionVerdict, LlmUsage
from warden.records import Finding


@dataclass(frozen=True)
class LlmConfig:
    model: str
    max_tokens: int = 4096
    budget_tokens_per_pr: int = 60_000
    budget_usd_per_tenant_day: float = 5.0


@dataclass
class _Spend:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_creation_tokens: int = 0
    cost_usd: float = 0.0
    model: str | None = None

    def add(self, reply: MessageReply) -> None:
        usage = reply.usage
        self.input_tokens += usage.input_tokens
        self.output_tokens += usage.output_tokens
        self.cache_read_tokens += usage.cache_read_input_tokens or 0
        self.cache_creation_tokens += usage.cache_creation_input_tokens or 0
        self.cost_usd += usage.cost_usd
        self.model = reply.model or self.model


class LlmReviewer:
    name = "llm"

    def __init__(
        self,
        port: MessagesPort,
        config: LlmConfig,
        *,
        ledger: SpendLedger | None = None,
        prompt: Prompt | None = None,
    ) -> None:
        self.port = port
        self.config = config
        self.ledger = ledger
        self.prompt = prompt or load_prompt()
        #: fences the documents in the cached prefix; unguessable, stable for this reviewer
        self._stable_fence = new_fence()
        self._reset()

    def _reset(self) -> None:
        self._usage: LlmUsage | None = None
        self._notes: list[str] = []
        self._verdicts: list[CriterionVerdict] = []

    # --- the Reviewer protocol and the optional reports --------------------------------
    def review(self, context: ReviewContext, hints: list[Finding]) -> list[Finding]:
        self._reset()
        started = time.perf_counter()
        spend = _Spend()
        try:
            return self._review(context, hints, spend)
        finally:
            if self._usage is not None:
                self._usage = self._usage.model_copy(
                    update={
                        "model": spend.model or self.config.model,
                        "prompt_version": self.prompt.version,
                        "input_tokens": spend.input_tokens,
                        "output_tokens": spend.output_tokens,
                        "cache_read_tokens": spend.cache_read_tokens,
                        "cache_creation_tokens": spend.cache_creation_tokens,
                        "cost_usd": round(spend.cost_usd, 6),
                        "latency_ms": int((time.perf_counter() - started) * 1000),
                    }
                )
                if self.ledger is not None and (spend.input_tokens or spend.output_tokens):
                    self.ledger.record(self._usage)

    def notes(self, context: ReviewContext) -> list[str]:
        return list(self._notes)

    def verdicts(self, context: ReviewContext) -> list[CriterionVerdict]:
        return list(self._verdicts)

    def usage(self) -> LlmUsage | None:
        return self._usage

    # --- one review ----------------------------------------------------------------------
    def _review(self, context: ReviewContext, hints: list[Finding], spend: _Spend) -> list[Finding]:
        daily = self.config.budget_usd_per_tenant_day
        if self.ledger is not None and self.ledger.spent_today_usd() >= daily:
            return self._skip(f"LLM review skipped: tenant daily budget of ${daily:.2f} reached")
        if not any(view.added for view in context.file_views()):
            self._usage = LlmUsage(status="ok", detail="no added lines; no request sent")
            return []
        pack = self._pack(context, hints)
        if not pack.files:
            return self._skip(
                "LLM review skipped: the change does not fit the per-PR budget of "
                f"{self.config.budget_tokens_per_pr:,} tokens"
            )
        if pack.budget_skipped:
            total = len(pack.files) + len(pack.budget_skipped)
            self._notes.append(
                f"LLM review covered {len(pack.files)} of {total} files; "
                f"{len(pack.budget_skipped)} left out by the per-PR token budget "
                f"({', '.join(pack.budget_skipped[:5])}{', ...' if total > 5 else ''})"
            )
        request = pack.request(self.config.model, self.config.max_tokens)
        submission = self._call_with_one_retry(request, spend)
        if submission is None:
            return []
        verified = verify_submission(context, submission, pack, hints)
        self._verdicts = verified.verdicts
        if verified.rejected:
            reasons = sorted({r.reason for r in verified.rejected})
            self._notes.append(
                f"LLM review: {len(verified.rejected)} finding(s) dropped by verification "
                f"({'; '.join(reasons[:3])})"
            )
        self._usage = LlmUsage(
            status="ok",
            detail=f"{len(verified.findings)} new, {len(verified.confirmed)} confirmed, "
            f"{len(verified.rejected)} rejected",
        )
        return verified.findings + verified.confirmed

    def _pack(self, context: ReviewContext, hints: list[Finding]) -> ContextPack:
        pr = context.pull_request
        untrusted = [pr.title, pr.body, *(f.patch or "" for f in context.files)]
        untrusted += [
            f"{t.title}\n{t.description}\n{t.acceptance_criteria}" for t in context.tickets
        ]
        fence: Fence = new_fence(untrusted)
        return build_context_pack(
            context,
            hints,
            self.prompt,
            budget_tokens=self.config.budget_tokens_per_pr - self.config.max_tokens,
            fence=fence,
            stable_fence=self._stable_fence,
        )

    def _call_with_one_retry(
        self, request: dict[str, Any], spend: _Spend
    ) -> ReviewSubmission | None:
        problem = ""
        for attempt in (1, 2):
            reply = parse_reply(self.port.create(request))
            if isinstance(reply, ErrorReply):
                self._usage = LlmUsage(
                    status="error", detail=f"{reply.kind}: {reply.message}"[:300]
                )
                self._notes.append(
                    f"LLM review failed ({reply.kind}); the deterministic review stands"
                )
                return None
            spend.add(reply)
            try:
                if reply.stop_reason == "max_tokens":
                    raise InvalidToolOutput("the reply hit max_tokens before the tool call ended")
                return parse_submission(reply.tool_input(TOOL_NAME))
            except InvalidToolOutput as invalid:
                problem = invalid.summary
                if attempt == 1:
                    request = _retry_request(request, reply, problem)
        self._usage = LlmUsage(status="invalid_output", detail=problem[:300])
        self._notes.append(
            f"LLM review output was invalid twice; nothing from the LLM was used ({problem[:160]})"
        )
        return None

    def _skip(self, note: str) -> list[Finding]:
        self._usage = LlmUsage(status="skipped_budget", detail=note)
        self._notes.append(note)
        return []


def _retry_request(request: dict[str, Any], reply: MessageReply, problem: str) -> dict[str, Any]:
    """The same request plus the invalid reply and a summary of what was wrong with it."""
    fix = f"Your {TOOL_NAME} input was invalid: {problem}. Call {TOOL_NAME} again, corrected."
    tool_use_id = reply.tool_use_id(TOOL_NAME)
    assistant = reply.as_assistant_content() or [{"type": "text", "text": "(no content)"}]
    if tool_use_id:
        follow_up: list[dict[str, Any]] = [
            {"type": "tool_result", "tool_use_id": tool_use_id, "is_error": True, "content": fix}
        ]
    else:
        follow_up = [{"type": "text", "text": fix}]
    messages = [
        *request["messages"],
        {"role": "assistant", "content": assistant},
        {"role": "user", "content": follow_up},
    ]
    return {**request, "messages": messages}
