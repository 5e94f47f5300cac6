"""Is a regular expression prone to catastrophic backtracking (ReDoS, CWE-1333)?

The pattern is parsed with the standard library's regex parser and never run. A pattern is
prone when an unbounded repeat contains something that can split the same text in many ways:

- a part of variable length (a repeat, an optional part) whose neighbours inside the outer
  repeat are optional or made of the same characters, e.g. ``(a+)+``, ``(\\w+\\s?)*``,
  ``(\\d+\\d)+``, ``(aa?)+``;
- alternatives over the same characters that start and end alike, e.g. ``(ab|abab)+``.

Character sets are compared on a probe alphabet (ASCII plus the pattern's own literals and
a few non-ASCII samples), which is exact for the classes real patterns use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

try:  # Python 3.11+
    import re._constants as _c
    import re._parser as _parser
except ImportError:  # pragma: no cover - older interpreters
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

_EXTRA_PROBES = ("é", "ß", "中", "\u00a0", "\u2028", "٣")
_UNBOUNDED = _c.MAXREPEAT
_BACKTRACKING_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT)
_MAX_PATTERN = 2000
_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)


@dataclass(frozen=True)
class _Shape:
    """What a (sub)pattern can match: nullable, its first/last characters, all characters."""

    nullable: bool
    first: frozenset[str]
    last: frozenset[str]
    chars: frozenset[str]


_EMPTY = _Shape(True, frozenset(), frozenset(), frozenset())


def is_redos_prone(pattern: str) -> bool:
    """True when `pattern` has nested or overlapping unbounded quantifiers."""
    if not isinstance(pattern, str) or not pattern or len(pattern) > _MAX_PATTERN:
        return False
    return _is_prone(pattern)


@lru_cache(maxsize=1024)
def _is_prone(pattern: str) -> bool:
    try:
        parsed = _parser.parse(pattern)
    except (_c.error, RecursionError, OverflowError, ValueError):
        return False
    flags = parsed.state.flags
    probes = _probe_alphabet(pattern)
    return _Analyser(probes, flags).prone(list(parsed))


def _probe_alphabet(pattern: str) -> frozenset[str]:
    return frozenset(chr(code) for code in range(128)) | frozenset(pattern) | set(_EXTRA_PROBES)


class _Analyser:
    def __init__(self, probes: frozenset[str], flags: int) -> None:
        self.probes = probes
        self.ignore_case = bool(flags & _c.SRE_FLAG_IGNORECASE)
        self.dotall = bool(flags & _c.SRE_FLAG_DOTALL)

    # ---- the verdict -------------------------------------------------------------------
    def prone(self, items: list) -> bool:
        for op, av in items:
            for child in _children(op, av):
                if self.prone(child):
                    return True
            unbounded = op in _BACKTRACKING_REPEATS and av[1] == _UNBOUNDED
            if unbounded and self._ambiguous_body(list(av[2])):
                return True
        return False

    def _ambiguous_body(self, body: list) -> bool:
        """Can the text of one iteration of `body` be split in more than one way?"""
        sequence = _flatten_groups(body)
        for index, (op, av) in enumerate(sequence):
            others = sequence[:index] + sequence[index + 1 :]
            if self._varies(op, av):
                inner = self._item_shape(op, av)
                rest = self.shape(others).chars
                if _optional(op, av) and not inner.first & rest:
                    continue  # `(\(...\))?`: only the optional part can start with `(`
                if inner.chars and all(self._absorbable(item, inner.chars) for item in others):
                    return True
            if op == _c.BRANCH:
                if self._overlapping_branches(av[1]):
                    return True
                if any(
                    self._ambiguous_body(sequence[:index] + list(branch) + sequence[index + 1 :])
                    for branch in av[1]
                ):
                    return True
        return False

    def _varies(self, op: object, av: object) -> bool:
        """A repeat with a variable count, or alternatives one of which is empty."""
        if op in _BACKTRACKING_REPEATS:
            return _can_repeat(av)  # type: ignore[arg-type]
        if op == _c.BRANCH:
            return any(self.shape(list(branch)).nullable for branch in av[1])  # type: ignore[index]
        return False

    def _absorbable(self, item: tuple, inner_chars: frozenset[str]) -> bool:
        """Optional, or made only of characters the inner repeat can also match."""
        shape = self.shape([item])
        return shape.nullable or shape.chars <= inner_chars

    def _overlapping_branches(self, branches: list) -> bool:
        """Two alternatives that can match the same text (`a|aa`, `ab|abab`, `\\.|.`)."""
        shapes = [self.shape(list(branch)) for branch in branches]
        single = [_single_character(list(branch)) for branch in branches]
        for i, left in enumerate(shapes):
            for j in range(i + 1, len(shapes)):
                right = shapes[j]
                if left.nullable or right.nullable:
                    continue
                same_alphabet = left.chars == right.chars
                if same_alphabet and left.first & right.first and left.last & right.last:
                    return True
                for one, other, is_single in ((left, right, single[i]), (right, left, single[j])):
                    spelled = other.first <= one.chars and other.last & one.chars
                    if is_single and spelled:
                        return True
        return False

    # ---- shapes ------------------------------------------------------------------------
    def shape(self, items: list) -> _Shape:
        result = _EMPTY
        for item in items:
            result = _concat(result, self._item_shape(*item))
        return result

    def _item_shape(self, op: object, av: object) -> _Shape:
        if op in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN):
            chars = self._char_set(op, av)
            return _Shape(False, chars, chars, chars)
        if op in (*_BACKTRACKING_REPEATS, _c.POSSESSIVE_REPEAT):
            minimum, _maximum, body = av
            inner = self.shape(list(body))
            return _Shape(minimum == 0 or inner.nullable, inner.first, inner.last, inner.chars)
        if op == _c.SUBPATTERN:
            return self.shape(list(av[3]))
        if op == _c.ATOMIC_GROUP:
            return self.shape(list(av))
        if op == _c.BRANCH:
            shapes = [self.shape(list(branch)) for branch in av[1]]
            return _union(shapes)
        if op == _c.GROUPREF_EXISTS:
            shapes = [self.shape(list(part)) for part in av[1:] if part is not None]
            return _union(shapes + ([_EMPTY] if len(shapes) < 2 else []))
        # anchors, lookarounds and back-references: treated as matching nothing
        return _EMPTY

    def _char_set(self, op: object, av: object) -> frozenset[str]:
        if op == _c.LITERAL:
            return self._fold(frozenset({chr(av)}))  # type: ignore[arg-type]
        if op == _c.NOT_LITERAL:
            excluded = self._fold(frozenset({chr(av)}))  # type: ignore[arg-type]
            return self.probes - excluded
        if op == _c.ANY:
            return self.probes if self.dotall else self.probes - {"\n"}
        return self._class_set(av)  # type: ignore[arg-type]

    def _class_set(self, members: list) -> frozenset[str]:
        negate = False
        matched: set[str] = set()
        for op, av in members:
            if op == _c.NEGATE:
                negate = True
            elif op == _c.LITERAL:
                matched.add(chr(av))
            elif op == _c.RANGE:
                low, high = av
                matched.update(ch for ch in self.probes if low <= ord(ch) <= high)
            elif op == _c.CATEGORY:
                matched.update(ch for ch in self.probes if _in_category(ch, av))
        folded = self._fold(frozenset(matched))
        return self.probes - folded if negate else folded

    def _fold(self, chars: frozenset[str]) -> frozenset[str]:
        if not self.ignore_case:
            return chars
        return chars | {ch.lower() for ch in chars} | {ch.upper() for ch in chars if len(ch) == 1}


def _in_category(ch: str, category: object) -> bool:
    word = ch.isalnum() or ch == "_"
    tests = {
        _c.CATEGORY_DIGIT: ch.isdigit(),
        _c.CATEGORY_NOT_DIGIT: not ch.isdigit(),
        _c.CATEGORY_SPACE: ch.isspace(),
        _c.CATEGORY_NOT_SPACE: not ch.isspace(),
        _c.CATEGORY_WORD: word,
        _c.CATEGORY_NOT_WORD: not word,
    }
    return tests.get(category, False)


def _single_character(items: list) -> bool:
    return len(items) == 1 and items[0][0] in (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY)


def _optional(op: object, av: object) -> bool:
    """`x?` or an alternation with an empty branch: present once or not at all."""
    if op in _BACKTRACKING_REPEATS:
        return av[1] == 1  # type: ignore[index]
    return op == _c.BRANCH


def _can_repeat(av: tuple) -> bool:
    """A repeat that can match its body a varying number of times."""
    minimum, maximum, _body = av
    return maximum == _UNBOUNDED or maximum > minimum


def _concat(left: _Shape, right: _Shape) -> _Shape:
    return _Shape(
        left.nullable and right.nullable,
        left.first | right.first if left.nullable else left.first,
        right.last | left.last if right.nullable else right.last,
        left.chars | right.chars,
    )


def _union(shapes: list[_Shape]) -> _Shape:
    if not shapes:
        return _EMPTY
    return _Shape(
        any(shape.nullable for shape in shapes),
        frozenset().union(*(shape.first for shape in shapes)),
        frozenset().union(*(shape.last for shape in shapes)),
        frozenset().union(*(shape.chars for shape in shapes)),
    )


def _flatten_groups(items: list) -> list:
    """Inline plain groups so `((a+)b?)` reads as the sequence a+, b?."""
    flat: list = []
    for op, av in items:
        if op == _c.SUBPATTERN:
            flat.extend(_flatten_groups(list(av[3])))
        else:
            flat.append((op, av))
    return flat


def _children(op: object, av: object) -> list[list]:
    """Sub-sequences nested inside one parsed item."""
    if op in (*_BACKTRACKING_REPEATS, _c.POSSESSIVE_REPEAT):
        return [list(av[2])]  # type: ignore[index]
    if op == _c.SUBPATTERN:
        return [list(av[3])]  # type: ignore[index]
    if op == _c.BRANCH:
        return [list(branch) for branch in av[1]]  # type: ignore[index]
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return [list(av[1])]  # type: ignore[index]
    if op == _c.ATOMIC_GROUP:
        return [list(av)]  # type: ignore[arg-type]
    if op == _c.GROUPREF_EXISTS:
        return [list(part) for part in av[1:] if part is not None]  # type: ignore[index]
    return []
