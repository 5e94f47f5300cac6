"""Dockerfile checks: root in the final stage, remote scripts piped into a shell, unverified
remote ADD, and credentials baked into ENV/ARG."""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.detectors.config.source import ConfigText
from analysis.detectors.security_catalog import Hit

_PIPE_TO_SHELL = re.compile(
    r"\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?(?:-\S+\s+)*(?:ba|z|da)?sh\b"
    r"|\b(?:ba)?sh\s+(?:-c\s+)?[\"']?(?:<\(|\$\()\s*(?:curl|wget)\b"
    r"|\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?python[0-9.]*\b"
)
_SECRET_NAME = re.compile(
    r"(?i)passw|secret|token|api_?key|private_?key|access_?key|credential|auth_?key"
)
_PLACEHOLDER = re.compile(r"^(?:\$\{?\w+\}?|<[^>]+>|\s*|changeme|xxx+|\*+|dummy|example)$", re.I)
_ROOT_USERS = frozenset({"root", "0", "0:0", "root:root"})


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str
    first_row: int
    last_row: int


def parse_dockerfile(text: str) -> list[Instruction]:
    """Instructions with backslash continuations joined; comments and blank lines skipped."""
    instructions: list[Instruction] = []
    parts: list[str] = []
    start = 0
    for row, raw in enumerate(text.splitlines()):
        stripped = raw.strip()
        if not parts and (not stripped or stripped.startswith("#")):
            continue
        if parts and stripped.startswith("#"):
            continue
        if not parts:
            start = row
        continued = stripped.endswith("\\")
        parts.append(stripped[:-1] if continued else stripped)
        if not continued:
            joined = " ".join(p for p in parts if p)
            keyword, _, rest = joined.partition(" ")
            instructions.append(Instruction(keyword.upper(), rest.strip(), start, row))
            parts = []
    if parts:
        joined = " ".join(parts)
        keyword, _, rest = joined.partition(" ")
        instructions.append(
            Instruction(keyword.upper(), rest.strip(), start, len(text.splitlines()) - 1)
        )
    return instructions


def scan_dockerfile(source: ConfigText, removed_user: bool = False) -> list[Hit]:
    """Hits in Dockerfile numbering. A missing USER is reported on the final FROM line, or
    on the whole final stage when the change removed a USER instruction."""
    instructions = parse_dockerfile(source.text)
    hits: list[Hit] = []
    for ins in instructions:
        first, last = source.line(ins.first_row), source.line(ins.last_row)
        if ins.keyword == "RUN" and _PIPE_TO_SHELL.search(ins.arguments):
            hits.append(
                Hit(
                    "remote-script-execution", first, last, 0.85, "remote script piped into a shell"
                )
            )
        if (
            ins.keyword == "ADD"
            and re.search(r"(?:^|\s)https?://", ins.arguments)
            and "--checksum" not in ins.arguments
        ):
            hits.append(
                Hit("remote-script-execution", first, last, 0.6, "ADD of a URL without --checksum")
            )
        if ins.keyword in ("ENV", "ARG"):
            hits.extend(_credentials(ins, first, last))
        if (
            ins.keyword == "USER"
            and ins.arguments.split()[0].lower() in _ROOT_USERS
            and _is_last_user(ins, instructions)
        ):
            hits.append(Hit("container-runs-as-root", first, last, 0.8, f"USER {ins.arguments}"))
    hits.extend(_no_user(instructions, source, removed_user))
    return hits


def _credentials(ins: Instruction, first: int, last: int) -> list[Hit]:
    pairs = re.findall(r"""(\w+)\s*=\s*("[^"]*"|'[^']*'|\S+)""", ins.arguments)
    if not pairs and ins.keyword == "ENV" and len(ins.arguments.split(None, 1)) == 2:
        pairs = [tuple(ins.arguments.split(None, 1))]
    hits = []
    for name, value in pairs:
        value = value.strip("\"'")
        if _SECRET_NAME.search(name) and not _PLACEHOLDER.match(value):
            hits.append(
                Hit(
                    "hardcoded-credential",
                    first,
                    last,
                    0.8,
                    f"{ins.keyword} {name} has a literal value",
                )
            )
    return hits


def _stages(instructions: list[Instruction]) -> list[list[Instruction]]:
    stages: list[list[Instruction]] = []
    for ins in instructions:
        if ins.keyword == "FROM" or not stages:
            stages.append([])
        stages[-1].append(ins)
    return stages


def _is_last_user(ins: Instruction, instructions: list[Instruction]) -> bool:
    final = _stages(instructions)[-1]
    users = [i for i in final if i.keyword == "USER"]
    return bool(users) and users[-1] is ins


def _no_user(instructions: list[Instruction], source: ConfigText, removed_user: bool) -> list[Hit]:
    stages = _stages(instructions)
    if not stages or stages[-1][0].keyword != "FROM":
        return []
    final = stages[-1]
    image = final[0].arguments.lower()
    if any(i.keyword == "USER" for i in final) or "nonroot" in image or "rootless" in image:
        return []
    first = source.line(final[0].first_row)
    last = source.line(final[-1].last_row) if removed_user else source.line(final[0].last_row)
    return [Hit("container-runs-as-root", first, last, 0.7, "final stage has no USER instruction")]
