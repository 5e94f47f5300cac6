"""Load the labelled corpus: YAML cases -> validated BenchCase records -> ReviewContext.

Format: bench/review_quality/README.md. A malformed case raises CorpusError naming the file
and the case id; nothing is skipped silently.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from analysis.context import ReviewContext
from analysis.detectors.security_catalog import SECURITY_RULES
from analysis.policy import ReviewPolicy
from ingestion.providers.folder import parse_document_markdown, parse_ticket_markdown
from warden.records import ChangedFile, Document, PullRequest, Ticket, pull_request_key

CASES_DIR = Path(__file__).parent / "cases"
BENCH_TENANT = "bench"
BENCH_REPOSITORY = "bench/corpus"
WHEN = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
LANGUAGES = ("python", "javascript", "typescript", "go", "java", "config")
NON_SECURITY_CLASSES = ("requirement_drift", "standards")
CASE_CLASSES = frozenset(SECURITY_RULES) | set(NON_SECURITY_CLASSES) | {"clean"}
EXPECT_RULES = frozenset(SECURITY_RULES) | set(NON_SECURITY_CLASSES)
_CASE_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")


class CorpusError(ValueError):
    """A case file that does not follow the corpus format."""


class CaseFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(min_length=1)
    before: str | None = None
    after: str


class Expectation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    category: Literal["security", "requirement_drift", "standards"]
    rule: str
    path: str | None = None
    line: int | None = Field(default=None, ge=1)
    #: a substring of the expected line in `after`; the loader resolves it to `line`
    contains: str | None = None

    @model_validator(mode="after")
    def _rule_fits_category(self) -> Expectation:
        if self.rule not in EXPECT_RULES:
            raise ValueError(f"unknown rule class {self.rule!r}")
        wanted = "security" if self.rule in SECURITY_RULES else self.rule
        if self.category != wanted:
            raise ValueError(f"rule {self.rule!r} belongs to category {wanted!r}")
        if self.category == "security" and self.path is None:
            raise ValueError("a security expectation needs a path")
        return self


class CaseDoc(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(min_length=1)
    text: str


class CasePr(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = "Bench change"
    body: str = ""
    head_ref: str = "feature/bench"


class BenchCase(BaseModel):
    """One labelled change (the YAML document, validated)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    language: Literal["python", "javascript", "typescript", "go", "java", "config"]
    case_class: str = Field(alias="class")
    kind: Literal["vulnerable", "near_miss", "clean"]
    description: str = Field(min_length=1)
    files: list[CaseFile] = Field(min_length=1)
    expect: list[Expectation] = Field(default_factory=list)
    pr: CasePr = Field(default_factory=CasePr)
    policy: dict[str, object] = Field(default_factory=dict)
    tickets: list[str] = Field(default_factory=list)
    docs: list[CaseDoc] = Field(default_factory=list)
    #: the file the case was read from (set by the loader)
    source: str = ""

    @model_validator(mode="before")
    @classmethod
    def _resolve_contains(cls, data: object) -> object:
        """`contains: text` -> `line`: the first line of that file's `after` holding it."""
        if not isinstance(data, dict):
            return data
        afters = {f.get("path"): f.get("after") or "" for f in data.get("files") or []}
        resolved = []
        for raw in data.get("expect") or []:
            if isinstance(raw, dict) and raw.get("contains"):
                lines = afters.get(raw.get("path"), "").splitlines()
                found = [i for i, text in enumerate(lines, 1) if raw["contains"] in text]
                if not found:
                    raise ValueError(f"no line of {raw.get('path')!r} contains {raw['contains']!r}")
                if raw.get("line") not in (None, found[0]):
                    raise ValueError(
                        f"line {raw['line']} disagrees with contains (line {found[0]})"
                    )
                raw = {**raw, "line": found[0]}
            resolved.append(raw)
        return {**data, "expect": resolved}

    @model_validator(mode="after")
    def _consistent(self) -> BenchCase:
        if not _CASE_ID.fullmatch(self.id):
            raise ValueError(f"invalid case id {self.id!r}")
        if self.case_class not in CASE_CLASSES:
            raise ValueError(f"unknown class {self.case_class!r}")
        if self.kind == "vulnerable" and not self.expect:
            raise ValueError("a vulnerable case needs at least one expectation")
        if self.kind != "vulnerable" and self.expect:
            raise ValueError(f"a {self.kind} case expects nothing")
        paths = [f.path for f in self.files]
        if len(set(paths)) != len(paths):
            raise ValueError("duplicate file paths")
        by_path = {f.path: f for f in self.files}
        for expectation in self.expect:
            if expectation.path is None:
                continue
            if expectation.path not in by_path:
                raise ValueError(f"expectation path {expectation.path!r} is not a case file")
            line_count = len(by_path[expectation.path].after.splitlines())
            if expectation.line is not None and expectation.line > line_count:
                raise ValueError(
                    f"expectation line {expectation.line} beyond {expectation.path} "
                    f"({line_count} lines)"
                )
        return self

    @property
    def should_be_silent(self) -> bool:
        return self.kind != "vulnerable"

    def review_policy(self) -> ReviewPolicy:
        return ReviewPolicy.from_repository_policy(self.policy)

    def context(self) -> ReviewContext:
        """The case as the engine sees a PR: real records, real unified patches."""
        number = _pr_number(self.id)
        pr_key = pull_request_key("bench", BENCH_REPOSITORY, number)
        head_sha = _sha(self.id, "head")
        pull_request = PullRequest(
            tenant_id=BENCH_TENANT,
            pr_key=pr_key,
            provider="bench",
            repository=BENCH_REPOSITORY,
            number=number,
            title=self.pr.title,
            body=self.pr.body,
            author="bench",
            state="open",
            base_ref="main",
            head_ref=self.pr.head_ref,
            base_sha=_sha(self.id, "base"),
            head_sha=head_sha,
            created_at=WHEN,
            updated_at=WHEN,
            changed_files=len(self.files),
        )
        files = [changed_file(f, pr_key, number, head_sha) for f in self.files]
        return ReviewContext(
            tenant_id=BENCH_TENANT,
            pull_request=pull_request,
            files=files,
            tickets=self.ticket_records(),
            documents=self.document_records(),
        )

    def ticket_records(self) -> list[Ticket]:
        return [
            parse_ticket_markdown(
                text, f"{self.id}#ticket{i}", tenant_id=BENCH_TENANT, fallback_updated_at=WHEN
            )
            for i, text in enumerate(self.tickets)
        ]

    def document_records(self) -> list[Document]:
        return [
            parse_document_markdown(
                doc.text, doc.path, tenant_id=BENCH_TENANT, fallback_updated_at=WHEN
            )
            for doc in self.docs
        ]


