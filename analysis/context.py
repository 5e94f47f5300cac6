"""ReviewContext: everything one review looks at (PR, changed files, tickets, documents)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from analysis.files import FileView
from analysis.retrieval import (
    DEFAULT_CHAR_BUDGET,
    DEFAULT_LIMIT,
    SectionRef,
    relevant_sections,
)
from warden.records import ChangedFile, Document, PullRequest, Ticket
from warden.tenancy import TENANT_SLUG

__all__ = ["ReviewContext", "SectionRef"]


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

    def relevant_sections(
        self, limit: int = DEFAULT_LIMIT, char_budget: int = DEFAULT_CHAR_BUDGET
    ) -> list[SectionRef]:
        """Doc sections relevant to the changed paths and identifiers, ranked and bounded
        (see `analysis.retrieval.relevant_sections`)."""
        return relevant_sections(self, limit, char_budget)
