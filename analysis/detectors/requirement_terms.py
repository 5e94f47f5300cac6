"""Text analysis for requirement drift: criterion terms, numbers and their context."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_CHECKBOX = re.compile(r"^\s*(?:[-*+]\s*)?(?:\[[ xX]\]\s*)?")
_TOKEN = re.compile(r"`[^`]+`|[A-Za-z][A-Za-z0-9_]*|\d+(?:\.\d+)?")
_IDENTIFIER_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_DOUBLED = re.compile(r"([b-df-hj-km-np-rtv-y])\1$")  # a doubled consonant but l, s, z
_SUFFIXES = ("ingly", "ations", "ation", "ings", "ing", "edly", "ed", "es", "s", "ly")
_STOPWORD_TEXT = """
    a an the and or but if then than so to of in on at by for with from into onto over
    under after before when while until once is are was were be been being has have had do
    does did can could should must shall will would may might not no nor only also very all
    any each every some this that these those it its it's as per via same other more most
    less least at least up down out off again there here which who whom whose what where why
    how user users system given able ensure make sure new use used using e.g i.e etc
    within without during inside across against around through throughout between among
    upon toward towards since beyond along"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
UNIT_STEMS = frozenset(
    {
        "second",
        "sec",
        "minut",
        "min",
        "hour",
        "day",
        "week",
        "month",
        "year",
        "ms",
        "millisecond",
        "time",
        "tim",
        "char",
        "character",
        "byte",
        "kb",
        "mb",
        "gb",
        "percent",
        "item",
    }
)
#: counted units whose code name differs from the word (`12 characters` -> `MIN_LENGTH`;
#: `3 times` names nothing: code says `time` for clocks), so the count is tied to code
#: through the words around it or the criterion's subject
COUNTED_UNIT_CODE_WORDS = {
    "tim": frozenset(),
    "character": frozenset({"length", "len", "char", "character"}),
    "char": frozenset({"length", "len", "char", "character"}),
}
#: a dimension after the unit (`12 characters long`) is not the counted thing
_DIMENSIONS = frozenset({"long", "wide", "high", "tall", "deep", "old"})
_UNIT_FACTORS = {
    "minut": (60, 60_000),
    "min": (60, 60_000),
    "hour": (60, 3600, 3_600_000),
    "day": (24, 1440, 86_400),
    "second": (1000,),
    "sec": (1000,),
    "week": (7,),
}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude English stem: `attempts`->`attempt`, `locked`->`lock`, `minutes`->`minut`."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix in ("ed", "ing", "edly", "ingly") and _DOUBLED.search(word):
                word = word[:-1]  # capped -> cap, stopping -> stop (not: called, passed)
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def split_identifier(token: str) -> list[str]:
    """`MAX_LOGIN_ATTEMPTS` / `maxLoginAttempts` -> ['max', 'login', 'attempts']."""
    return [part.lower() for part in _IDENTIFIER_PART.findall(token)]


@lru_cache(maxsize=65536)
def token_stems(token: str) -> frozenset[str]:
    return frozenset(stem(part) for part in split_identifier(token) if not part.isdigit())


def code_stems(text: str) -> set[str]:
    stems: set[str] = set()
    for token in _TOKEN.findall(text):
        stems |= token_stems(token)
    return stems


def code_numbers(text: str) -> set[int]:
    return {int(match) for match in re.findall(r"(?<![\w.])(\d{1,9})(?![\w.])", text)}


def stems_overlap(left: str, right: str) -> bool:
    if left == right:
        return True
    short, long_ = sorted((left, right), key=len)
    return len(short) >= 4 and long_.startswith(short)


@dataclass(frozen=True)
class CriterionNumber:
    value: int
    head: str | None  # the counted thing right after the number ("attempt", "minut")
    context: frozenset[str]  # other distinctive stems around the number
    subject: frozenset[str] = frozenset()  # the criterion's other terms (for counted units)

    def equivalents(self) -> set[int]:
        """The number and its unit conversions (15 minutes -> 900 seconds)."""
        values = {self.value}
        for factor in _UNIT_FACTORS.get(self.head or "", ()):
            values.add(self.value * factor)
        return values


@dataclass(frozen=True)
class CriterionTerms:
    text: str
    terms: frozenset[str]
    numbers: tuple[CriterionNumber, ...]


def clean_criterion(criterion: str) -> str:
    return _CHECKBOX.sub("", criterion).strip()


def analyse_criterion(criterion: str) -> CriterionTerms:
    text = clean_criterion(criterion)
    tokens = _TOKEN.findall(text)
    words: list[str | int] = []
    terms: set[str] = set()
    for token in tokens:
        if token.startswith("`"):
            parts = split_identifier(token.strip("`"))
            terms.update(stem(part) for part in parts if not part.isdigit())
            words.extend(stem(part) for part in parts if not part.isdigit())
        elif token[0].isdigit():
            words.append(int(float(token)))
        elif token.lower() not in STOPWORDS and len(token) >= 3:
            is_identifier = "_" in token or token[1:] != token[1:].lower()
            parts = split_identifier(token) if is_identifier else [token]
            stems = [stem(part) for part in parts]
            terms.update(stems)
            words.extend(stems)
        else:
            words.append("")  # a stopword still separates phrases
    numbers: list[CriterionNumber] = []
    for index, word in enumerate(words):
        if not isinstance(word, int):
            continue
        after = _phrase(words[index + 1 : index + 6])
        before = [w for w in words[max(0, index - 3) : index] if isinstance(w, str) and w]
        while len(after) > 1 and after[-1] in _DIMENSIONS:
            after.pop()
        head = after[-1] if after else None
        context = frozenset((set(after) | set(before)) - {head} if head else set(before))
        subject = frozenset(terms - UNIT_STEMS - _DIMENSIONS - {head or ""})
        numbers.append(CriterionNumber(word, head, context, subject))
    return CriterionTerms(text, frozenset(terms), tuple(numbers))


def _phrase(words: list[str | int]) -> list[str]:
    """Consecutive distinctive words (stops at a stopword or another number)."""
    phrase: list[str] = []
    for word in words:
        if not isinstance(word, str) or not word:
            break
        phrase.append(word)
    return phrase
