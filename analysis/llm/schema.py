"""The `submit_review` tool: its JSON schema (sent to the model) and the pydantic models
that validate what comes back. There is no approve/merge field: the bot cannot ask for one."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

TOOL_NAME = "submit_review"
MAX_FINDINGS = 20
_SEVERITIES = ["info", "low", "medium", "high", "critical"]
_CATEGORIES = ["security", "requirement_drift", "standards"]
_VERDICTS = ["met", "not_met", "needs_human"]

_CITES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The criterion or documentation section the finding relies on.",
    "properties": {
        "kind": {"type": "string", "enum": ["criterion", "doc_section"]},
        "ref": {"type": "string", "description": "Criterion id (C1) or section reference."},
        "quote": {"type": "string", "description": "Words copied verbatim from it."},
    },
    "required": ["kind", "ref", "quote"],
    "additionalProperties": False,
}

_FINDING_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "category": {"type": "string", "enum": _CATEGORIES},
        "rule_id": {"type": "string", "description": "Catalogue id or short kebab-case id."},
        "cwe": {"type": ["string", "null"], "description": "e.g. CWE-89, or null."},
        "file": {"type": "string", "description": "Path of a changed file, as shown."},
        "start_line": {"type": "integer", "minimum": 1},
        "end_line": {"type": "integer", "minimum": 1},
        "severity": {"type": "string", "enum": _SEVERITIES},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "message": {"type": "string", "description": "Why it matters (1-2 sentences)."},
        "code_quote": {"type": "string", "description": "Verbatim added code at the location."},
        "cites": {"anyOf": [_CITES_SCHEMA, {"type": "null"}]},
        "suggested_fix": {"type": "string"},
    },
    "required": [
        "category",
        "rule_id",
        "file",
        "start_line",
        "end_line",
        "severity",
        "confidence",
        "message",
        "code_quote",
        "suggested_fix",
    ],
    "additionalProperties": False,
}

_VERDICT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "criterion_id": {"type": "string"},
        "verdict": {"type": "string", "enum": _VERDICTS},
        "reason": {"type": "string"},
        "evidence": {
            "type": "array",
            "items": {"type": "string", "description": "path:line of an added line"},
        },
    },
    "required": ["criterion_id", "verdict", "reason", "evidence"],
    "additionalProperties": False,
}

TOOL_INPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "findings": {"type": "array", "items": _FINDING_SCHEMA, "maxItems": MAX_FINDINGS},
        "criteria": {"type": "array", "items": _VERDICT_SCHEMA},
    },
    "required": ["findings", "criteria"],
    "additionalProperties": False,
}


def review_tool() -> dict[str, Any]:
    """The tool definition for the Messages API `tools` list."""
    return {
        "name": TOOL_NAME,
        "description": "Submit the review: evidence-backed findings on added lines and a "
        "verdict per acceptance criterion. The only action available.",
        "input_schema": TOOL_INPUT_SCHEMA,
    }


def forced_tool_choice() -> dict[str, Any]:
    return {"type": "tool", "name": TOOL_NAME}


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Strict):
    kind: Literal["criterion", "doc_section"]
    ref: str = Field(min_length=1, max_length=300)
    quote: str = Field(min_length=1, max_length=1000)


class LlmFinding(_Strict):
    category: Literal["security", "requirement_drift", "standards"]
    rule_id: str = Field(min_length=1, max_length=80)
    cwe: str | None = Field(default=None, pattern=r"^CWE-\d{1,5}$")
    file: str = Field(min_length=1, max_length=500)
    start_line: int = Field(ge=1)
    end_line: int = Field(ge=1)
    severity: Literal["info", "low", "medium", "high", "critical"]
    confidence: float = Field(ge=0.0, le=1.0)
    message: str = Field(min_length=1, max_length=1200)
    code_quote: str = Field(min_length=1, max_length=1000)
    cites: Citation | None = None
    suggested_fix: str = Field(max_length=1500)

    @model_validator(mode="after")
    def _ordered_lines(self) -> LlmFinding:
        if self.end_line < self.start_line:
            raise ValueError("end_line is before start_line")
        return self


class LlmVerdict(_Strict):
    criterion_id: str = Field(min_length=1, max_length=20)
    verdict: Literal["met", "not_met", "needs_human"]
    reason: str = Field(max_length=1200)
    evidence: list[str] = Field(default_factory=list, max_length=20)


class ReviewSubmission(_Strict):
    findings: list[LlmFinding] = Field(max_length=MAX_FINDINGS)
    criteria: list[LlmVerdict]


class InvalidToolOutput(ValueError):
    """The model's tool call did not validate; `summary` is safe to send back to it."""

    def __init__(self, summary: str) -> None:
        super().__init__(summary)
        self.summary = summary


def parse_submission(tool_input: dict[str, Any] | None) -> ReviewSubmission:
    """Validate the tool input; raise InvalidToolOutput with a short, bounded summary."""
    if tool_input is None:
        raise InvalidToolOutput(f"no call to the {TOOL_NAME} tool in the reply")
    try:
        return ReviewSubmission.model_validate(tool_input)
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(part) for part in issue['loc']) or '(root)'}: {issue['msg']}"
            for issue in error.errors()[:8]
        ]
        more = error.error_count() - len(problems)
        suffix = f" (and {more} more)" if more > 0 else ""
        raise InvalidToolOutput("; ".join(problems) + suffix) from None
