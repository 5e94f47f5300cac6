"""Builders for review contexts: real unified diffs (difflib), real canonical records."""

from __future__ import annotations

import difflib
from datetime import UTC, datetime

import pytest

from analysis.context import ReviewContext
from warden.records import (
    ChangedFile,
    Document,
    DocumentSection,
    PullRequest,
    Ticket,
    pull_request_key,
)

WHEN = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
HEAD_SHA = "a" * 40


def unified_patch(before: list[str], after: list[str]) -> str:
    """A GitHub-style `patch`: the hunks of a unified diff, without file headers."""
    diff = list(difflib.unified_diff(before, after, lineterm="", n=3))
    return "\n".join(line for line in diff[2:])


class Build:
    tenant_id = "acme"
    repository = "platform/api"
    number = 12

    @property
    def pr_key(self) -> str:
        return pull_request_key("github", self.repository, self.number)

    def pr(self, *, title: str = "Lock accounts", head_ref: str = "feature/x") -> PullRequest:
        return PullRequest(
            tenant_id=self.tenant_id,
            pr_key=self.pr_key,
            provider="github",
            repository=self.repository,
            number=self.number,
            title=title,
            author="dev",
            state="open",
            base_ref="main",
            head_ref=head_ref,
            base_sha="b" * 40,
            head_sha=HEAD_SHA,
            created_at=WHEN,
            updated_at=WHEN,
        )

    def file(
        self,
        path: str,
        after: list[str],
        before: list[str] | None = None,
        *,
        with_content: bool = True,
    ) -> ChangedFile:
        before = before or []
        return ChangedFile(
            tenant_id=self.tenant_id,
            pr_key=self.pr_key,
            repository=self.repository,
            number=self.number,
            head_sha=HEAD_SHA,
            path=path,
            status="modified" if before else "added",
            patch=unified_patch(before, after),
            content="\n".join(after) + "\n" if with_content else None,
        )

    def ticket(self, key: str, criteria: list[str], title: str = "A ticket") -> Ticket:
        return Ticket(
            tenant_id=self.tenant_id,
            ticket_key=key,
            provider="folder",
            title=title,
            acceptance_criteria=criteria,
            updated_at=WHEN,
        )

    def document(
        self, title: str, sections: list[tuple[str, str, str]], *, kind: str = "standard"
    ) -> Document:
        return Document(
            tenant_id=self.tenant_id,
            doc_id=f"docs/{title}",
            provider="folder",
            title=title,
            path=f"docs/{title.lower().replace(' ', '-')}.md",
            kind=kind,
            sections=[
                DocumentSection(heading=heading, level=2, anchor=anchor, text=text)
                for heading, anchor, text in sections
            ],
            updated_at=WHEN,
        )

    def context(
        self,
        files: list[ChangedFile],
        *,
        tickets: list[Ticket] | None = None,
        documents: list[Document] | None = None,
        title: str = "Lock accounts",
    ) -> ReviewContext:
        return ReviewContext(
            tenant_id=self.tenant_id,
            pull_request=self.pr(title=title),
            files=files,
            tickets=tickets or [],
            documents=documents or [],
        )


@pytest.fixture
def build() -> Build:
    return Build()
