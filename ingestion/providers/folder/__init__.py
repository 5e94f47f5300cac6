"""Folder provider: tickets and documents as markdown files (tracker and docs kinds)."""

from ingestion.providers.folder.documents import infer_kind, parse_document_markdown
from ingestion.providers.folder.markdown import split_sections
from ingestion.providers.folder.sources import (
    FolderDocumentSource,
    FolderTicketSource,
    Rejected,
)
from ingestion.providers.folder.tickets import parse_ticket_markdown

__all__ = [
    "FolderDocumentSource",
    "FolderTicketSource",
    "Rejected",
    "infer_kind",
    "parse_document_markdown",
    "parse_ticket_markdown",
    "split_sections",
]
