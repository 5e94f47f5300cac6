"""Fencing untrusted text for the LLM: tags carrying an unguessable token.

Text inside a fence cannot close it early, because the closing tag carries a random token
the author never saw. Labels (paths, titles) are untrusted too and are reduced to a safe
alphabet before they go into a tag.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

_LABEL_UNSAFE = re.compile(r"[^A-Za-z0-9_./#:@ ()+,-]")
_MAX_LABEL = 160
TOKEN_BYTES = 12


@dataclass(frozen=True)
class Fence:
    token: str

    def wrap(self, kind: str, label: str, text: str) -> str:
        safe_label = _LABEL_UNSAFE.sub("_", label)[:_MAX_LABEL]
        return (
            f'<untrusted-data kind="{kind}" label="{safe_label}" fence="{self.token}">\n'
            f"{text}\n"
            f'</untrusted-data fence="{self.token}">'
        )


def new_fence(avoid: Iterable[str] = ()) -> Fence:
    """A fresh random fence whose token appears in none of `avoid` (the texts it will fence)."""
    texts = list(avoid)
    while True:
        token = secrets.token_hex(TOKEN_BYTES)
        if not any(token in text for text in texts):
            return Fence(token)
