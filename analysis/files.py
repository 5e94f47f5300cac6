"""A changed file as the detectors see it: language, test-ness, added lines, head lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from analysis.diff import ParsedPatch, parse_patch
from analysis.fingerprint import normalise_content
from warden.records import ChangedFile

_PYTHON = (".py", ".pyi")
_JAVASCRIPT = (".js", ".jsx", ".mjs", ".cjs", ".vue", ".svelte")  # components: script part
_TYPESCRIPT = (".ts", ".mts", ".cts")
_BY_SUFFIX = (
    (_PYTHON, "python"),
    (_JAVASCRIPT, "javascript"),
    (_TYPESCRIPT, "typescript"),
    ((".tsx",), "tsx"),
    ((".go",), "go"),
    ((".java",), "java"),
    ((".tf", ".tfvars", ".hcl"), "terraform"),
)
_WORKFLOW = re.compile(r"(?:^|/)\.github/(?:workflows/[^/]+|actions/.+/action)\.ya?ml$")
_KUBERNETES_DIR = re.compile(r"(?:^|/)(?:k8s|kube|kubernetes|manifests?|charts?|helm|deploy)/")
_DOCKERFILE = re.compile(r"(?:^|/)(?:[^/]*\.)?(?:dockerfile|containerfile)(?:\.[^/]*)?$")
#: languages of program source (the rest are configuration, data or unknown)
CODE_LANGUAGES = frozenset({"python", "javascript", "typescript", "tsx", "go", "java"})
#: languages whose families share JavaScript's rules
JAVASCRIPT_FAMILY = frozenset({"javascript", "typescript", "tsx"})
CONFIG_LANGUAGES = frozenset({"dockerfile", "github_actions", "kubernetes", "terraform", "yaml"})
_TEST_PATH = re.compile(
    r"(?:^|/)(?:tests?|__tests__|spec|specs|fixtures?|testdata|__mocks__)/"
    r"|(?:^|/)(?:test_[^/]*\.py|[^/]*_test\.py|conftest\.py|[^/]*\.(?:test|spec)\.[jt]sx?"
    r"|[^/]*_test\.go|[^/]*Tests?\.java)$"
)


def language_of(path: str) -> str:
    """`python`, `javascript`, `typescript`, `tsx`, `go`, `java`, `terraform`, `dockerfile`,
    `github_actions`, `kubernetes` (YAML under a k8s-like folder), `yaml` or `other`.

    Kubernetes YAML elsewhere is recognised by content (`kind:` + `apiVersion:`) by the
    Kubernetes checks themselves; the path only gives the first guess.
    """
    lowered = path.lower()
    for suffixes, language in _BY_SUFFIX:
        if lowered.endswith(suffixes):
            return language
    if _DOCKERFILE.search(lowered):
        return "dockerfile"
    if lowered.endswith((".yml", ".yaml")):
        if _WORKFLOW.search(lowered):
            return "github_actions"
        if _KUBERNETES_DIR.search(lowered):
            return "kubernetes"
        return "yaml"
    return "other"


def is_code_language(language: str) -> bool:
    return language in CODE_LANGUAGES


#: framework route files whose URL path may contain "test" (Next.js app/ and pages/api/)
_ROUTE_FILE = re.compile(
    r"(?:^|/)(?:app|pages)/(?:.+/)?(?:route|page|layout)\.[jt]sx?$|(?:^|/)pages/api/"
)


def is_test_path(path: str) -> bool:
    if _ROUTE_FILE.search(path):
        return False  # `app/api/webhooks/test/route.ts` serves /api/webhooks/test
    return bool(_TEST_PATH.search(path))


@dataclass(frozen=True)
class FileView:
    changed: ChangedFile
    patch: ParsedPatch = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "patch", parse_patch(self.changed.patch))

    @property
    def path(self) -> str:
        return self.changed.path

    @property
    def language(self) -> str:
        return language_of(self.path)

    @property
    def is_code(self) -> bool:
        """Program source (not configuration, data or an unknown format)."""
        return is_code_language(self.language)

    @property
    def is_test(self) -> bool:
        return is_test_path(self.path)

    @cached_property
    def added(self) -> dict[int, str]:
        """New-file line number -> added line text."""
        return self.patch.added_text_by_line()

    @cached_property
    def head_lines(self) -> list[str] | None:
        """The file at head, split into lines, when the content was fetched."""
        text = self.changed.content
        if text is None:
            return None
        # split on \n only: str.splitlines() also breaks on \x0c and \u2028, which would
        # shift head line numbers away from the diff's
        lines = text.split("\n")
        if text.endswith("\n"):
            lines = lines[:-1]
        return [line.removesuffix("\r") for line in lines]

    def line_text(self, line: int) -> str:
        if line in self.added:
            return self.added[line]
        lines = self.head_lines
        if lines is not None and 1 <= line <= len(lines):
            return lines[line - 1]
        return ""

    def occurrence(self, line: int) -> int:
        """Index of this line among identical (normalised) lines of the file."""
        target = normalise_content(self.line_text(line))
        lines = self.head_lines
        if lines is not None and 1 <= line <= len(lines):
            return self._normalised_head_lines[: line - 1].count(target)
        before = [text for number, text in sorted(self.added.items()) if number < line]
        return sum(1 for text in before if normalise_content(text) == target)

    @cached_property
    def _normalised_head_lines(self) -> list[str]:
        """Head lines normalised once per view (each distinct text once)."""
        seen: dict[str, str] = {}
        for text in self.head_lines or []:
            if text not in seen:
                seen[text] = normalise_content(text)
        return [seen[text] for text in self.head_lines or []]
