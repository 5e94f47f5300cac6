"""Retrieval: the document sections relevant to a change, ranked (BM25) and bounded.

Query terms come from the change itself: changed paths (full path, file stem, distinctive
directories), identifiers on added lines and imported module names. Sections are scored
with BM25 over their heading (counted twice) and text, plus boosts for a literal mention
of a changed path and for machine-checkable blocks whose globs match a changed path.
The result is bounded by a count and a character budget; rule enforcement and the LLM
read the same list.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.detectors.standards_rules import glob_to_regex
from warden.records import Document, DocumentSection

if TYPE_CHECKING:
    from analysis.context import ReviewContext

DEFAULT_LIMIT = 20
DEFAULT_CHAR_BUDGET = 24_000
_K1 = 1.2
_B = 0.75
_PATH_MENTION_BOOST = 3.0
_BLOCK_BOOST = 2.0
_STANDARD_BOOST = 0.5
_MAX_IDENTIFIER_TERMS = 200
_GENERIC_TEXT = (
    "src lib app apps pkg internal main test tests index init __init__ py js ts tsx jsx go "
    "java self this none null true false return import from def class const let var func "
    "function public private static void string int str bool dict list async await new "
    "get set value data result args kwargs"
)
_GENERIC = frozenset(_GENERIC_TEXT.split())
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_IMPORT = re.compile(
    r"""^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+)|import\s.*?from\s+['"]([^'"]+)['"]"""
    r"""|.*?require\(\s*['"]([^'"]+)['"]\))"""
)
_BLOCK = re.compile(r"```[ \t]*warden-(?:rule|standard)\b(.*?)```", re.DOTALL)
_GLOB_VALUE = re.compile(r"""["']([^"'\n]*[*/][^"'\n]*)["']""")


@dataclass(frozen=True)
class SectionRef:
    """A document section judged relevant to the change, with the reasons it was picked."""

    document: Document
    section: DocumentSection
    score: float
    reasons: tuple[str, ...]

    @property
    def citation(self) -> str:
        return f"{self.document.title}#{self.section.anchor}"


def tokens(text: str) -> list[str]:
    """Lower-case word parts: `MaxLoginAttempts` -> max, login, attempts; digits dropped."""
    out: list[str] = []
    for word in _WORD.findall(text):
        for part in _CAMEL.findall(word):
            lowered = part.lower()
            if len(lowered) >= 3 and not lowered.isdigit():
                out.append(_fold(lowered))
    return out


def _fold(word: str) -> str:
    """Plural folding only, so `invoices` meets `invoice` and `tokens` meets `token`."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def query_terms(context: ReviewContext) -> tuple[dict[str, float], list[str]]:
    """(term -> weight, changed paths). Paths weigh most, then imports, then identifiers."""
    weights: dict[str, float] = {}

    def add(term: str, weight: float) -> None:
        if term not in _GENERIC and len(term) >= 3:
            weights[term] = max(weights.get(term, 0.0), weight)

    paths = context.changed_paths()
    identifiers: Counter[str] = Counter()
    for path in paths:
        parts = path.split("/")
        for term in tokens(parts[-1].rsplit(".", 1)[0]):
            add(term, 2.0)
        for directory in parts[:-1]:
            for term in tokens(directory):
                add(term, 1.5)
    for view in context.file_views():
        for text in view.added.values():
            match = _IMPORT.match(text)
            if match:
                module = next(group for group in match.groups() if group)
                for term in tokens(module):
                    add(term, 1.0)
            identifiers.update(tokens(" ".join(_IDENTIFIER.findall(text))))
    for term, _count in identifiers.most_common(_MAX_IDENTIFIER_TERMS):
        add(term, 0.5)
    return weights, paths


def _section_tokens(section: DocumentSection) -> list[str]:
    heading = tokens(section.heading)
    return heading + heading + tokens(section.text)


def _block_globs_match(section: DocumentSection, paths: list[str]) -> bool:
    for block in _BLOCK.findall(section.text):
        for glob in _GLOB_VALUE.findall(block):
            try:
                pattern = glob_to_regex(glob.strip())
            except ValueError:
                continue
            if any(pattern.fullmatch(path) for path in paths):
                return True
    return False


def rank_sections(
    documents: list[Document], weights: dict[str, float], paths: list[str]
) -> list[SectionRef]:
    """Every section with a positive score, best first (ties: title, anchor)."""
    corpus = [
        (document, section, _section_tokens(section))
        for document in documents
        for section in document.sections
    ]
    if not corpus:
        return []
    average = sum(len(toks) for _, _, toks in corpus) / len(corpus) or 1.0
    frequency: Counter[str] = Counter()
    for _, _, toks in corpus:
        frequency.update(set(toks))
    refs: list[SectionRef] = []
    for document, section, toks in corpus:
        counts = Counter(toks)
        score = 0.0
        matched: list[str] = []
        norm = _K1 * (1 - _B + _B * len(toks) / average)
        for term, weight in weights.items():
            tf = counts.get(term, 0)
            if not tf:
                continue
            idf = math.log(1 + (len(corpus) - frequency[term] + 0.5) / (frequency[term] + 0.5))
            score += weight * idf * tf * (_K1 + 1) / (tf + norm)
            matched.append(term)
        reasons = [f"terms: {', '.join(sorted(matched)[:8])}"] if matched else []
        lowered = f"{section.heading}\n{section.text}".lower()
        for path in paths:
            if path.lower() in lowered:
                score += _PATH_MENTION_BOOST
                reasons.insert(0, f"mentions {path}")
        if _block_globs_match(section, paths):
            score += _BLOCK_BOOST
            reasons.append("declares a rule for the changed paths")
        if score > 0 and document.kind in ("standard", "threat_model"):
            score += _STANDARD_BOOST
            reasons.append(document.kind)
        if score > 0:
            refs.append(SectionRef(document, section, round(score, 4), tuple(reasons)))
    refs.sort(key=lambda ref: (-ref.score, ref.document.title, ref.section.anchor))
    return refs


def relevant_sections(
    context: ReviewContext,
    limit: int = DEFAULT_LIMIT,
    char_budget: int = DEFAULT_CHAR_BUDGET,
) -> list[SectionRef]:
    """The top sections for this change: at most `limit`, their texts within `char_budget`.

    A section that does not fit the remaining budget is skipped and a smaller, lower-ranked
    one may still be taken, so the budget is used without ever being exceeded.
    """
    if not context.documents:
        return []  # nothing to rank: skip building the query from every added line
    weights, paths = query_terms(context)
    picked: list[SectionRef] = []
    used = 0
    for ref in rank_sections(context.documents, weights, paths):
        if len(picked) >= limit:
            break
        size = len(ref.section.heading) + len(ref.section.text)
        if used + size > char_budget:
            continue
        picked.append(ref)
        used += size
    return picked
