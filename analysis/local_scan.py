"""`warden scan PATH...`: files on disk reviewed as if a pull request had added them.

Each file becomes an "added" ChangedFile whose patch adds every line and whose content is
the file's text, so every detector judges the whole file (a baseline for onboarding). The
walk never follows symbolic links and skips version-control folders, dependency folders
(node_modules, vendor), virtual environments and caches, binary files, files that are not
UTF-8 and files larger than `max_file_bytes`; each skip is reported with its reason.

File paths are relative to the scan root: the git work tree that holds every path when
there is one (so SARIF URIs match the repository), else the deepest common folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.context import ReviewContext
from analysis.local_pull_request import local_pull_request
from warden.records import ChangedFile, Document, Ticket, sha256_hex

DEFAULT_MAX_FILE_BYTES = 512 * 1024
EXCLUDED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".bzr",
        "node_modules", "bower_components", "vendor", "third_party",
        ".venv", "venv", ".tox", ".nox", "site-packages", "__pypackages__",
        "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".gradle", ".terraform",
    }
)  # fmt: skip
BINARY_SUFFIXES = frozenset(
    {
        ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".webp", ".pdf",
        ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".tar", ".jar", ".war",
        ".class", ".so", ".dll", ".dylib", ".exe", ".o", ".a", ".pyc", ".pyo", ".whl",
        ".woff", ".woff2", ".ttf", ".otf", ".eot", ".mp3", ".mp4", ".mov", ".avi", ".wav",
        ".sqlite", ".db", ".parquet", ".duckdb",
    }
)  # fmt: skip
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class SkippedPath:
    path: str
    #: excluded_dir | virtualenv | symlink | binary | not_utf8 | too_large | unreadable
    reason: str


@dataclass(frozen=True)
class ScanTarget:
    root: Path
    #: (path relative to root with forward slashes, text), sorted by path
    files: tuple[tuple[str, str], ...]
    skipped: tuple[SkippedPath, ...]


def find_scan_root(paths: Sequence[Path]) -> Path:
    """The git work tree holding every path, else their deepest common folder."""
    resolved = [p.resolve() for p in paths]
    folders = [p if p.is_dir() else p.parent for p in resolved]
    common = Path(os.path.commonpath([str(f) for f in folders]))
    for candidate in (common, *common.parents):
        if (candidate / ".git").exists():
            return candidate
    return common


def collect_files(
    paths: Sequence[Path], *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
) -> ScanTarget:
    """Walk `paths` (files or folders) and read what can be reviewed."""
    if not paths:
        raise ValueError("nothing to scan: give at least one path")
    root = find_scan_root(paths)
    files: dict[str, str] = {}
    skipped: list[SkippedPath] = []
    for given in paths:
        resolved = given.resolve()
        if resolved.is_dir():
            _walk(resolved, root, max_file_bytes, files, skipped)
        else:
            _read(resolved, root, max_file_bytes, files, skipped)
    unique = {s.path: s for s in skipped}
    return ScanTarget(
        root=root,
        files=tuple(sorted(files.items())),
        skipped=tuple(sorted(unique.values(), key=lambda s: s.path)),
    )


def added_file_patch(text: str) -> str:
    """A unified hunk that adds every line of `text` (empty text: no hunk)."""
    if not text:
        return ""
    lines = text.split("\n")
    missing_newline = not text.endswith("\n")
    if not missing_newline:
        lines = lines[:-1]
    if not lines:
        return ""
    body = [f"@@ -0,0 +1,{len(lines)} @@", *(f"+{line}" for line in lines)]
    if missing_newline:
        body.append("\\ No newline at end of file")
    return "\n".join(body)


def scan_context(
    target: ScanTarget,
    *,
    tenant_id: str,
    tickets: Sequence[Ticket] = (),
    documents: Sequence[Document] = (),
) -> ReviewContext:
    """The ReviewContext of a scan: one "added" file per scanned file."""
    digest = sha256_hex(*(f"{path}\0{text}" for path, text in target.files))
    pr = local_pull_request(
        tenant_id,
        repository=target.root.name or "scan",
        title=f"warden scan of {target.root.name or target.root}",
        digest=digest,
        head_ref="scan",
    )
    files = [
        ChangedFile(
            tenant_id=tenant_id,
            pr_key=pr.pr_key,
            repository=pr.repository,
            number=pr.number,
            head_sha=pr.head_sha,
            path=path,
            status="added",
            additions=text.count("\n") + (0 if text.endswith("\n") or not text else 1),
            patch=added_file_patch(text),
            content=text,
        )
        for path, text in target.files
    ]
    return ReviewContext(
        tenant_id=tenant_id,
        pull_request=pr,
        files=files,
        tickets=list(tickets),
        documents=list(documents),
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _walk(
    folder: Path, root: Path, max_bytes: int, files: dict[str, str], skipped: list[SkippedPath]
) -> None:
    for current, dirs, names in os.walk(folder, followlinks=False):
        here = Path(current)
        kept = []
        for name in sorted(dirs):
            child = here / name
            if child.is_symlink():
                skipped.append(SkippedPath(_relative(child, root) + "/", "symlink"))
            elif name in EXCLUDED_DIRS:
                skipped.append(SkippedPath(_relative(child, root) + "/", "excluded_dir"))
            elif (child / "pyvenv.cfg").is_file():
                skipped.append(SkippedPath(_relative(child, root) + "/", "virtualenv"))
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(names):
            _read(here / name, root, max_bytes, files, skipped)


def _read(
    path: Path, root: Path, max_bytes: int, files: dict[str, str], skipped: list[SkippedPath]
) -> None:
    relative = _relative(path, root)
    reason = _skip_reason(path, max_bytes)
    if reason is not None:
        skipped.append(SkippedPath(relative, reason))
        return
    try:
        data = path.read_bytes()
    except OSError:
        skipped.append(SkippedPath(relative, "unreadable"))
        return
    if b"\0" in data[:_SNIFF_BYTES]:
        skipped.append(SkippedPath(relative, "binary"))
        return
    try:
        files[relative] = data.decode("utf-8")
    except UnicodeDecodeError:
        skipped.append(SkippedPath(relative, "not_utf8"))


def _skip_reason(path: Path, max_bytes: int) -> str | None:
    if path.is_symlink():
        return "symlink"
    if path.suffix.lower() in BINARY_SUFFIXES:
        return "binary"
    try:
        if not path.is_file():
            return "unreadable"
        if path.stat().st_size > max_bytes:
            return "too_large"
    except OSError:
        return "unreadable"
    return None
