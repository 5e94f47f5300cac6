"""PR <-> ticket links: ticket keys found in the branch name, the title and the body.

Keys look like `ENG-123` (`[A-Z][A-Z0-9]{1,9}-\\d{1,6}`). Branch names are matched without
regard to case (`feature/eng-123-lockout`); in the title and body a key must be written in
upper case, since prose is full of lower-case `word-12` pairs. Well-known non-ticket tokens
(`UTF-8`, `SHA-256`, `ISO-8601`, `HTTP-2`, `CVE-...`, ...) are never keys. With
`known_prefixes`, only those projects' keys count, matched in any case, and a known prefix
wins over the deny list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from warden.records import PrTicketLink, PullRequest

LinkSource = Literal["branch", "title", "body"]

_BEFORE = r"(?<![A-Za-z0-9])"
_NUMBER = r"-(?P<number>\d{1,6})(?![0-9]|\.[0-9])"  # not part of a version like `lib-4.17`
_KEY_ANY_CASE = re.compile(_BEFORE + r"(?P<prefix>[A-Za-z][A-Za-z0-9]{1,9})" + _NUMBER)
_KEY_UPPER = re.compile(_BEFORE + r"(?P<prefix>[A-Z][A-Z0-9]{1,9})" + _NUMBER)

#: prefixes of standards, algorithms and identifiers that look like ticket keys
DENIED_PREFIXES = frozenset(
    {
        "AES",
        "ARM",
        "ARM64",
        "BASE",
        "CAPEC",
        "COVID",
        "CRC",
        "CVE",
        "CWE",
        "ECMA",
        "ES",
        "GHSA",
        "GPT",
        "HTTP",
        "HTTPS",
        "IEC",
        "IEEE",
        "IPV",
        "ISO",
        "MD",
        "OWASP",
        "PEP",
        "PKCS",
        "RFC",
        "RSA",
        "SHA",
        "SHA1",
        "SHA2",
        "SHA3",
        "SSL",
        "TLS",
        "UCS",
        "UTF",
        "WIN",
        "X86",
        "X509",
        # words branch names put before a number (`release-2026`, `fix-12`, `node-20`)
        "BUGFIX",
        "BUMP",
        "DRAFT",
        "FEAT",
        "FEATURE",
        "FIX",
        "HOTFIX",
        "ISSUE",
        "NODE",
        "PART",
        "PATCH",
        "PHASE",
        "PR",
        "PULL",
        "PY",
        "PYTHON",
        "RELEASE",
        "STEP",
        "TEMP",
        "TEST",
        "TMP",
        "VERSION",
        "WIP",
    }
)


def ticket_keys(text: str, *, any_case: bool, known: frozenset[str] | None = None) -> list[str]:
    """Upper-cased ticket keys in `text`, in order of first appearance, without repeats."""
    pattern = _KEY_ANY_CASE if any_case or known else _KEY_UPPER
    keys: list[str] = []
    for match in pattern.finditer(text):
        prefix = match["prefix"].upper()
        if known is not None:
            if prefix not in known:
                continue
        elif prefix in DENIED_PREFIXES:
            continue
        key = f"{prefix}-{match['number']}"
        if key not in keys:
            keys.append(key)
    return keys


def extract_ticket_links(
    pr: PullRequest, *, known_prefixes: Iterable[str] | None = None
) -> list[PrTicketLink]:
    """One link per (ticket key, source) found in the PR's branch, title and body."""
    known = frozenset(p.upper() for p in known_prefixes) if known_prefixes is not None else None
    texts: tuple[tuple[LinkSource, str, bool], ...] = (
        ("branch", pr.head_ref, True),
        ("title", pr.title, False),
        ("body", pr.body, False),
    )
    links = []
    for source, text, any_case in texts:
        for key in ticket_keys(text or "", any_case=any_case, known=known):
            links.append(
                PrTicketLink(
                    tenant_id=pr.tenant_id,
                    pr_key=pr.pr_key,
                    repository=pr.repository,
                    number=pr.number,
                    ticket_key=key,
                    source=source,
                )
            )
    return links
