"""What the taint walk knows about a value (`Fact`) and how facts combine (`merge`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ANY_KIND = "*"
#: at most this many assignment lines are remembered along a flow (for alternate anchors)
MAX_FLOW_LINES = 4


@dataclass(frozen=True)
class Fact:
    """What the engine knows about a value."""

    source: str | None = None  # the untrusted source reaching it, e.g. "req.query"
    constant: bool = False  # built only from literals
    value: str | None = None  # the literal string, when constant
    sanitised: frozenset[str] = frozenset()  # sink kinds a sanitiser made it safe for
    lines: tuple[int, ...] = ()  # lines of the assignments it flowed through
    marks: frozenset[str] = frozenset()  # language marks, e.g. "sql" for SQL-looking text

    def tainted_for(self, kind: str) -> bool:
        return self.source is not None and not (
            ANY_KIND in self.sanitised or kind in self.sanitised
        )


UNKNOWN = Fact()
CONSTANT = Fact(constant=True)


def merge(facts: Iterable[Fact]) -> Fact:
    """The fact of a value built from all of `facts` (concatenation, formatting, ...)."""
    facts = list(facts)
    if not facts:
        return UNKNOWN
    tainted = [fact for fact in facts if fact.source is not None]
    constant = all(fact.constant for fact in facts)
    values = [fact.value for fact in facts]
    joined = "".join(v for v in values if v is not None) if constant else None
    lines = tuple(dict.fromkeys(line for fact in facts for line in fact.lines))[:MAX_FLOW_LINES]
    marks = frozenset().union(*(fact.marks for fact in facts))
    if not tainted:  # keep what every non-literal part was sanitised for (a sanitiser's result)
        parts = [fact.sanitised for fact in facts if not fact.constant]
        cleaned = _common_sanitised(parts) if parts else frozenset()
        return Fact(constant=constant, value=joined, sanitised=cleaned, lines=lines, marks=marks)
    sanitised = _common_sanitised([fact.sanitised for fact in tainted])
    return Fact(source=tainted[0].source, sanitised=sanitised, lines=lines, marks=marks)


def _common_sanitised(sets: list[frozenset[str]]) -> frozenset[str]:
    """Sink kinds every part is safe for; a part sanitised for any kind is safe for all."""
    specific = [kinds for kinds in sets if ANY_KIND not in kinds]
    if not specific:
        return sets[0]
    return frozenset.intersection(*specific)
