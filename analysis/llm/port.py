"""The ports the LLM reviewer talks through; implemented at the vendor edge (ingestion/llm).

`MessagesPort.create(request) -> reply` takes the body of a Messages API request (`model`,
`max_tokens`, `system`, `messages`, `tools`, `tool_choice`) and returns either

- a message: `{"type": "message", "model", "content": [...], "stop_reason", "usage": {
  "input_tokens", "output_tokens", "cache_read_input_tokens",
  "cache_creation_input_tokens", "cost_usd"}}` (`cost_usd` is the edge's estimate from
  the configured price table), or
- an error, in the API's own error shape: `{"type": "error", "error": {"type":
  "rate_limit_error" | "overloaded_error" | "timeout_error" | "connection_error" |
  "authentication_error" | "invalid_request_error" | "api_error", "message": ...}}`
  after the edge's retries are spent. An implementation never raises for vendor trouble
  and never puts credentials in a message.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from analysis.outcome_parts import LlmUsage


@runtime_checkable
class MessagesPort(Protocol):
    def create(self, request: dict[str, Any]) -> dict[str, Any]: ...


@runtime_checkable
class SpendLedger(Protocol):
    """The tenant's LLM spend today (for the daily budget), and where a review's spend goes."""

    def spent_today_usd(self) -> float: ...

    def record(self, usage: LlmUsage) -> None: ...


class ReplyUsage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    input_tokens: int = Field(default=0, ge=0)
    output_tokens: int = Field(default=0, ge=0)
    cache_read_input_tokens: int | None = Field(default=0, ge=0)
    cache_creation_input_tokens: int | None = Field(default=0, ge=0)
    cost_usd: float = Field(default=0.0, ge=0)


class MessageReply(BaseModel):
    """The parts of a Messages API reply the reviewer reads."""

    model_config = ConfigDict(extra="ignore")

    type: Literal["message"]
    model: str = ""
    content: list[dict[str, Any]] = Field(default_factory=list)
    stop_reason: str | None = None
    usage: ReplyUsage = Field(default_factory=ReplyUsage)

    def tool_input(self, tool_name: str) -> dict[str, Any] | None:
        """The input of the first call to `tool_name`, if the reply made one."""
        for block in self.content:
            if block.get("type") == "tool_use" and block.get("name") == tool_name:
                value = block.get("input")
                return value if isinstance(value, dict) else None
        return None

    def tool_use_id(self, tool_name: str) -> str | None:
        for block in self.content:
            if block.get("type") == "tool_use" and block.get("name") == tool_name:
                return str(block.get("id", ""))
        return None

    def as_assistant_content(self) -> list[dict[str, Any]]:
        """The reply's text and tool_use blocks, shaped as request content for a retry."""
        blocks: list[dict[str, Any]] = []
        for block in self.content:
            if block.get("type") == "text":
                blocks.append({"type": "text", "text": str(block.get("text", ""))})
            elif block.get("type") == "tool_use":
                blocks.append(
                    {
                        "type": "tool_use",
                        "id": str(block.get("id", "")),
                        "name": str(block.get("name", "")),
                        "input": block.get("input") if isinstance(block.get("input"), dict) else {},
                    }
                )
        return blocks


class ErrorReply(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: Literal["error"]
    error: dict[str, Any] = Field(default_factory=dict)

    @property
    def kind(self) -> str:
        return str(self.error.get("type") or "api_error")

    @property
    def message(self) -> str:
        return str(self.error.get("message") or "")


def parse_reply(reply: dict[str, Any]) -> MessageReply | ErrorReply:
    """Read a port reply; anything unrecognisable is an `api_error`."""
    if isinstance(reply, dict) and reply.get("type") == "error":
        return ErrorReply.model_validate(reply)
    try:
        return MessageReply.model_validate(reply)
    except ValueError:
        return ErrorReply(type="error", error={"type": "api_error", "message": "malformed reply"})
