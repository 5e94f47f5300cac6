"""`warden-rule` blocks in customer documents: parse, validate, match paths.

Validation is strict and explains itself: unknown keys (with the known ones), regexes that
do not compile or are too long, globs that cannot match a repository path, a wrong
severity. A bad rule is skipped with a note naming the document and section; it never
stops a review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from analysis.detectors.regex_safety import is_redos_prone
from warden.records import Document, DocumentSection, Severity

MAX_PATTERN_CHARS = 500
MAX_GLOB_CHARS = 300
_UNSUPPORTED_GLOB = re.compile(r"[\[\]{}\\!]")


def fenced_blocks(text: str, info: str) -> list[str]:
    """Bodies of the fenced blocks with info string `info` (``` or ~~~ fences)."""
    fence = re.compile(
        rf"^(?P<fence>```|~~~)[ \t]*{re.escape(info)}[ \t]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
        re.MULTILINE | re.DOTALL,
    )
    return [match.group("body") for match in fence.finditer(text)]


def glob_problem(glob: object) -> str | None:
    """Why `glob` cannot be used as a repository path glob (None when it can)."""
    if not isinstance(glob, str) or not glob.strip():
        return f"glob {glob!r} must be a non-empty string"
    if len(glob) > MAX_GLOB_CHARS:
        return f"glob longer than {MAX_GLOB_CHARS} characters"
    if glob.startswith("/") or glob.startswith("./") or "/../" in f"/{glob}/":
        return f"glob {glob!r} must be relative to the repository root (no '/', './', '..')"
    if _UNSUPPORTED_GLOB.search(glob):
        return f"glob {glob!r} uses unsupported syntax ([], {{}}, !, \\); use * ** ?"
    if re.search(r"\*\*\*|[^/]\*\*|\*\*[^/]", glob):
        return f"glob {glob!r}: '**' must be a whole path segment"
    return None


def check_globs(globs: tuple[str, ...]) -> tuple[str, ...]:
    for glob in globs:
        problem = glob_problem(glob)
        if problem:
            raise ValueError(problem)
    return globs


def check_patterns(patterns: tuple[str, ...]) -> tuple[str, ...]:
    for pattern in patterns:
        if len(pattern) > MAX_PATTERN_CHARS:
            raise ValueError(f"regex longer than {MAX_PATTERN_CHARS} characters")
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"invalid regex {pattern!r}: {error}") from error
        if is_redos_prone(pattern):
            # it runs on every added line of every PR of the tenant: one catastrophic
            # pattern would stall the review worker
            raise ValueError(f"regex {pattern!r} may backtrack exponentially; rewrite it")
    return patterns


def as_tuple(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return value


class StandardRuleSpec(BaseModel):
    """The YAML content of one `warden-rule` block."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{1,63}$")
    description: str = ""
    applies_to: tuple[str, ...] = Field(alias="applies-to", min_length=1)
    exclude: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()
    require: tuple[str, ...] = ()
    message: str = ""
    severity: Severity = Severity.low

    @field_validator("applies_to", "exclude", "forbid", "require", mode="before")
    @classmethod
    def _as_tuple(cls, value: Any) -> Any:
        return as_tuple(value)

    @field_validator("forbid", "require")
    @classmethod
    def _compiles(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        return check_patterns(patterns)

    @field_validator("applies_to", "exclude")
    @classmethod
    def _globs(cls, globs: tuple[str, ...]) -> tuple[str, ...]:
        return check_globs(globs)


RULE_KEYS = (
    "id",
    "description",
    "applies-to",
    "exclude",
    "forbid",
    "require",
    "message",
    "severity",
)


@dataclass(frozen=True)
class StandardRule:
    spec: StandardRuleSpec
    document: Document
    section: DocumentSection

    @property
    def citation(self) -> str:
        return f"{self.document.title}#{self.section.anchor}"

    def applies_to(self, path: str) -> bool:
        return path_selected(path, self.spec.applies_to, self.spec.exclude)

    @property
    def summary(self) -> str:
        return self.spec.message or self.spec.description or f"the {self.spec.id} standard"


def path_selected(path: str, include: tuple[str, ...], exclude: tuple[str, ...] = ()) -> bool:
    """Matches an `include` glob and no `exclude` glob."""
    return any(glob_to_regex(g).fullmatch(path) for g in include) and not any(
        glob_to_regex(g).fullmatch(path) for g in exclude
    )


@dataclass(frozen=True)
class ParsedRules:
    rules: tuple[StandardRule, ...]
    notes: tuple[str, ...]


@lru_cache(maxsize=512)
def glob_to_regex(glob: str) -> re.Pattern[str]:
    """Gitignore-style glob: `**/` any directories (or none), `*` within one segment.

    A glob without `/` matches the file name at any depth.
    """
    if "/" not in glob:
        glob = "**/" + glob
    out: list[str] = []
    index = 0
    while index < len(glob):
        if glob.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif glob.startswith("**", index):
            out.append(".*")
            index += 2
        elif glob[index] == "*":
            out.append("[^/]*")
            index += 1
        elif glob[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(glob[index]))
            index += 1
    return re.compile("".join(out))


def validation_reasons(error: ValidationError) -> str:
    """Every problem pydantic found, `where: what`, joined by '; '."""
    reasons: list[str] = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"] if not isinstance(part, int))
        message = str(item["msg"]).removeprefix("Value error, ")
        reasons.append(f"{where or 'rule'}: {message}")
    return "; ".join(reasons)


def unknown_keys(data: dict[Any, Any], known: tuple[str, ...]) -> str | None:
    unknown = sorted(str(key) for key in data if key not in known)
    if not unknown:
        return None
    return f"unknown key(s) {', '.join(unknown)} (known: {', '.join(known)})"


def load_block(body: str, kind: str, where: str) -> tuple[dict[Any, Any] | None, str | None]:
    """(mapping, None) or (None, note) for one fenced YAML block."""
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        return None, f"{kind} in {where} skipped: invalid YAML{at} ({type(error).__name__})"
    if not isinstance(data, dict):
        return None, f"{kind} in {where} skipped: expected a YAML mapping"
    return data, None


def parse_rules(documents: list[Document]) -> ParsedRules:
    """Every valid `warden-rule` in `documents`; invalid or duplicate ones become notes."""
    rules: list[StandardRule] = []
    notes: list[str] = []
    seen: set[str] = set()
    for document in documents:
        for section in document.sections:
            for body in fenced_blocks(section.text, "warden-rule"):
                where = f"{document.title}#{section.anchor}"
                data, note = load_block(body, "warden-rule", where)
                if data is None:
                    notes.append(str(note))
                    continue
                label = (
                    f"warden-rule {data['id']}"
                    if isinstance(data.get("id"), str)
                    else ("warden-rule")
                )
                problem = unknown_keys(data, RULE_KEYS)
                if problem:
                    notes.append(f"{label} in {where} skipped: {problem}")
                    continue
                try:
                    spec = StandardRuleSpec.model_validate(data)
                except ValidationError as error:
                    notes.append(f"{label} in {where} skipped: {validation_reasons(error)}")
                    continue
                if not spec.forbid and not spec.require:
                    notes.append(f"{label} in {where} skipped: no forbid or require")
                    continue
                if spec.id in seen:
                    notes.append(f"{label} in {where} skipped: duplicate id")
                    continue
                seen.add(spec.id)
                rules.append(StandardRule(spec, document, section))
    return ParsedRules(tuple(rules), tuple(notes))
