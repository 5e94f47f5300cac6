"""`warden-rule` blocks in customer documents: parse, validate, match paths.

A bad rule is skipped with a note that says why; it never stops a review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from warden.records import Document, DocumentSection, Severity

_FENCE = re.compile(
    r"^(?P<fence>```|~~~)[ \t]*warden-rule[ \t]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
MAX_PATTERN_CHARS = 500


class StandardRuleSpec(BaseModel):
    """The YAML content of one `warden-rule` block."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{1,63}$")
    description: str = ""
    applies_to: tuple[str, ...] = Field(alias="applies-to", min_length=1)
    forbid: tuple[str, ...] = ()
    require: tuple[str, ...] = ()
    severity: Severity = Severity.low

    @field_validator("applies_to", "forbid", "require", mode="before")
    @classmethod
    def _as_tuple(cls, value: Any) -> Any:
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        return value

    @field_validator("forbid", "require")
    @classmethod
    def _compiles(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            if len(pattern) > MAX_PATTERN_CHARS:
                raise ValueError(f"regex longer than {MAX_PATTERN_CHARS} characters")
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"invalid regex {pattern!r}: {error}") from error
        return patterns


@dataclass(frozen=True)
class StandardRule:
    spec: StandardRuleSpec
    document: Document
    section: DocumentSection

    @property
    def citation(self) -> str:
        return f"{self.document.title}#{self.section.anchor}"

    def applies_to(self, path: str) -> bool:
        return any(glob_to_regex(glob).fullmatch(path) for glob in self.spec.applies_to)


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


def _validation_reason(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "rule"
    return f"{where}: {first['msg']}"


def parse_rules(documents: list[Document]) -> ParsedRules:
    """Every valid `warden-rule` in `documents`; invalid or duplicate ones become notes."""
    rules: list[StandardRule] = []
    notes: list[str] = []
    seen: set[str] = set()
    for document in documents:
        for section in document.sections:
            for match in _FENCE.finditer(section.text):
                where = f"{document.title}#{section.anchor}"
                try:
                    data = yaml.safe_load(match.group("body"))
                except yaml.YAMLError as error:
                    reason = type(error).__name__
                    notes.append(f"warden-rule in {where} skipped: invalid YAML ({reason})")
                    continue
                if not isinstance(data, dict):
                    notes.append(f"warden-rule in {where} skipped: expected a YAML mapping")
                    continue
                try:
                    spec = StandardRuleSpec.model_validate(data)
                except ValidationError as error:
                    notes.append(f"warden-rule in {where} skipped: {_validation_reason(error)}")
                    continue
                if not spec.forbid and not spec.require:
                    notes.append(f"warden-rule {spec.id} in {where} skipped: no forbid or require")
                    continue
                if spec.id in seen:
                    notes.append(f"warden-rule {spec.id} in {where} skipped: duplicate id")
                    continue
                seen.add(spec.id)
                rules.append(StandardRule(spec, document, section))
    return ParsedRules(tuple(rules), tuple(notes))
