"""Versioned prompt files: `<name>.system.md`; the version is the name plus a content hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

PROMPTS_DIR = Path(__file__).parent
DEFAULT_PROMPT = "review_v1"


@dataclass(frozen=True)
class Prompt:
    name: str
    system: str

    @property
    def version(self) -> str:
        """e.g. `review_v1+3f9a1c2b`: editing the file without renaming it still shows."""
        digest = hashlib.sha256(self.system.encode("utf-8")).hexdigest()[:8]
        return f"{self.name}+{digest}"


def load_prompt(name: str = DEFAULT_PROMPT) -> Prompt:
    """Read `<name>.system.md` from this package (names are ours, never user input)."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"invalid prompt name {name!r}")
    path = PROMPTS_DIR / f"{name}.system.md"
    return Prompt(name=name, system=path.read_text(encoding="utf-8").strip())
