"""Single-file components (Vue `.vue`, Svelte `.svelte`): the markup's raw-HTML bindings
(`v-html="..."`, `:innerHTML="..."`, `{@html ...}`) judged against the component's script,
and the `<script>` part alone, line numbers kept, for the JavaScript scanner."""

from __future__ import annotations

import re

from analysis.detectors.security_catalog import Hit
from analysis.files import FileView

COMPONENT_SUFFIXES = (".vue", ".svelte")
_SCRIPT_OPEN = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(r"</script\s*>", re.IGNORECASE)
_STYLE_OPEN = re.compile(r"<style\b[^>]*>", re.IGNORECASE)
_STYLE_CLOSE = re.compile(r"</style\s*>", re.IGNORECASE)
_RAW_BINDING = re.compile(
    r"""(?:\bv-html|(?<![\w-]):innerHTML|\bv-bind:innerHTML)\s*=\s*(?:"([^"]*)"|'([^']*)')"""
    r"""|\{@html\s+((?:[^{}]|\{[^{}]*\})+)\}"""
)
_SANITISED = re.compile(
    r"(?i)\b(?:DOMPurify|purify|sanitize\w*|sanitise\w*|escape\w*|filterXSS|xss|he\.encode)\b"
)
_SAFE_NAME = re.compile(r"(?i)^(?:safe|sanitized|sanitised|clean|purified|escaped)")
_URL_DATA = re.compile(
    r"\$route\.(?:query|params|hash)|\broute\.(?:query|params|hash)|\bsearchParams\b"
    r"|\blocation\.(?:search|hash|href)|\$page\.url|\bpage\.url\b"
)
_STRING_LITERAL = re.compile(r"""^\s*(?:'[^'{]*'|"[^"{]*"|`[^`$]*`)\s*$""")
_ROOT_NAME = re.compile(r"^\s*(?:this\.)?([A-Za-z_$][\w$]*)")
_DEFINITION_WINDOW = 6


def is_component(path: str) -> bool:
    return path.lower().endswith(COMPONENT_SUFFIXES)


def script_lines(lines: list[str]) -> tuple[list[str], bool]:
    """The file with every line outside `<script>` blanked (numbers kept) and whether the
    script declares TypeScript (`lang="ts"`)."""
    kept: list[str] = []
    inside = False
    typescript = False
    for line in lines:
        if not inside and (opened := _SCRIPT_OPEN.search(line)):
            inside = not _SCRIPT_CLOSE.search(line, opened.end())
            typescript = typescript or bool(re.search(r"""lang\s*=\s*["']ts["']""", opened[1]))
            kept.append("")
            continue
        if inside and _SCRIPT_CLOSE.search(line):
            inside = False
            kept.append("")
            continue
        kept.append(line if inside else "")
    return kept, typescript


def markup_hits(view: FileView) -> list[Hit]:
    """Raw-HTML bindings on added markup lines whose value is not sanitised."""
    lines = view.head_lines
    script = script_lines(lines)[0] if lines is not None else []
    markup = _markup_line_numbers(lines) if lines is not None else None
    hits: list[Hit] = []
    for number, line in sorted(view.added.items()):
        if markup is not None and number not in markup:
            continue
        for match in _RAW_BINDING.finditer(line):
            expression = next(group for group in match.groups() if group is not None)
            hit = _judge(expression, script, number)
            if hit is not None:
                hits.append(hit)
    return hits


def _markup_line_numbers(lines: list[str]) -> set[int]:
    script = script_lines(lines)[0]
    numbers: set[int] = set()
    in_style = False
    for number, (line, code) in enumerate(zip(lines, script, strict=True), 1):
        if _STYLE_OPEN.search(line):
            in_style = not _STYLE_CLOSE.search(line)
            continue
        if in_style:
            in_style = not _STYLE_CLOSE.search(line)
            continue
        if not code and not _SCRIPT_OPEN.search(line) and not _SCRIPT_CLOSE.search(line):
            numbers.add(number)
    return numbers


def _judge(expression: str, script: list[str], line: int) -> Hit | None:
    if not expression.strip() or _STRING_LITERAL.match(expression):
        return None
    if _SANITISED.search(expression):
        return None
    root = _ROOT_NAME.match(expression)
    name = root.group(1) if root else ""
    if name and (_SAFE_NAME.match(name) or _sanitised_in_script(name, script)):
        return None
    binding = f"raw HTML binding `{expression.strip()}`"
    if _URL_DATA.search(expression) or (name and _from_url(name, script)):
        return Hit("xss", line, line, 0.85, f"URL data reaches {binding}")
    return Hit("xss", line, line, 0.7, f"{binding} renders data that is not sanitised")


def _definitions(name: str, script: list[str]) -> list[str]:
    """The script lines that define `name` (declaration, property, method); one that opens
    a body (a computed property) comes with the few lines after it."""
    pattern = re.compile(
        rf"(?:\b(?:const|let|var|function)\s+{re.escape(name)}\b|^\s*{re.escape(name)}\s*[(:=])"
        rf"|\$:\s*{re.escape(name)}\s*="
    )
    found: list[str] = []
    for index, text in enumerate(script):
        if not pattern.search(text):
            continue
        opens_body = text.rstrip().endswith(("{", "("))  # a computed property or method
        found.append("\n".join(script[index : index + _DEFINITION_WINDOW]) if opens_body else text)
    return found


def _sanitised_in_script(name: str, script: list[str]) -> bool:
    return any(_SANITISED.search(block) for block in _definitions(name, script))


def _from_url(name: str, script: list[str]) -> bool:
    return any(_URL_DATA.search(block.split("\n", 1)[0]) for block in _definitions(name, script))
