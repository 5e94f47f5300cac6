"""Request data placed in an LLM's system prompt (CWE-1427): whoever sends the request can
rewrite the model's instructions.

System-prompt sinks: a message `{"role": "system" | "developer", "content": ...}` (OpenAI,
LiteLLM and compatible APIs), `system=` of Anthropic's `messages.create` / `stream`,
`instructions=` of OpenAI's Responses and Assistants APIs and of agent classes,
`system_prompt=` / `system_instruction=` keywords (Gemini, pydantic-ai, LlamaIndex ...),
LangChain's `SystemMessage(...)`, `SystemMessagePromptTemplate.from_template(...)` and
`("system", ...)` message tuples. Request data in a user-role message is how a chat is
meant to work and is not reported; neither are values picked from a constant table by a
request key, nor text checked against an allow-list first.
"""

from __future__ import annotations

import ast
import re

from analysis.detectors.python.callsite import CallSite, Reporter
from analysis.detectors.python.values import Value

RULE = "llm-prompt-injection"
_KIND = "prompt"
_SINK = "the LLM system prompt"
_SYSTEM_ROLES = frozenset({"system", "developer"})
_SYSTEM_KEYWORDS = frozenset(
    {"system_prompt", "system_instruction", "system_message", "system_instructions"}
)
_ANTHROPIC_MESSAGES = re.compile(r"(?:^|\.)messages\.(?:create|stream|count_tokens)$")
_INSTRUCTION_CALLS = re.compile(
    r"(?:^|\.)(?:responses\.(?:create|stream|parse)|assistants\.(?:create|update)"
    r"|runs\.(?:create|create_and_poll|create_and_stream|stream))$|^agents\.Agent$"
)
_INSTRUCTION_KEYWORDS = ("instructions", "additional_instructions")
_SYSTEM_MESSAGE = re.compile(r"(?:^|\.)SystemMessage$|(?:^|\.)SystemMessagePromptTemplate\.\w+$")
_LLM_MODULES = frozenset(
    {
        "openai", "anthropic", "langchain", "langchain_core", "langchain_openai",
        "langchain_anthropic", "langchain_community", "langgraph", "litellm", "llama_index",
        "google", "vertexai", "cohere", "mistralai", "groq", "ollama", "pydantic_ai",
        "agents",
    }
)  # fmt: skip
_MESSAGE_TUPLE = 2


def check_llm_call(site: CallSite, out: Reporter) -> None:
    """System-prompt keywords and LangChain system-message constructors."""
    for keyword in site.node.keywords:
        name = keyword.arg or ""
        if (
            name in _SYSTEM_KEYWORDS
            or (name == "system" and _ANTHROPIC_MESSAGES.search(site.name))
            or (name in _INSTRUCTION_KEYWORDS and _INSTRUCTION_CALLS.search(site.name))
        ):
            _sink(out, keyword.value, site.kwargs[name], f"{site.short}({name}=...)", 0.8)
    if _SYSTEM_MESSAGE.search(site.name) and site.imports_any(*_LLM_MODULES):
        found = site.arg(0, "content") or site.arg(0, "template")
        if found is not None:
            _sink(out, found[0], found[1], site.name.rsplit(".", 1)[-1], 0.8)


def check_message_literal(
    node: ast.Dict | ast.Tuple, values: list[Value], out: Reporter, imports: frozenset[str]
) -> None:
    """`{"role": "system", "content": ...}` and LangChain's `("system", ...)`."""
    if isinstance(node, ast.Tuple):
        if len(values) != _MESSAGE_TUPLE or values[0].literal not in _SYSTEM_ROLES:
            return
        if any(module in imports for module in _LLM_MODULES):
            _sink(out, node.elts[1], values[1], '("system", ...) message', 0.75)
        return
    role: object = None
    content: tuple[ast.expr, Value] | None = None
    for key, value_node, value in zip(node.keys, node.values, values, strict=True):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            continue
        if key.value == "role":
            role = value.literal
        elif key.value == "content":
            content = (value_node, value)
    if role in _SYSTEM_ROLES and content is not None:
        _sink(out, content[0], content[1], f'{{"role": "{role}"}} message', 0.8)


def _sink(out: Reporter, node: ast.AST, value: Value, where: str, confidence: float) -> None:
    out.sink(RULE, node, value, f"{_SINK} ({where})", kind=_KIND, remote=confidence)
