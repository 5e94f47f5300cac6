"""ReviewContext: everything one review looks at (PR, changed files, tickets, documents)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, model_validator

from analysis.files import FileView
from warden.records import ChangedFile, Document, DocumentSection, PullRequest, Ticket
from warden.tenancy import TENANT_SLUG

_GENERIC_DIRS = frozenset({"src", "lib", "app", "apps", "pkg", "internal", "main", "test", "tests"})


@dataclass(frozen=True)
class SectionRef:
    """A document section judged relevant to the change, with the reason it was picked."""

    document: Document
    section: DocumentSection
    score: int
    reasons: tuple[str, ...]

    @property
    def citation(self) -> str:
        return f"{self.document.title}#{self.section.anchor}"


class ReviewContext(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    tenant_id: str = Field(pattern=TENANT_SLUG.pattern)
    pull_request: PullRequest
    files: list[ChangedFile]
    tickets: list[Ticket] = []
    documents: list[Document] = []

    @model_validator(mode="after")
    def _one_tenant_one_pr(self) -> ReviewContext:
        """Refuse a context mixing tenants or files of another PR (no cross-tenant leaks)."""
        records = [self.pull_request, *self.files, *self.tickets, *self.documents]
        foreign = sorted({r.tenant_id for r in records if r.tenant_id != self.tenant_id})
        if foreign:
            raise ValueError(f"records of other tenants in the review context: {foreign}")
        other_prs = sorted({f.pr_key for f in self.files if f.pr_key != self.pull_request.pr_key})
        if other_prs:
            raise ValueError(f"changed files of other pull requests: {other_prs}")
        return self

    def file_views(self) -> list[FileView]:
        """Changed files that still exist at head, parsed."""
        return [FileView(changed) for changed in self.files if changed.status != "removed"]

    def changed_paths(self) -> list[str]:
        return [changed.path for changed in self.files if changed.status != "removed"]

    def relevant_sections(self, limit: int = 20) -> list[SectionRef]:
        """Doc sections that mention the changed paths, their file names or directories.

        Standards documents and sections declaring `warden-rule` blocks rank higher.
        """
        terms = _path_terms(self.changed_paths())
        refs: list[SectionRef] = []
        for document in self.documents:
            for section in document.sections:
                score, reasons = _score_section(document, section, terms)
                if score > 0:
                    refs.append(SectionRef(document, section, score, tuple(reasons)))
        refs.sort(key=lambda ref: (-ref.score, ref.document.title, ref.section.anchor))
        return refs[:limit]


def _path_terms(paths: list[str]) -> dict[str, int]:
    """Term -> weight: full paths 3, file stems 2, distinctive directory names 1."""
    terms: dict[str, int] = {}
    for path in paths:
        terms[path.lower()] = 3
        parts = path.lower().split("/")
        stem = parts[-1].rsplit(".", 1)[0]
        if len(stem) >= 4 and stem not in ("index", "init", "__init__", "main"):
            terms.setdefault(stem, 2)
        for directory in parts[:-1]:
            if len(directory) >= 3 and directory not in _GENERIC_DIRS:
                terms.setdefault(directory, 1)
    return terms


def _score_section(
    document: Document, section: DocumentSection, terms: dict[str, int]
) -> tuple[int, list[str]]:
    text = f"{section.heading}\n{section.text}".lower()
    score = 0
    reasons: list[str] = []
    for term, weight in terms.items():
        if re.search(rf"(?<![a-z0-9_]){re.escape(term)}(?![a-z0-9_])", text):
            score += weight
            reasons.append(f"mentions {term}")
    if score and document.kind == "standard":
        score += 1
        reasons.append("standard")
    if "```warden-rule" in section.text:
        score += 2
        reasons.append("declares warden-rule")
    return score, reasons
