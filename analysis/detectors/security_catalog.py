"""The security rules: id, CWE, severity, why it matters and the concrete fix.

The rule data lives in `security_catalog_rules`, one tuple per group."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.detectors.security_catalog_rules import (
    CONFIGURATION_RULES,
    CRYPTO_RULES,
    INJECTION_RULES,
    RESOURCE_RULES,
    WEB_SESSION_RULES,
)
from warden.records import Severity


@dataclass(frozen=True)
class SecurityRule:
    rule_id: str
    title: str
    cwe: str
    severity: Severity
    why: str
    fix: str


@dataclass(frozen=True)
class Hit:
    """A rule matched at `line`..`end_line` (1-based, in the scanned text's numbering)."""

    rule_id: str
    line: int
    end_line: int
    confidence: float
    detail: str
    #: this use is more (or less) severe than the rule's default (e.g. MD5 signing a URL)
    severity: Severity | None = None
    #: what the finding shows instead of the line (already masked by the check), e.g. a
    #: credential the line holds
    evidence: str | None = None


_RULES = tuple(
    SecurityRule(*row)
    for row in (
        *INJECTION_RULES,
        *CRYPTO_RULES,
        *WEB_SESSION_RULES,
        *RESOURCE_RULES,
        *CONFIGURATION_RULES,
    )
)

SECURITY_RULES: dict[str, SecurityRule] = {rule.rule_id: rule for rule in _RULES}