def unified_patch(before: str, after: str) -> str:
    """GitHub-style `patch`: the hunks of a difflib unified diff, without file headers."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=3)
    return "\n".join(list(diff)[2:])


def changed_file(spec: CaseFile, pr_key: str, number: int, head_sha: str) -> ChangedFile:
    before = spec.before or ""
    patch = unified_patch(before, spec.after)
    added = sum(1 for ln in patch.splitlines() if ln.startswith("+"))
    removed = sum(1 for ln in patch.splitlines() if ln.startswith("-"))
    return ChangedFile(
        tenant_id=BENCH_TENANT,
        pr_key=pr_key,
        repository=BENCH_REPOSITORY,
        number=number,
        head_sha=head_sha,
        path=spec.path,
        status="added" if spec.before is None else "modified",
        additions=added,
        deletions=removed,
        patch=patch,
        content=spec.after,
    )


def load_case_file(path: Path) -> list[BenchCase]:
    """Every case (YAML document) in one file."""
    try:
        documents = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    except yaml.YAMLError as error:
        raise CorpusError(f"{path}: invalid YAML: {error}") from error
    cases: list[BenchCase] = []
    for document in documents:
        if not isinstance(document, dict):
            raise CorpusError(f"{path}: a case must be a mapping")
        case_id = document.get("id", "?")
        try:
            case = BenchCase.model_validate({**document, "source": str(path)})
            case.ticket_records()
            case.document_records()
        except (ValidationError, ValueError) as error:
            raise CorpusError(f"{path} [{case_id}]: {error}") from error
        cases.append(case)
    return cases


def load_corpus(root: Path = CASES_DIR) -> list[BenchCase]:
    """All cases under `root`, sorted by id; ids must be unique."""
    cases: list[BenchCase] = []
    files = sorted([*root.rglob("*.yaml"), *root.rglob("*.yml")])
    for path in files:
        cases.extend(load_case_file(path))
    seen: dict[str, str] = {}
    for case in cases:
        if case.id in seen:
            raise CorpusError(f"duplicate case id {case.id!r} in {case.source} and {seen[case.id]}")
        seen[case.id] = case.source
    return sorted(cases, key=lambda c: c.id)


def _sha(case_id: str, side: str) -> str:
    return hashlib.sha1(f"{side}:{case_id}".encode()).hexdigest()


def _pr_number(case_id: str) -> int:
    return zlib.crc32(case_id.encode()) % 900_000 + 1
