"""Acceptance criteria -> atomic criteria.

Sources, in order of preference: the ticket's criteria list (checklist items, bullets,
numbered items, Given/When/Then lines; a provider may hand over one multi-line string),
else the "should/must/shall" sentences of the description. Consecutive Given/When/Then
lines form one scenario; a scenario with several outcomes (`Then ...`, `And ...`) gives
one criterion per outcome, each with the scenario's Given/When context. A criterion is
split at "and"/";" only when both sides are clearly requirements of their own (each has a
subject and a verb), so "email and password are required" stays whole while "the account
is locked and an email is sent to the owner" becomes two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from warden.records import Ticket

CriterionSource = Literal["checklist", "numbered", "bullet", "scenario", "text", "description"]

_CHECKLIST = re.compile(r"^\s*(?:[-*+]\s*)?\[(?P<mark>[ xX])\]\s*(?P<text>.*)$")
_NUMBERED = re.compile(r"^\s*(?:\d{1,3}|[a-z])[.)]\s+(?P<text>.+)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(?P<text>.+)$")
_GHERKIN = re.compile(r"^(?P<word>given|when|then|and|but)\b\s*(?P<rest>.*)$", re.IGNORECASE)
_SCENARIO = re.compile(r"^\s*(?:scenario(?: outline)?|example)\s*:\s*(?P<name>.*)$", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\"'(])|\n+")
_MODAL = re.compile(r"\b(?:should|must|shall|needs? to|has to|have to|will)\b", re.IGNORECASE)
_SPLIT = re.compile(
    r"\s*;\s*|,?\s+and\s+(?=(?:also\s+)?(?:a|an|the|it|they|we|each|every|"
    r"all|any|no|admins?|users?|[a-z]+s?\s+(?:is|are|gets?|returns?))\b)"
)
_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|gets?|returns?|responds?|sends?|shows?|displays?|"
    r"logs?|locks?|unlocks?|stores?|saves?|rejects?|accepts?|allows?|blocks?|redirects?|"
    r"emits?|creates?|deletes?|updates?|expires?|fails?|receives?|sees?|can(?:not)?|"
    r"should|must|shall|will|may|has|have|contains?|includes?|requires?|uses?)\b",
    re.IGNORECASE,
)
_MIN_PART_WORDS = 3


@dataclass(frozen=True)
class Criterion:
    """One atomic acceptance criterion of a ticket."""

    ticket_key: str
    text: str
    source: CriterionSource
    #: the checkbox state when the ticket used a checklist (the author's claim, not proof)
    checked: bool | None = None


def parse_criteria(ticket: Ticket) -> list[Criterion]:
    """The ticket's atomic criteria, in order, without duplicates."""
    lines = [line for item in ticket.acceptance_criteria for line in item.splitlines()]
    raw = _from_lines(lines) if any(line.strip() for line in lines) else []
    if not raw:
        raw = [(sentence, "description", None) for sentence in modal_sentences(ticket.description)]
    seen: set[str] = set()
    criteria: list[Criterion] = []
    for text, source, checked in raw:
        parts = [text] if source == "scenario" else split_atomic(text)
        for part in parts:
            key = part.lower()
            if part and key not in seen:
                seen.add(key)
                criteria.append(Criterion(ticket.ticket_key, part, source, checked))
    return criteria


def _from_lines(lines: list[str]) -> list[tuple[str, CriterionSource, bool | None]]:
    items: list[tuple[str, CriterionSource, bool | None]] = []
    scenario: list[str] = []

    def close_scenario() -> None:
        if scenario:
            items.extend((text, "scenario", None) for text in _scenario_criteria(scenario))
            scenario.clear()

    for line in lines:
        text, source, checked = _strip_marker(line)
        if not text:
            continue
        if _SCENARIO.match(text):
            close_scenario()
            continue
        gherkin = _GHERKIN.match(text)
        if gherkin and (scenario or gherkin["word"].lower() in ("given", "when")):
            if gherkin["word"].lower() == "given" and any(
                _GHERKIN.match(step)["word"].lower() != "given"  # type: ignore[index]
                for step in scenario
            ):
                close_scenario()  # a new Given after a Then starts the next scenario
            scenario.append(text)
            continue
        close_scenario()
        items.append((text, source, checked))
    close_scenario()
    return items


def _strip_marker(line: str) -> tuple[str, CriterionSource, bool | None]:
    match = _CHECKLIST.match(line)
    if match:
        return _squash(match["text"]), "checklist", match["mark"] != " "
    match = _NUMBERED.match(line)
    if match:
        return _squash(match["text"]), "numbered", None
    match = _BULLET.match(line)
    if match:
        return _squash(match["text"]), "bullet", None
    return _squash(line), "text", None


def _squash(text: str) -> str:
    return " ".join(text.split()).rstrip(".;")


def _scenario_criteria(steps: list[str]) -> list[str]:
    """One criterion per outcome: `Given a, When b, Then c, And d` -> `Given a, when b,
    then c` and `Given a, when b, then d`; a single outcome keeps the scenario whole."""
    words = [_GHERKIN.match(step)["word"].lower() for step in steps]  # type: ignore[index]
    if "then" not in words:
        return [_scenario_text(steps)]
    first_then = words.index("then")
    context, outcomes = steps[:first_then], steps[first_then:]
    if len(outcomes) < 2:
        return [_scenario_text(steps)]
    criteria = []
    for outcome in outcomes:
        rest = _GHERKIN.match(outcome)["rest"]  # type: ignore[index]
        criteria.append(_scenario_text([*context, f"Then {rest}"]))
    return criteria


def _scenario_text(steps: list[str]) -> str:
    """`Given a locked account`, `When ...`, `Then ...` -> one sentence, keywords kept."""
    return ", ".join(
        step if index == 0 else step[0].lower() + step[1:] for index, step in enumerate(steps)
    )


def modal_sentences(description: str) -> list[str]:
    """Sentences of free text that state a requirement (should/must/shall/will)."""
    sentences: list[str] = []
    for sentence in _SENTENCE.split(description or ""):
        text = _squash(sentence.strip().lstrip("-*+ "))
        if text and not text.startswith("#") and _MODAL.search(text):
            sentences.append(text)
    return sentences


def split_atomic(text: str) -> list[str]:
    """Split at ';' or 'and' only when every part is a clause with its own verb."""
    parts = [part.strip(" ,") for part in _SPLIT.split(text)]
    parts = [part for part in parts if part]
    if len(parts) < 2:
        return [text]
    if all(_is_clause(part) for part in parts):
        return parts
    return [text]


def _is_clause(part: str) -> bool:
    return len(part.split()) >= _MIN_PART_WORDS and _VERB.search(part) is not None
