"""Where a change shows (or contradicts) an acceptance criterion: an index of added lines.

Each added line of a code file is tokenised once (stems, typed literals on demand); a
criterion is then looked up by its terms, its numbers and its typed literals. A
contradiction needs a literal of the same kind on a statement (not a comment) whose
neighbourhood names the criterion's concept (or a code word for it: `expire` ~ `ttl`), and
no matching literal anywhere in the change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from analysis.detectors.requirement_literals import (
    CodeLiteral,
    CriterionLiteral,
    code_literals,
    route_prefixes,
)
from analysis.detectors.requirement_names import field_key_variant, same_route
from analysis.detectors.requirement_terms import (
    code_numbers,
    code_stems,
    stems_overlap,
)
from analysis.detectors.requirement_wire import WireName, string_literals, wire_names
from analysis.files import FileView

CODE_EXTENSIONS_TEXT = (
    "py pyi js jsx mjs cjs ts tsx mts cts go java kt kts scala rb php cs rs swift c cc cpp h "
    "hpp ex exs sql"
)
CODE_EXTENSIONS = frozenset(CODE_EXTENSIONS_TEXT.split())
_WINDOW = 2
#: stems too generic to tie a code line to a criterion's concept
GENERIC_CONCEPT_TEXT = (
    "http status code return respons request valu number limit max min time data user"
)
GENERIC_CONCEPT = frozenset(GENERIC_CONCEPT_TEXT.split())


#: a line that is only a comment states nothing the program does
_COMMENT_ONLY = re.compile(r"^\s*(?:#(?!include|define|if|pragma)|//|/\*|\*|--\s)")
#: words a neighbourhood uses when a bare number is an HTTP status
_STATUS_CONTEXT = frozenset(code_stems("status http response code"))
#: requirement words and the words code uses for the same idea
_SYNONYMS = {
    "expir": frozenset({"timeout", "ttl", "lifetim", "maxag"}),
    "inactivity": frozenset({"idl"}),
    "activity": frozenset({"idl"}),
}


@dataclass(frozen=True)
class CodeLine:
    path: str
    line: int
    text: str
    stems: frozenset[str]
    is_test: bool

    @property
    def is_comment(self) -> bool:
        return _COMMENT_ONLY.match(self.text) is not None

    @property
    def ref(self) -> str:
        return f"{self.path}:{self.line}"

    @cached_property
    def numbers(self) -> frozenset[int]:
        return frozenset(code_numbers(self.text))

    @cached_property
    def literals(self) -> tuple[CodeLiteral, ...]:
        return tuple(code_literals(self.text))


@dataclass(frozen=True)
class Contradiction:
    line: CodeLine
    expected: str  # what the criterion says, as written
    found: str  # what the code says
    unit_known: bool


@dataclass
class CodeIndex:
    """The added lines of the change's code files, with per-file neighbourhoods."""

    views: list[FileView]
    lines: list[CodeLine] = field(init=False)
    _first_by_stem: dict[bool, dict[str, CodeLine]] = field(init=False)
    _windows: dict[tuple[str, int], frozenset[str]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.lines = []
        self._first_by_stem = {True: {}, False: {}}
        self._views = {view.path: view for view in self.views}
        for view in self.views:
            if not is_code_path(view.path):
                continue
            for number, text in sorted(view.added.items()):
                if not text.strip():
                    continue
                item = CodeLine(view.path, number, text, _line_stems(text), view.is_test)
                self.lines.append(item)
                first = self._first_by_stem[item.is_test]
                for stem_ in item.stems:
                    first.setdefault(stem_, item)

    def first_line_with(self, term: str, *, tests: bool) -> CodeLine | None:
        """The first added line (in tests or in code) whose stems meet `term`."""
        first = self._first_by_stem[tests]
        if term in first:
            return first[term]
        hits = [line for stem_, line in first.items() if stems_overlap(term, stem_)]
        return min(hits, key=lambda item: (item.path, item.line), default=None)

    def window_stems(self, item: CodeLine) -> frozenset[str]:
        """Stems of the line and its neighbours at head (or among the added lines)."""
        key = (item.path, item.line)
        if key not in self._windows:
            view = self._views[item.path]
            numbers = range(item.line - _WINDOW, item.line + _WINDOW + 1)
            self._windows[key] = frozenset().union(
                *(_line_stems(view.line_text(n)) for n in numbers)
            )
        return self._windows[key]

    @cached_property
    def wire_names(self) -> list[WireName]:
        """Serialised field names (struct tags, JSON annotations, pydantic fields)."""
        return wire_names(self.views)

    @cached_property
    def string_literals(self) -> frozenset[str]:
        return string_literals([view for view in self.views if not view.is_test])

    def view(self, path: str) -> FileView:
        return self._views[path]

    def file_text(self, path: str) -> str:
        view = self._views[path]
        return view.changed.content or "\n".join(view.added.values())

    def production(self) -> list[CodeLine]:
        return [item for item in self.lines if not item.is_test]

    def statements(self) -> list[CodeLine]:
        """Production lines that are code, not comments: what can contradict a criterion."""
        return [item for item in self.lines if not item.is_test and not item.is_comment]


@lru_cache(maxsize=16384)
def _line_stems(text: str) -> frozenset[str]:
    return frozenset(code_stems(text))


def is_code_path(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return "." in name and name.rsplit(".", 1)[1].lower() in CODE_EXTENSIONS


def meets(concept: frozenset[str], stems: frozenset[str], *, loose: bool = False) -> bool:
    """Some concept stem meets some line stem; `loose` also lets a 3-letter stem prefix a
    longer one (`log` in `login`), used where the literal itself is already specific."""
    if any(stems_overlap(term, stem_) for term in concept for stem_ in stems):
        return True
    return loose and any(
        len(term) == 3 and stem_.startswith(term) for term in concept for stem_ in stems
    )


def literal_matches(literal: CriterionLiteral, index: CodeIndex) -> list[CodeLine]:
    """Production lines stating the criterion's value (in any unit)."""
    hits: list[CodeLine] = []
    for item in index.production():
        if literal.kind == "field":
            if _mentions_name(item.text, str(literal.value)):
                hits.append(item)
            continue
        for found in item.literals:
            if found.kind == literal.kind and _agrees(literal, found, index, item.path):
                hits.append(item)
                break
    return hits


def _mentions_name(text: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", text, re.I) is not None


def _agrees(literal: CriterionLiteral, found: CodeLiteral, index: CodeIndex, path: str) -> bool:
    if literal.kind == "path":
        wanted = str(literal.value)
        if wanted in found.candidates:
            return True
        prefixes = route_prefixes(index.file_text(path))
        return any(prefix + route == wanted for prefix in prefixes for route in found.candidates)
    readings = literal.readings()
    return any(abs(a - b) <= 1e-6 * max(a, 1) for a in readings for b in found.candidates)  # type: ignore[operator]


def literal_contradiction(
    literal: CriterionLiteral, concept: frozenset[str], index: CodeIndex, ticket_words: set[str]
) -> Contradiction | None:
    """A production statement giving a different value for the same concept."""
    if literal.kind == "field":
        variant = _field_variant(str(literal.value), index)
        if variant is not None:
            return variant
    for item in index.statements():
        for found in item.literals:
            if found.kind != literal.kind or _agrees(literal, found, index, item.path):
                continue
            if not _related(literal, found, concept, index, item, ticket_words):
                continue
            return Contradiction(item, literal.text, found.shown, found.unit_known)
    return None


def _related(
    literal: CriterionLiteral,
    found: CodeLiteral,
    concept: frozenset[str],
    index: CodeIndex,
    item: CodeLine,
    ticket_words: set[str],
) -> bool:
    if literal.kind == "path":
        return any(same_route(str(literal.value), str(route)) for route in found.candidates)
    window = index.window_stems(item)
    if literal.kind == "field":
        name = str(next(iter(found.candidates))).lower()
        if name in ticket_words:
            return False  # the ticket names this field too: not a substitute
        return bool(concept) and meets(concept, window, loose=True)
    if literal.kind == "status" and not found.unit_known and not window & _STATUS_CONTEXT:
        return False  # `return 403` is a status only where the code talks about statuses
    if literal.kind == "status" and _internal_error(found) and not _internal_error(literal):
        return False  # a 500 answers an unexpected failure, not the criterion's case
    if literal.kind == "status" and not _same_outcome(literal, found):
        return False  # the success answer is not contradicted by an error branch, nor back
    return bool(concept) and meets(_with_synonyms(concept), window)


def _same_outcome(literal: CriterionLiteral, found: CodeLiteral) -> bool:
    """Both statuses are successes (1xx-3xx) or both failures (4xx-5xx)."""

    def failures(values: object) -> set[bool]:
        return {float(value) >= 400 for value in values}  # type: ignore[attr-defined]

    return bool(failures(literal.readings()) & failures(found.candidates))


def _internal_error(literal: CriterionLiteral | CodeLiteral) -> bool:
    """500: the catch-all for failures (503 or 502 are deliberate answers, e.g. to
    throttling, and may well substitute a criterion's 429)."""
    values = literal.readings() if isinstance(literal, CriterionLiteral) else literal.candidates
    return set(values) == {500.0}


def _with_synonyms(concept: frozenset[str]) -> frozenset[str]:
    extra = [words for term, words in _SYNONYMS.items() if term in concept]
    return concept.union(*extra)


def _field_variant(wanted: str, index: CodeIndex) -> Contradiction | None:
    """The criterion's field spelled another way (`exportId` for `export_id`) as a key."""
    for item in index.statements():
        token = field_key_variant(wanted, item.text)
        if token is not None:
            return Contradiction(item, f"the field `{wanted}`", f"`{token}`", True)
    return None


@dataclass(frozen=True)
class TestEvidence:
    lines: tuple[CodeLine, ...]
    coverage: float


def test_evidence(
    terms: frozenset[str], numbers: set[int], index: CodeIndex
) -> TestEvidence | None:
    """The test file whose added lines name most of the criterion (and all its numbers)."""
    best: TestEvidence | None = None
    by_path: dict[str, list[CodeLine]] = {}
    for item in index.lines:
        if item.is_test:
            by_path.setdefault(item.path, []).append(item)
    for items in by_path.values():
        found_numbers = code_numbers("\n".join(item.text for item in items))
        if numbers and not numbers <= found_numbers:
            continue
        hits: dict[str, CodeLine] = {}
        for term in terms:
            hit = next((i for i in items if any(stems_overlap(term, s) for s in i.stems)), None)
            if hit is not None:
                hits[term] = hit
        coverage = len(hits) / len(terms) if terms else 0.0
        if best is None or coverage > best.coverage:
            ordered = sorted(set(hits.values()), key=lambda item: item.line)
            best = TestEvidence(tuple(ordered), coverage)
    return best
