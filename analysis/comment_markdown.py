"""Markdown building blocks for text Warden posts: untrusted text made inert, code spans.

PR, ticket and document text is untrusted. Everything rendered through these helpers is
flattened to one line, has secrets masked, cannot open or close an HTML comment (so it can
never forge Warden's hidden state block) and cannot @-mention anyone.
"""

from __future__ import annotations

import re

from analysis.masking import mask_secrets_in_text
from warden.records import Finding, Severity

_MENTION = re.compile(r"@(?=\w)")
_BACKTICKS = re.compile(r"`+")


def flat(text: str) -> str:
    """One line, secrets masked, whitespace collapsed."""
    return " ".join(mask_secrets_in_text(text).split())


def safe(text: str) -> str:
    """Untrusted text as one inert markdown line: no HTML comments, no @-mentions."""
    inert = flat(text).replace("<!--", "&lt;!--").replace("-->", "--&gt;")
    return _MENTION.sub("@\u200b", inert)


def code(text: str) -> str:
    """An inline code span that survives backticks inside `text`."""
    inner = flat(text).replace("<!--", "<!-\u200b-").replace("-->", "-\u200b->")
    longest = max((len(run) for run in _BACKTICKS.findall(inner)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if inner.startswith("`") or inner.endswith("`") else ""
    return f"{fence}{pad}{inner}{pad}{fence}"


def location(finding: Finding) -> str:
    """`path:line` (or `path`, or the evidence source for findings about no file)."""
    if finding.file_path:
        line = f":{finding.start_line}" if finding.start_line else ""
        return f"{finding.file_path}{line}"
    return finding.evidence_source or "pull request"


def severity_label(severity: Severity) -> str:
    return severity.value.capitalize()


def rule_meta(finding: Finding) -> str:
    """`rule `x`, CWE-89, confidence 90%`."""
    cwe = f", {finding.cwe}" if finding.cwe else ""
    return f"rule {code(finding.rule_id)}{cwe}, confidence {finding.confidence:.0%}"
