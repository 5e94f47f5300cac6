"""Counts in a criterion (`5 attempts`, `12 characters`, `3 times`) against the code.

A count matches a production line stating the number (or a unit conversion of it) next to
what it counts; it is contradicted by a comparable number on such a line in a file where
the right number appears nowhere.
"""

from __future__ import annotations

import re

from analysis.detectors.requirement_evidence import (
    GENERIC_CONCEPT,
    CodeIndex,
    CodeLine,
    Contradiction,
    meets,
)
from analysis.detectors.requirement_synonyms import with_code_words
from analysis.detectors.requirement_terms import (
    COUNTED_UNIT_CODE_WORDS,
    UNIT_STEMS,
    CriterionNumber,
)

_CODE_LINE = re.compile(r"[=<>:(]")
_COMPARISON = re.compile(r"[<>]")


def number_matches(number: CriterionNumber, index: CodeIndex) -> list[CodeLine]:
    """Production lines with the count next to its concept (`MAX_ATTEMPTS = 5`)."""
    wanted = number.equivalents()
    return [
        item
        for item in index.production()
        if wanted & item.numbers and _near_number(number, item.stems, code_words=True)
    ]


def number_contradiction(number: CriterionNumber, index: CodeIndex) -> Contradiction | None:
    """`MAX_ATTEMPTS = 10` where the criterion says 5 attempts."""
    wanted = number.equivalents()
    files_with_value = {item.path for item in index.production() if wanted & item.numbers}
    for item in index.statements():
        if item.path in files_with_value or not item.numbers:
            continue
        comparable = [n for n in sorted(item.numbers) if _comparable(number.value, n)]
        if not comparable or not _CODE_LINE.search(item.text):
            continue
        if not _near_number(number, item.stems):
            continue
        for found in comparable:
            if abs(found - number.value) == 1 and _COMPARISON.search(item.text):
                continue  # `> 4` may well mean "at least 5"
            return Contradiction(item, str(number.value), str(found), True)
    return None


def _near_number(
    number: CriterionNumber, stems: frozenset[str], *, code_words: bool = False
) -> bool:
    """The line names what is counted: the head noun (`5 attempts`), or, when the head is
    only a unit (`12 characters`, `3 times`), the words around the number. `code_words`
    also accepts the words code uses for them (`page size` -> `limit`): evidence only."""
    widen = with_code_words if code_words else frozenset
    if number.head is None:
        if not number.context:
            return False
        if meets(widen(number.context), stems):
            return True
        # `capped at 100` / `maxPageSize = 500`: the code's word for the bound, on a line
        # that also names the criterion's subject (`page_size`)
        subject = number.subject - number.context - GENERIC_CONCEPT
        return (
            bool(subject)
            and meets(with_code_words(number.context) - number.context, stems)
            and meets(subject, stems)
        )
    if number.head not in COUNTED_UNIT_CODE_WORDS:
        return meets(widen(frozenset({number.head})), stems)
    context = number.context - UNIT_STEMS - GENERIC_CONCEPT
    if context and meets(context, stems):
        return True
    code_words = COUNTED_UNIT_CODE_WORDS[number.head]
    subject = number.subject - GENERIC_CONCEPT
    return bool(code_words and subject) and meets(code_words, stems) and meets(subject, stems)


def _comparable(expected: int, found: int) -> bool:
    if found == expected or found in (0, 1) or expected == 0:
        return False
    return max(found, expected) / min(found, expected) <= 20
