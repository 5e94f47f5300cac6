"""Built-in standards a document switches on with a fenced `warden-standard` YAML block:

```warden-standard
standard: layering            # layering | route-guards | sensitive-logging | todo-ticket
from: ["billing/domain/**"]   # layering: files whose imports are checked
must-not-import: ["billing.web", "flask", "billing/web/**"]
```
`route-guards`: `applies-to` globs + `guards` (decorator / middleware / annotation names).
`sensitive-logging`: optional `fields`, added to the threat model's sensitive fields and the
defaults (password, token, secret, ssn, api_key, ...).
`todo-ticket`: optional `pattern` (regex of a ticket key; default `ABC-123`).
Every standard also takes `id`, `message`, `severity`, `applies-to` and `exclude`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from analysis.context import ReviewContext
from analysis.detectors.standards_code import (
    DEFAULT_TICKET,
    logged_identifiers,
    new_routes,
    sensitive_field_in,
    todo_without_ticket,
)
from analysis.detectors.standards_findings import standard_line_finding
from analysis.detectors.standards_imports import added_imports, import_matches
from analysis.detectors.standards_rules import (
    as_tuple,
    check_globs,
    check_patterns,
    fenced_blocks,
    load_block,
    path_selected,
    unknown_keys,
    validation_reasons,
)
from analysis.files import FileView
from warden.records import Document, DocumentSection, Finding, Severity

DEFAULT_SENSITIVE_FIELDS = frozenset(
    {"password", "passwd", "secret", "token", "ssn", "api_key", "card_number", "cvv"}
)


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    standard: str
    id: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9_.-]{1,63}$")
    message: str = ""
    severity: Severity = Severity.medium
    applies_to: tuple[str, ...] = Field(default=("**",), alias="applies-to")
    exclude: tuple[str, ...] = ()

    @field_validator("applies_to", "exclude", mode="before")
    @classmethod
    def _tuple(cls, value: Any) -> Any:
        return as_tuple(value)

    @field_validator("applies_to", "exclude")
    @classmethod
    def _globs(cls, globs: tuple[str, ...]) -> tuple[str, ...]:
        return check_globs(globs)


class LayeringSpec(_Spec):
    from_: tuple[str, ...] = Field(alias="from", min_length=1)
    must_not_import: tuple[str, ...] = Field(alias="must-not-import", min_length=1)

    @field_validator("from_", "must_not_import", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return as_tuple(value)

    @field_validator("from_")
    @classmethod
    def _from_globs(cls, globs: tuple[str, ...]) -> tuple[str, ...]:
        return check_globs(globs)


class RouteGuardsSpec(_Spec):
    guards: tuple[str, ...] = Field(min_length=1)

    @field_validator("guards", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        return as_tuple(value)


class SensitiveLoggingSpec(_Spec):
    fields: tuple[str, ...] = ()

    @field_validator("fields", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        return as_tuple(value)


class TodoTicketSpec(_Spec):
    severity: Severity = Severity.low
    pattern: str | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        return check_patterns((value,))[0] if value else value


SPECS: dict[str, type[_Spec]] = {
    "layering": LayeringSpec,
    "route-guards": RouteGuardsSpec,
    "sensitive-logging": SensitiveLoggingSpec,
    "todo-ticket": TodoTicketSpec,
}


def _known_keys(spec: type[_Spec]) -> tuple[str, ...]:
    return tuple(f.alias or name for name, f in spec.model_fields.items())


@dataclass(frozen=True)
class BuiltinStandard:
    spec: _Spec
    document: Document
    section: DocumentSection

    @property
    def citation(self) -> str:
        return f"{self.document.title}#{self.section.anchor}"

    @property
    def rule_id(self) -> str:
        return f"standard:{self.spec.id or self.spec.standard}"


def parse_builtin_standards(
    documents: list[Document],
) -> tuple[list[BuiltinStandard], list[str]]:
    standards: list[BuiltinStandard] = []
    notes: list[str] = []
    for document in documents:
        for section in document.sections:
            where = f"{document.title}#{section.anchor}"
            for body in fenced_blocks(section.text, "warden-standard"):
                data, note = load_block(body, "warden-standard", where)
                if data is None:
                    notes.append(str(note))
                    continue
                name = data.get("standard")
                spec_type = SPECS.get(str(name))
                if spec_type is None:
                    known = ", ".join(SPECS)
                    notes.append(
                        f"warden-standard in {where} skipped: unknown standard {name!r} "
                        f"(known: {known})"
                    )
                    continue
                label = f"warden-standard {name}"
                problem = unknown_keys(data, _known_keys(spec_type))
                if problem:
                    notes.append(f"{label} in {where} skipped: {problem}")
                    continue
                try:
                    spec = spec_type.model_validate(data)
                except ValidationError as error:
                    notes.append(f"{label} in {where} skipped: {validation_reasons(error)}")
                    continue
                standards.append(BuiltinStandard(spec, document, section))
    return standards, notes


def check_standard(
    context: ReviewContext,
    views: list[FileView],
    standard: BuiltinStandard,
    sensitive_fields: frozenset[str],
) -> list[Finding]:
    spec = standard.spec
    findings: list[Finding] = []
    for view in views:
        if not path_selected(view.path, spec.applies_to, spec.exclude):
            continue
        if isinstance(spec, LayeringSpec):
            findings.extend(_layering(context, view, standard, spec))
        elif isinstance(spec, RouteGuardsSpec):
            findings.extend(_route_guards(context, view, standard, spec))
        elif isinstance(spec, SensitiveLoggingSpec):
            fields = frozenset(spec.fields) | sensitive_fields | DEFAULT_SENSITIVE_FIELDS
            findings.extend(sensitive_logging(context, view, standard, fields))
        elif isinstance(spec, TodoTicketSpec):
            findings.extend(_todo(context, view, standard, spec))
    return findings


def _finding(
    context: ReviewContext,
    view: FileView,
    line: int,
    standard: BuiltinStandard,
    what: str,
    fix: str,
    confidence: float = 0.9,
) -> Finding:
    spec = standard.spec
    lead = spec.message or f"Breaks the {spec.standard} standard"
    return standard_line_finding(
        context,
        view,
        line,
        rule_id=standard.rule_id,
        severity=spec.severity,
        confidence=confidence,
        message=f"{lead} ({standard.citation}): {what}",
        suggested_fix=fix,
        evidence_source=standard.citation,
    )


def _layering(
    context: ReviewContext, view: FileView, standard: BuiltinStandard, spec: LayeringSpec
) -> list[Finding]:
    if not path_selected(view.path, spec.from_):
        return []
    findings: list[Finding] = []
    reported: set[int] = set()
    for ref in added_imports(view):
        target = next((t for t in spec.must_not_import if import_matches(ref, t)), None)
        if target is None or ref.line in reported:
            continue
        reported.add(ref.line)
        what = f"{view.path} imports {ref.module}, which matches the forbidden '{target}'."
        fix = f"Depend on an interface owned by this layer instead of {target}."
        findings.append(_finding(context, view, ref.line, standard, what, fix))
    return findings


def _route_guards(
    context: ReviewContext, view: FileView, standard: BuiltinStandard, spec: RouteGuardsSpec
) -> list[Finding]:
    names = " or ".join(spec.guards)
    return [
        _finding(
            context,
            view,
            site.line,
            standard,
            f"the route {site.label} has no {names}.",
            f"Add {names} to the route (or to its router), as {standard.citation} requires.",
            confidence=0.8,
        )
        for site in new_routes(view, spec.guards)
        if not site.guarded
    ]


def sensitive_logging(
    context: ReviewContext, view: FileView, standard: BuiltinStandard, fields: frozenset[str]
) -> list[Finding]:
    findings: list[Finding] = []
    for line, text in sorted(view.added.items()):
        for identifier in logged_identifiers(text):
            field_name = sensitive_field_in(identifier, fields)
            if field_name is None:
                continue
            what = f"the log call passes {identifier}, a {field_name} field."
            fix = f"Log an identifier or a masked form instead of {identifier}."
            findings.append(_finding(context, view, line, standard, what, fix, 0.85))
            break
    return findings


def _todo(
    context: ReviewContext, view: FileView, standard: BuiltinStandard, spec: TodoTicketSpec
) -> list[Finding]:
    ticket = re.compile(spec.pattern) if spec.pattern else DEFAULT_TICKET
    findings: list[Finding] = []
    for line, text in sorted(view.added.items()):
        marker = todo_without_ticket(text, ticket)
        if marker is not None:
            what = f"a {marker} without a ticket key."
            fix = f"Reference the ticket that tracks this {marker} (e.g. ENG-123), or do it now."
            findings.append(_finding(context, view, line, standard, what, fix))
    return findings
