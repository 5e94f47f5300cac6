"""Which changed files the engine reviews, and why the others are skipped."""

from __future__ import annotations

import re

from analysis.outcome_parts import Coverage, SkippedFile
from warden.records import ChangedFile

MAX_PATCH_LINES = 5_000
_LOCKFILES = re.compile(
    r"(?:^|/)(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|uv\.lock|"
    r"Cargo\.lock|go\.sum|Gemfile\.lock|composer\.lock|Pipfile\.lock)$"
)
_VENDORED = re.compile(r"(?:^|/)(?:vendor|node_modules|third_party|\.yarn)/")
_GENERATED = re.compile(
    r"(?:\.min\.(?:js|css)$|\.map$|_pb2(?:_grpc)?\.py$|\.pb\.go$|\.generated\.\w+$|"
    r"(?:^|/)(?:dist|build)/|\.snap$)"
)
_GENERATED_BANNER = re.compile(r"(?i)(?:@generated|code generated .* do not edit|auto-?generated)")


def skip_reason(changed: ChangedFile) -> str | None:
    """Why a changed file is not reviewed (None: it is reviewed)."""
    if _LOCKFILES.search(changed.path):
        return "lockfile"
    if _VENDORED.search(changed.path):
        return "vendored"
    if _GENERATED.search(changed.path):
        return "generated"
    head = (changed.content or changed.patch or "")[:600]
    if _GENERATED_BANNER.search(head):
        return "generated"
    if changed.patch is None and changed.status != "removed":
        return "binary"
    if changed.patch and changed.patch.count("\n") > MAX_PATCH_LINES:
        return "too_large"
    return None


def compute_coverage(files: list[ChangedFile]) -> tuple[list[ChangedFile], Coverage]:
    """Files to review (removed files carry nothing to review and are not counted as skipped)."""
    present = [f for f in files if f.status != "removed"]
    reviewed: list[ChangedFile] = []
    skipped: list[SkippedFile] = []
    for changed in present:
        reason = skip_reason(changed)
        if reason is None:
            reviewed.append(changed)
        else:
            skipped.append(SkippedFile(path=changed.path, reason=reason))
    coverage = Coverage(files_total=len(present), files_reviewed=len(reviewed), skipped=skipped)
    return reviewed, coverage
