"""The text a config check reads: the head file, or the new side of the hunks when only
the patch is known (with each row's file line number)."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.files import FileView


@dataclass(frozen=True)
class ConfigText:
    text: str
    rows: tuple[int, ...]  # row index (0-based) -> file line (1-based)

    def line(self, row: int) -> int:
        return self.rows[min(max(row, 0), len(self.rows) - 1)] if self.rows else row + 1


def config_text(view: FileView) -> ConfigText:
    content = view.changed.content
    if content is not None:
        lines = content.splitlines()
        return ConfigText(content, tuple(range(1, len(lines) + 1)))
    rows: list[int] = []
    texts: list[str] = []
    for hunk in view.patch.hunks:
        for line in hunk.new_side:
            rows.append(line.new_line or 0)
            texts.append(line.text)
    return ConfigText("\n".join(texts), tuple(rows))
