"""Words code uses for a ticket's words: a reset *link* is a token, *invalidating* one
deletes or revokes it, a page *size* is a limit.

Used only as evidence that a change addresses a criterion (so a satisfied criterion is
not reported as missing); a contradiction still needs the criterion's own concept.
"""

from __future__ import annotations

from analysis.detectors.requirement_terms import stem

_CODE_WORDS_TEXT = {
    "invalidate": "delete revoke remove expire clear purge",
    "link": "token url",
    "issue": "create generate save send",
    "earlier": "previous prior old existing",
    "size": "limit per take",
    "cap": "max maximum limit ceiling",
}
CODE_WORDS = {
    stem(word): frozenset(stem(other) for other in others.split())
    for word, others in _CODE_WORDS_TEXT.items()
}


def code_words(term: str) -> frozenset[str]:
    """Stems code may use instead of the criterion stem `term` (empty when none)."""
    return CODE_WORDS.get(term, frozenset())


def with_code_words(terms: frozenset[str]) -> frozenset[str]:
    return terms.union(*(code_words(term) for term in terms))
