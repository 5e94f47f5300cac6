"""Request data placed in an LLM's system prompt (CWE-1427): whoever sends the request can
rewrite the model's instructions.

System-prompt sinks: a message object `{ role: "system" | "developer", content }` (OpenAI,
Vercel AI SDK, any compatible API), `system` of Anthropic's `messages.create` / `stream` and
of the AI SDK's `generateText` / `streamText` / `generateObject` / `streamObject`,
`instructions` of OpenAI's Responses / Assistants APIs (and `new Agent(...)` from
`@openai/agents`), `systemPrompt` / `systemInstruction` options of any call, LangChain's
`new SystemMessage(...)`, `SystemMessagePromptTemplate.fromTemplate(...)` and
`["system", ...]` entries of `ChatPromptTemplate.fromMessages`. Request data in a user-role
message is how a chat is meant to work and is not reported; neither are values looked up in
a constant table nor text checked against an allow-list first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from analysis.detectors.javascript.spec import arguments, callee_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import TaintWalk

RULE = "llm-prompt-injection"
_KIND = "prompt"
_CONFIDENCE = 0.8
_SYSTEM_ROLES = frozenset({"system", "developer"})
_SYSTEM_CALLS = re.compile(
    r"(?:^|\.)(?:messages\.(?:create|stream|countTokens)|generateText|streamText"
    r"|generateObject|streamObject|streamUI)$"
)
_INSTRUCTION_CALLS = re.compile(
    r"(?:^|\.)(?:responses\.(?:create|stream|parse)|assistants\.(?:create|update)"
    r"|runs\.(?:create|createAndPoll|createAndStream|stream))$"
)
_AGENTS_IMPORT = re.compile(rb"""['"]@openai/agents['"]""")
_INSTRUCTION_KEYS = frozenset({"instructions", "additional_instructions"})
_ANY_CALL_KEYS = frozenset(
    {"systemPrompt", "systemInstruction", "systemMessage", "system_prompt", "system_instruction"}
)
_SYSTEM_MESSAGE = re.compile(r"(?:^|\.)(?:SystemMessage|SystemChatMessage)$")
_SYSTEM_TEMPLATE = re.compile(r"(?:^|\.)SystemMessagePromptTemplate\.fromTemplate$")
_FROM_MESSAGES = re.compile(r"(?:^|\.)fromMessages$")
_PAIR = 2
_WRAPPERS = frozenset({"as_expression", "satisfies_expression", "parenthesized_expression"})


def check_llm_prompt(node: Node, walk: TaintWalk) -> Iterable[Hit]:
    kind = node.type
    if kind == "object":
        return _object(node, walk)
    if kind in ("call_expression", "new_expression"):
        return _constructor(node, walk)
    if kind == "array":
        return _message_pair(node, walk)
    return ()


def _object(node: Node, walk: TaintWalk) -> list[Hit]:
    entries = _entries(node)
    hits: list[Hit] = []
    role = entries.get("role")
    content = entries.get("content")
    if role is not None and content is not None and _literal(role) in _SYSTEM_ROLES:
        hits.extend(_sink(walk, content, f'{{ role: "{_literal(role)}" }} message'))
    call = _called_with(node)
    if call is None:
        return hits
    callee = callee_name(call)
    for key, value in entries.items():
        if (
            key in _ANY_CALL_KEYS
            or (key == "system" and _SYSTEM_CALLS.search(callee))
            or (key in _INSTRUCTION_KEYS and _instruction_call(call, callee, walk))
        ):
            hits.extend(_sink(walk, value, f"{callee}({{ {key} }})"))
    return hits


def _constructor(call: Node, walk: TaintWalk) -> list[Hit]:
    callee = callee_name(call)
    if not (_SYSTEM_MESSAGE.search(callee) or _SYSTEM_TEMPLATE.search(callee)):
        return []
    args = arguments(call)
    if not args:
        return []
    first = args[0]
    if first.type == "object":  # `new SystemMessage({ content })`
        content = _entries(first).get("content")
        return _sink(walk, content, callee) if content is not None else []
    return _sink(walk, first, callee)


def _message_pair(node: Node, walk: TaintWalk) -> list[Hit]:
    """`ChatPromptTemplate.fromMessages([["system", text], ...])`."""
    items = [c for c in node.named_children if c.type != "comment"]
    if len(items) != _PAIR or _literal(items[0]) not in _SYSTEM_ROLES:
        return []
    outer = node.parent
    call = _called_with(outer) if outer is not None and outer.type == "array" else None
    if call is None or not _FROM_MESSAGES.search(callee_name(call)):
        return []
    return _sink(walk, items[1], '["system", ...] message')


def _sink(walk: TaintWalk, value: Node, where: str) -> list[Hit]:
    fact = walk.tainted(value, _KIND)
    if fact is None or fact.source == "process.env":
        return []
    detail = f"{fact.source} reaches the LLM system prompt ({where})"
    return [walk.hit(RULE, value, _CONFIDENCE, detail, fact)]


def _entries(node: Node) -> dict[str, Node]:
    """Keys of an object literal and the node holding each value."""
    entries: dict[str, Node] = {}
    for child in node.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            value = child.child_by_field_name("value")
            if key is not None and value is not None and key.type != "computed_property_name":
                entries[text(key).strip("'\"")] = value
        elif child.type == "shorthand_property_identifier":  # `{ system }`
            entries[text(child)] = child
    return entries


def _called_with(node: Node) -> Node | None:
    """The call whose argument list holds `node` directly."""
    parent = node.parent
    if parent is None or parent.type != "arguments":
        return None
    call = parent.parent
    return call if call is not None and call.type in ("call_expression", "new_expression") else None


def _instruction_call(call: Node, callee: str, walk: TaintWalk) -> bool:
    if _INSTRUCTION_CALLS.search(callee):
        return True
    return (
        call.type == "new_expression"
        and callee.rsplit(".", 1)[-1] == "Agent"
        and bool(_AGENTS_IMPORT.search(walk.parsed.source))
    )


def _literal(node: Node) -> str:
    while node.type in _WRAPPERS and node.named_children:
        node = node.named_children[0]
    if node.type != "string":
        return ""
    return text(node)[1:-1]
