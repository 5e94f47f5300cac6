"""Prohibitions written in prose in standards and architecture documents.

Most teams write their standards as sentences, not `warden-rule` blocks: "Never use
`http.Get`, `http.Post` or `http.DefaultClient`: they have no timeout", "`print()` must not
be used in service code (anything under `*/service/`)". A sentence (or list item) becomes a
ban when one clause holds a prohibition ("never use", "must not be used", "is forbidden")
and names code in backticks; a backticked glob in the clause limits it to matching paths.

Precision over recall: a clause with a condition ("without", "unless", "only", "except")
or a scope Warden cannot map to paths ("in tests", "in the frontend") is not enforced (the
LLM reviewer still reads the section). A banned name is matched as code on added lines of
production code files, never in comments; a bare name (`eval`) only as a call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase

from analysis.files import FileView
from warden.records import Document

#: document kinds whose prose states rules for the code
RULE_DOCUMENT_KINDS = frozenset({"standard", "adr", "design"})

_FENCE = re.compile(r"^\s*(```|~~~).*?^\s*\1\s*$", re.MULTILINE | re.DOTALL)
_ITEM_START = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.MULTILINE)
_PROHIBITION = re.compile(
    r"(?i)\b(?:(?:never|do\s+not|don'?t|must\s+not|mustn'?t|shall\s+not|may\s+not"
    r"|should\s+not|cannot|can'?t)\s+(?:be\s+)?(?:use|used|call|called|import|imported)\b"
    r"|(?:is|are)\s+(?:forbidden|banned|prohibited|disallowed|not\s+(?:allowed|permitted))\b)"
)
#: "never convert an amount with `parseFloat`": the code after with/using/via is banned,
#: but only on lines about the object ("amount")
_INSTRUMENT = re.compile(
    r"(?i)\b(?:never|do\s+not|don'?t|must\s+not|mustn'?t|shall\s+not|should\s+not)\s+"
    r"(?P<verb>[a-z]+)\s+(?P<object>(?:[a-z][a-z-]*\s+){1,4}?)(?:with|using|via|through)\s+(?=`)"
)
_ARTICLES = frozenset({"a", "an", "the", "any", "our", "your", "its", "this", "that", "these"})
#: a condition or an exception makes the ban depend on context Warden cannot see
_CONDITIONAL = re.compile(
    r"(?i)\b(?:without|unless|except|other\s+than|only|outside|if|when|where|before|after"
    r"|more\s+than|less\s+than|instead\s+of)\b"
)
#: " in <words>" names a scope; without a glob to map it, the ban is not enforced ...
_SCOPE = re.compile(r"(?i)\b(?:in|inside|within|from)\s+(?!`)(?:the\s+)?[a-z]")
#: ... unless the scope is all the code a review sees ("in service code", "in new code",
#: "in Go services"): tests are never held to a ban anyway
_WHOLE_CODEBASE = re.compile(
    r"(?i)\b(?:in|inside|within|across)\s+(?:the\s+|our\s+|all\s+|any\s+)?"
    r"(?:(?:go|golang|python|java|kotlin|typescript|javascript|ts|js|node|backend|server)\s+)?"
    r"(?:(?:service|production|application|app|source|library|new|server|backend)\s+)?"
    r"(?:code(?:base)?|services?|applications?|apps?)\b"
)
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_CODE_TOKEN = re.compile(r"^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*(?:\(\))?$")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z`])")
_CLAUSE_END = re.compile(r";|:(?=\s)|\.(?=\s|$)|\s[-\u2013\u2014]\s")
_COMMENT_LINE = re.compile(r"^\s*(?:#|//|/\*|\*|--|<!--)")
_MIN_NAME_CHARS = 3


@dataclass(frozen=True)
class ProseBan:
    """Code a document forbids, where, and the sentence that says so."""

    names: tuple[str, ...]  # as written, e.g. "http.Get", "print()"
    patterns: tuple[re.Pattern[str], ...]
    globs: tuple[str, ...]  # empty: every production code file
    citation: str  # "Title#anchor"
    sentence: str
    #: words a matching line must also mention ("amount" for "never convert an amount with")
    objects: tuple[str, ...] = ()

    def applies_to(self, path: str) -> bool:
        rooted = "/" + path  # so `*/service/*` also covers a top-level `service/`
        return not self.globs or any(
            fnmatchcase(path, glob) or fnmatchcase(rooted, glob) for glob in self.globs
        )

    def first_match(self, text: str) -> str | None:
        """The banned name `text` uses, if any."""
        if self.objects and not any(word in text.lower() for word in self.objects):
            return None
        for name, pattern in zip(self.names, self.patterns, strict=True):
            if pattern.search(text):
                return name
        return None


def parse_prose_bans(documents: list[Document]) -> list[ProseBan]:
    """Every enforceable prose prohibition in the rule-bearing documents."""
    bans: list[ProseBan] = []
    for document in documents:
        if document.kind not in RULE_DOCUMENT_KINDS:
            continue
        for section in document.sections:
            citation = f"{document.title}#{section.anchor}"
            for sentence in _sentences(section.text):
                ban = _ban_of(sentence, citation)
                if ban is not None:
                    bans.append(ban)
    return bans


def ban_lines(ban: ProseBan, view: FileView) -> list[tuple[int, str]]:
    """(line, banned name) for each added code line of `view` that uses a banned name."""
    if view.is_test or not view.is_code or not ban.applies_to(view.path):
        return []
    found: list[tuple[int, str]] = []
    for line, text in sorted(view.added.items()):
        if _COMMENT_LINE.match(text):
            continue
        name = ban.first_match(text)
        if name is not None:
            found.append((line, name))
    return found


def _sentences(text: str) -> list[str]:
    """The sentences of list items (with their continuation lines) and paragraphs, outside
    code fences."""
    prose = _FENCE.sub("\n", text)
    items: list[str] = []
    for block in re.split(r"\n\s*\n", prose):
        starts = [m.start() for m in _ITEM_START.finditer(block)] or [0]
        if starts[0] != 0:
            starts.insert(0, 0)
        for start, end in zip(starts, [*starts[1:], len(block)], strict=True):
            item = " ".join(_ITEM_START.sub("", block[start:end], count=1).split())
            items.extend(part for part in _SENTENCE_BREAK.split(item) if part)
    return items


def _ban_of(sentence: str, citation: str) -> ProseBan | None:
    for clause in _clauses(sentence):
        if _CONDITIONAL.search(clause):
            continue
        objects: tuple[str, ...] = ()
        if _PROHIBITION.search(clause):
            spans = _CODE_SPAN.findall(clause)
        elif instrument := _INSTRUMENT.search(clause):
            objects = tuple(
                word.rstrip("s") if len(word) > 3 else word
                for word in instrument.group("object").lower().split()
                if word not in _ARTICLES
            )
            spans = _CODE_SPAN.findall(clause[instrument.end() :])
        else:
            continue
        globs = tuple(_glob(span) for span in spans if "/" in span or "*" in span)
        names = tuple(
            span.strip()
            for span in spans
            if _CODE_TOKEN.match(span.strip())
            and len(span.strip().removesuffix("()").rsplit(".", 1)[-1]) >= _MIN_NAME_CHARS
        )
        if not names:
            continue
        scope_text = _WHOLE_CODEBASE.sub(" ", _CODE_SPAN.sub("`x`", clause))
        if not globs and _SCOPE.search(scope_text):
            continue  # a scope in words ("in tests"), which no glob pins down
        return ProseBan(
            names=names,
            patterns=tuple(_pattern(name) for name in names),
            globs=globs,
            citation=citation,
            sentence=sentence,
            objects=objects,
        )
    return None


def _clauses(sentence: str) -> list[str]:
    """Split at `;`, `: `, `. ` and dashes, but never inside a code span."""
    clauses: list[str] = []
    current: list[str] = []
    for index, part in enumerate(re.split(r"(`[^`\n]*`)", sentence)):
        if index % 2:  # a code span
            current.append(part)
            continue
        pieces = _CLAUSE_END.split(part)
        current.append(pieces[0])
        for piece in pieces[1:]:
            clauses.append("".join(current))
            current = [piece]
    clauses.append("".join(current))
    return [clause.strip() for clause in clauses if clause.strip()]


def _glob(span: str) -> str:
    """`*/service/` -> `*/service/*`; `/service/` (anywhere) -> `*/service/*`;
    `src/api/` (from the repository root) -> `src/api/*`."""
    glob = span.strip().removeprefix("./")
    if glob.endswith("/"):
        glob += "*"
    if glob.startswith("/"):
        glob = "*" + glob
    return glob


def _pattern(name: str) -> re.Pattern[str]:
    bare = name.removesuffix("()")
    escaped = re.escape(bare)
    if name.endswith("()"):  # written as a call: a function or a method call
        return re.compile(rf"(?<![\w]){escaped}\s*\(")
    if "." not in bare:  # a call, or an import of a module by that name (`moment`)
        return re.compile(
            rf"(?<![\w.]){escaped}\s*\(|(?:from|require\(|import\()\s*[\"']{escaped}[\"']"
            rf"|^\s*(?:import|from)\s+{escaped}\b"
        )
    return re.compile(rf"(?<![\w.]){escaped}(?!\w)")  # a dotted reference
