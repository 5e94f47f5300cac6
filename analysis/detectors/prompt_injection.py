"""Prompt injection: text that tries to instruct an AI reviewer (CWE-1427).

Scans the PR title and description, linked tickets, the documentation sections the review
uses, and ADDED lines of changed files (comments, strings, docs). The phrases are aimed at a
model ("ignore previous instructions", "you are now ...", "as the AI reviewer you must",
"approve this PR" addressed to a bot, hidden HTML comments, fake system turns, invisible
Unicode tag characters). Warden never obeys such text; this reviewer reports it so a human
sees who tried. A plain human request ("@alice please approve this PR") stays quiet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.context import ReviewContext
from analysis.detectors.security_catalog import SECURITY_RULES
from analysis.files import FileView
from analysis.findings import general_finding
from analysis.fingerprint import compute_fingerprint
from warden.records import Finding, FindingCategory

RULE = SECURITY_RULES["prompt-injection"]
_TEST_CONFIDENCE_FACTOR = 0.5
_SNIPPET_RADIUS = 60
_AI = (
    r"(?:ai|a\.i\.|llm|large\s+language\s+model|language\s+model|assistant|chatbot|bot|copilot"
    r"|claude|gpt|chatgpt|model|automated\s+(?:code\s+)?review(?:er)?)"
)
_AI_WORD = re.compile(rf"(?i)\b{_AI}\b")
_FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class _Pattern:
    pattern: re.Pattern[str]
    confidence: float
    detail: str
    #: lower-case words of which every match contains at least one (a cheap pre-check)
    hints: tuple[str, ...]
    needs_ai_nearby: bool = False


_PATTERNS = (
    _Pattern(
        re.compile(
            r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|the|your|of|my)\s+)*"
            r"(?:previous|prior|above|earlier|preceding|original|system|existing)\s+"
            r"(?:instructions?|prompts?|rules|directions|guidelines|context|messages?)",
            _FLAGS,
        ),
        0.9,
        "tells the reader to ignore its instructions",
        ("ignore", "disregard", "forget", "override", "bypass"),
    ),
    _Pattern(
        re.compile(
            r"\byou\s+are\s+now\s+(?:in\s+)?(?:an?\s+|the\s+)?(?:unrestricted|jailbroken"
            r"|developer\s+mode|dan\b|god\s+mode|admin\s+mode|no\s+longer|a\s+different"
            rf"|new\s+(?:ai|assistant|model|persona)|{_AI}\b)",
            _FLAGS,
        ),
        0.85,
        "tries to give the reader a new role",
        ("now",),
    ),
    _Pattern(
        re.compile(
            rf"\b(?:as|attention|note\s+(?:to|for)|dear|hey)\s+(?:the\s+|an?\s+|any\s+)?{_AI}"
            r"(?:\s+(?:code\s+)?reviewer)?\b[^.\n]{0,80}?\b(?:you\s+(?:must|should|will|need\s+to"
            r"|are\s+(?:required|instructed))|must|should)\b",
            _FLAGS,
        ),
        0.85,
        "addresses an AI reviewer with instructions",
        ("must", "should", "you"),
    ),
    _Pattern(
        re.compile(
            r"\b(?:approve|merge|lgtm|auto-?approve)\s+(?:this|the)\s+(?:pr|pull\s+request"
            r"|merge\s+request|change(?:set)?|diff|patch)\b",
            _FLAGS,
        ),
        0.8,
        "asks an AI reviewer to approve or merge",
        ("approve", "merge", "lgtm"),
        needs_ai_nearby=True,
    ),
    _Pattern(
        re.compile(
            r"\b(?:do\s+not|don'?t|never)\s+(?:report|flag|mention|comment\s+on|raise"
            r"|point\s+out)\s+(?:(?:any|the|these|this|security)\s+)*(?:issues?|vulnerabilit\w*"
            r"|findings?|problems?|bugs?|warnings?)",
            _FLAGS,
        ),
        0.75,
        "tells the reviewer to stay silent about problems",
        ("report", "flag", "mention", "comment", "raise", "point"),
        needs_ai_nearby=True,
    ),
    _Pattern(
        re.compile(
            r"(?:<\|?(?:system|im_start|im_end)\|?>|\[/?INST\]|</?system>"
            r"|(?:^|\n)\s*#{1,3}\s*(?:system|new)\s+(?:prompt|instructions?)\b)",
            _FLAGS,
        ),
        0.75,
        "imitates a system message or prompt delimiter",
        ("system", "im_start", "im_end", "inst"),
    ),
    _Pattern(
        re.compile(
            r"\b(?:respond|reply|answer|output)\s+only\s+(?:with\s+)?[\"'`]?"
            r"(?:lgtm|approved?|looks\s+good|no\s+issues)",
            _FLAGS,
        ),
        0.8,
        "dictates the reviewer's answer",
        ("only",),
    ),
)
_HIDDEN_COMMENT = re.compile(r"<!--(?P<body>.*?)-->", re.DOTALL)
_HIDDEN_DIRECTIVE = re.compile(r"(?i)\b(?:must|should|ignore|approve|do\s+not|don'?t|never)\b")
_UNICODE_TAGS = re.compile("[\U000e0000-\U000e007f]+")


@dataclass(frozen=True)
class InjectionHit:
    start: int
    end: int
    confidence: float
    detail: str


def find_injections(text: str) -> list[InjectionHit]:
    """Every instruction aimed at an AI reviewer in `text`, strongest first."""
    hits: list[InjectionHit] = []
    ascii_only = text.isascii()
    lowered = text.lower()
    for item in _PATTERNS:
        # IGNORECASE also folds some non-ASCII letters, so only ASCII text may skip a pattern
        if ascii_only and not any(hint in lowered for hint in item.hints):
            continue
        for match in item.pattern.finditer(text):
            if item.needs_ai_nearby and not _ai_nearby(text, match.start(), match.end()):
                continue
            hits.append(InjectionHit(match.start(), match.end(), item.confidence, item.detail))
    for match in _HIDDEN_COMMENT.finditer(text) if "<!--" in text else ():
        body = match.group("body")
        if _AI_WORD.search(body) and _HIDDEN_DIRECTIVE.search(body):
            detail = "hides instructions for an AI reviewer in an HTML comment"
            hits.append(InjectionHit(match.start(), match.end(), 0.9, detail))
    for match in () if ascii_only else _UNICODE_TAGS.finditer(text):
        detail = "contains invisible Unicode tag characters (hidden text for a model)"
        hits.append(InjectionHit(match.start(), match.end(), 0.9, detail))
    return sorted(hits, key=lambda hit: (-hit.confidence, hit.start))


def _ai_nearby(text: str, start: int, end: int, radius: int = 160) -> bool:
    return bool(_AI_WORD.search(text[max(0, start - radius) : end + radius]))


def _snippet(text: str, hit: InjectionHit) -> str:
    start = max(0, hit.start - _SNIPPET_RADIUS)
    return _visible(text[start : hit.end + _SNIPPET_RADIUS])


class PromptInjectionReviewer:
    name = "prompt_injection"

    def review(self, context: ReviewContext, hints: list[Finding]) -> list[Finding]:
        findings: list[Finding] = []
        pr = context.pull_request
        texts: list[tuple[str, str]] = [
            (
                f"pull request {pr.repository}#{pr.number} title and description",
                f"{pr.title}\n\n{pr.body}",
            )
        ]
        texts += [
            (
                f"ticket {ticket.ticket_key}",
                "\n".join([ticket.title, ticket.description, *ticket.acceptance_criteria]),
            )
            for ticket in context.tickets
        ]
        texts += [
            (ref.citation, f"{ref.section.heading}\n{ref.section.text}")
            for ref in context.relevant_sections()
        ]
        for source, text in texts:
            hits = find_injections(text)
            if hits:  # one finding per text: the strongest instruction in it
                findings.append(self._text_finding(context, source, text, hits[0]))
        for view in context.file_views():
            findings.extend(self._file_findings(context, view))
        return findings

    def _text_finding(
        self, context: ReviewContext, source: str, text: str, hit: InjectionHit
    ) -> Finding:
        snippet = _snippet(text, hit)
        return general_finding(
            context,
            rule_id=RULE.rule_id,
            category=FindingCategory.security,
            severity=RULE.severity,
            confidence=hit.confidence,
            cwe=RULE.cwe,
            message=f"{RULE.title} in the {source}: it {hit.detail}. {RULE.why}",
            suggested_fix=RULE.fix,
            evidence=snippet,
            evidence_source=source,
            fingerprint=compute_fingerprint(RULE.rule_id, source, text[hit.start : hit.end]),
        )

    def _file_findings(self, context: ReviewContext, view: FileView) -> list[Finding]:
        """Runs of consecutive added lines are scanned as one text (multi-line comments)."""
        best: dict[int, InjectionHit] = {}
        for numbers in _added_runs(view):
            offsets: list[tuple[int, int]] = []
            parts: list[str] = []
            position = 0
            for number in numbers:
                offsets.append((position, number))
                parts.append(view.added[number])
                position += len(view.added[number]) + 1
            block = "\n".join(parts)
            for hit in find_injections(block):
                line = max(number for offset, number in offsets if offset <= hit.start)
                if line not in best or hit.confidence > best[line].confidence:
                    best[line] = hit
        factor = _TEST_CONFIDENCE_FACTOR if view.is_test else 1.0
        return [
            general_finding(
                context,
                rule_id=RULE.rule_id,
                category=FindingCategory.security,
                severity=RULE.severity,
                confidence=hit.confidence * factor,
                cwe=RULE.cwe,
                message=f"{RULE.title}: the added text {hit.detail}. {RULE.why}",
                suggested_fix=RULE.fix,
                evidence=_visible(view.added[line]),
                evidence_source=f"{view.path}:{line}",
                file_path=view.path,
                start_line=line,
                end_line=line,
                fingerprint=compute_fingerprint(
                    RULE.rule_id, view.path, view.line_text(line), view.occurrence(line)
                ),
            )
            for line, hit in sorted(best.items())
        ]


def _visible(text: str) -> str:
    return " ".join(_UNICODE_TAGS.sub("[hidden tag characters]", text).split())


def _added_runs(view: FileView) -> list[list[int]]:
    runs: list[list[int]] = []
    for number in sorted(view.added):
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return runs
