"""Folder sources: tickets and documents as markdown files under a configured directory.

A scan never aborts on one bad file: good files are returned, bad ones are listed in
`rejected` with their reason so the caller can quarantine them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from ingestion.providers.base import (
    Capability,
    DocumentSource,
    Fetched,
    ProviderError,
    TicketSource,
)
from ingestion.providers.folder.documents import parse_document_markdown
from ingestion.providers.folder.tickets import parse_ticket_markdown
from ingestion.providers.registry import ProviderContext, register
from warden.errors import NormalisationError
from warden.records import Document, Record, Ticket

PROVIDER = "folder"
MAX_FILE_BYTES = 1024 * 1024
R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class Rejected:
    """A file that could not become a record: where it is and why."""

    source: str  # path relative to the folder
    reason: str
    raw: dict[str, Any] | None = None  # {"path", "text"} when the file could be read


@dataclass(frozen=True)
class MarkdownFile:
    relative_path: str  # posix, relative to the folder
    text: str
    modified_at: datetime

    @property
    def raw(self) -> dict[str, Any]:
        """What lands beside the record: the file's text and its relative path."""
        return {"path": self.relative_path, "text": self.text}


def markdown_files(root: Path) -> tuple[list[MarkdownFile], list[Rejected]]:
    """Every `*.md` under `root` (hidden folders skipped), sorted; unreadable ones rejected."""
    root = root.resolve()
    files: list[MarkdownFile] = []
    rejected: list[Rejected] = []
    for path in sorted(root.rglob("*.md")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        name = relative.as_posix()
        if not path.resolve().is_relative_to(root):
            rejected.append(Rejected(name, "file links outside the folder"))
            continue
        stat = path.stat()
        if stat.st_size > MAX_FILE_BYTES:
            rejected.append(Rejected(name, f"file larger than {MAX_FILE_BYTES} bytes"))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            rejected.append(Rejected(name, "file is not UTF-8 text"))
            continue
        files.append(MarkdownFile(name, text, datetime.fromtimestamp(stat.st_mtime, UTC)))
    return files, rejected


def _scan(
    root: Path,
    parse: Callable[[MarkdownFile], R],
    updated_since: datetime | None,
    updated_at: Callable[[R], datetime],
) -> tuple[list[Fetched[R]], list[Rejected]]:
    if not root.is_dir():
        raise ProviderError(f"folder {root} does not exist or is not a directory")
    files, rejected = markdown_files(root)
    fetched: list[Fetched[R]] = []
    for file in files:
        try:
            record = parse(file)
        except (NormalisationError, ValueError) as exc:  # pydantic ValidationError too
            rejected.append(Rejected(file.relative_path, _reason(exc), raw=file.raw))
            continue
        if updated_since is None or updated_at(record) >= updated_since:
            fetched.append(Fetched(record=record, raw=file.raw))
    return fetched, rejected


def _reason(exc: Exception) -> str:
    return " ".join(str(exc).split())[:500]


class FolderTicketSource(TicketSource):
    """Tickets from `<path>/**/*.md`, one ticket per file (front matter key/title/...)."""

    name: ClassVar[str] = PROVIDER
    capabilities: ClassVar[frozenset[Capability]] = frozenset({Capability.read_tickets})

    def __init__(self, tenant_id: str, path: str | Path) -> None:
        self.tenant_id = tenant_id
        self.root = Path(path)
        self.rejected: list[Rejected] = []

    def list_tickets(self, *, updated_since: datetime | None = None) -> list[Fetched[Ticket]]:
        def parse(file: MarkdownFile) -> Ticket:
            return parse_ticket_markdown(
                file.text,
                file.relative_path,
                tenant_id=self.tenant_id,
                fallback_updated_at=file.modified_at,
            )

        fetched, self.rejected = _scan(self.root, parse, updated_since, lambda t: t.updated_at)
        return fetched


class FolderDocumentSource(DocumentSource):
    """Documents from `<path>/**/*.md`, split into sections by heading."""

    name: ClassVar[str] = PROVIDER
    capabilities: ClassVar[frozenset[Capability]] = frozenset({Capability.read_documents})

    def __init__(self, tenant_id: str, path: str | Path) -> None:
        self.tenant_id = tenant_id
        self.root = Path(path)
        self.rejected: list[Rejected] = []

    def list_documents(self, *, updated_since: datetime | None = None) -> list[Fetched[Document]]:
        def parse(file: MarkdownFile) -> Document:
            return parse_document_markdown(
                file.text,
                file.relative_path,
                tenant_id=self.tenant_id,
                fallback_updated_at=file.modified_at,
            )

        fetched, self.rejected = _scan(self.root, parse, updated_since, lambda d: d.updated_at)
        return fetched


def _folder_path(context: ProviderContext) -> str:
    path = context.integration.config.get("path")
    if not isinstance(path, str) or not path:
        raise ProviderError(
            f"folder integration {context.integration.name!r} needs config {{'path': <dir>}}"
        )
    return path


@register("tracker", PROVIDER)
def build_folder_ticket_source(context: ProviderContext) -> FolderTicketSource:
    return FolderTicketSource(context.tenant_id, _folder_path(context))


@register("docs", PROVIDER)
def build_folder_document_source(context: ProviderContext) -> FolderDocumentSource:
    return FolderDocumentSource(context.tenant_id, _folder_path(context))
