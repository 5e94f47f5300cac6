"""Per-line security patterns: Python lines that do not parse on their own (patch-only
fallback) and language-independent lines (JavaScript/TypeScript, Go and Java are read by
tree-sitter in their own packages).

Patterns run on code with comments stripped; a `LineRule` may need a file-level marker
(e.g. `child_process` imported) before it applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.detectors.security_catalog import Hit


@dataclass(frozen=True)
class LineRule:
    rule_id: str
    pattern: re.Pattern[str]
    confidence: float
    detail: str
    needs_in_file: re.Pattern[str] | None = None


def _rule(rule_id: str, pattern: str, confidence: float, detail: str, needs: str = "") -> LineRule:
    return LineRule(
        rule_id, re.compile(pattern), confidence, detail, re.compile(needs) if needs else None
    )


PYTHON_FALLBACK_RULES: tuple[LineRule, ...] = (
    _rule(
        "sql-injection",
        r"\.(?:execute|executemany|executescript|raw)\s*\(\s*(?:[rb]?f['\"]|(['\"])[^'\"]*\1\s*"
        r"(?:%\s*[\w(\[]|\+|\.format\())",
        0.75,
        "query text built with an f-string, %, + or format()",
    ),
    _rule(
        "shell-injection",
        r"\bos\.(?:system|popen)\s*\(\s*(?:f['\"]|[A-Za-z_])",
        0.75,
        "os.system/os.popen with a non-constant command",
    ),
    _rule(
        "shell-injection",
        r"\bsubprocess\.\w+\s*\(\s*(?:f['\"]|[A-Za-z_]).*shell\s*=\s*True",
        0.75,
        "subprocess with shell=True and a variable",
    ),
    _rule(
        "code-injection",
        r"(?<![\w.])(?:eval|exec)\s*\(\s*(?:f['\"]|[A-Za-z_])",
        0.7,
        "eval/exec of a non-constant value",
    ),
    _rule(
        "unsafe-deserialization",
        r"\b(?:c?pickle|dill|marshal)\.loads?\s*\(",
        0.7,
        "pickle/marshal loads",
    ),
    _rule(
        "unsafe-deserialization",
        r"\byaml\.(?:unsafe_load|load)\s*\((?![^)]*Loader\s*=\s*(?:yaml\.)?C?(?:Safe|Base)Loader)",
        0.75,
        "yaml.load without SafeLoader",
    ),
    _rule("tls-verification-disabled", r"\bverify\s*=\s*False\b", 0.85, "verify=False"),
    _rule(
        "tls-verification-disabled",
        r"\bssl\._create_unverified_context\b",
        0.9,
        "ssl._create_unverified_context",
    ),
    _rule("tls-verification-disabled", r"\bssl\.CERT_NONE\b", 0.85, "ssl.CERT_NONE"),
    _rule(
        "weak-hash",
        r"\bhashlib\.(?:md5|sha1)\s*\((?![^)]*usedforsecurity\s*=\s*False)",
        0.6,
        "hashlib md5/sha1",
    ),
    _rule("debug-mode-enabled", r"\.run\s*\([^)]*\bdebug\s*=\s*True", 0.8, "run(debug=True)"),
    _rule("debug-mode-enabled", r"^\s*DEBUG\s*=\s*True\b", 0.6, "DEBUG = True"),
    _rule("permissive-cors", r"\b(?:allow_)?origins\s*=\s*\[?\s*['\"]\*['\"]", 0.85, "origins=*"),
)

ANY_FILE_RULES: tuple[LineRule, ...] = (
    _rule(
        "tls-verification-disabled",
        r"\bNODE_TLS_REJECT_UNAUTHORIZED['\"]?\s*[:=]\s*['\"]?0\b",
        0.9,
        "NODE_TLS_REJECT_UNAUTHORIZED=0",
    ),
    _rule(
        "permissive-cors",
        r"(?i)access-control-allow-origin['\"]?\s*[:,=]?\s*['\"]?\*(?![\w*])",
        0.8,
        "Access-Control-Allow-Origin: *",
    ),
)


def strip_comment(line: str, markers: tuple[str, ...]) -> str:
    """`line` without a trailing comment; quote-aware so `"#"` inside a string survives."""
    quote: str | None = None
    index = 0
    while index < len(line):
        char = line[index]
        if quote:
            if char == "\\":
                index += 2
                continue
            if char == quote:
                quote = None
        elif char in "'\"`":
            quote = char
        elif any(line.startswith(marker, index) for marker in markers):
            return line[:index]
        index += 1
    return line


def is_comment_line(line: str, language: str) -> bool:
    stripped = line.lstrip()
    if language == "python":
        return stripped.startswith("#")
    return stripped.startswith(("//", "/*", "*", "<!--", "#"))


def scan_line(text: str, line: int, rules: tuple[LineRule, ...], file_text: str) -> list[Hit]:
    """Hits of `rules` on one (comment-stripped) statement starting at `line`."""
    hits: list[Hit] = []
    seen: set[str] = set()
    for rule in rules:
        if rule.rule_id in seen:
            continue
        if rule.needs_in_file is not None and not rule.needs_in_file.search(file_text):
            continue
        if rule.pattern.search(text):
            seen.add(rule.rule_id)
            hits.append(Hit(rule.rule_id, line, line, rule.confidence, rule.detail))
    return hits
