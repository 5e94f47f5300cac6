"""Hard-coded credentials on added lines: vendor token formats and secret-ish assignments.

Evidence is always masked (`mask_secret`); the raw value never reaches a Finding field
or a fingerprint input.
"""

from __future__ import annotations

from collections.abc import Iterable

from analysis.context import ReviewContext
from analysis.files import FileView
from analysis.findings import line_finding
from analysis.masking import mask_secret, mask_secrets_in_text
from analysis.secret_formats import (
    SECRET_ASSIGNMENT,
    TOKEN_FORMATS,
    TokenFormat,
    assignment_secret_strength,
    is_placeholder,
    may_contain_secret_assignment,
    may_contain_token,
)
from warden.records import Finding, FindingCategory, Severity

__all__ = ["SecretsReviewer", "mask_secret"]

CWE_HARDCODED_CREDENTIALS = "CWE-798"
_FIX = (
    "Treat the credential as compromised: revoke and rotate it (it stays in git history), "
    "then load it at runtime from the environment or a secret store "
    '(e.g. os.environ["NAME"] / process.env.NAME) instead of the source.'
)


class SecretsReviewer:
    name = "secrets"

    def review(self, context: ReviewContext, hints: list[Finding]) -> list[Finding]:
        return [f for view in context.file_views() for f in self.review_file(context, view)]

    def prepare(self, views: Iterable[FileView]) -> None:
        """Nothing to load: the token formats are compiled at import."""

    def review_file(self, context: ReviewContext, view: FileView) -> list[Finding]:
        findings: list[Finding] = []
        for line, text in sorted(view.added.items()):
            findings.extend(self._scan_line(context, view, line, text))
        return findings

    def _scan_line(
        self, context: ReviewContext, view: FileView, line: int, text: str
    ) -> list[Finding]:
        found: list[Finding] = []
        covered: list[tuple[int, int]] = []
        for token_format in TOKEN_FORMATS if may_contain_token(text) else ():
            for match in token_format.pattern.finditer(text):
                value = match.group(token_format.secret_group)
                if token_format.secret_group and is_placeholder(value):
                    continue
                covered.append(match.span())
                found.append(self._token_finding(context, view, line, token_format, value))
        assignments = (
            SECRET_ASSIGNMENT.finditer(text) if may_contain_secret_assignment(text) else ()
        )
        for match in assignments:
            if any(start <= match.start("value") < end for start, end in covered):
                continue
            if not match.group("quote") and view.is_code:
                continue  # in code an unquoted right-hand side is an expression, not a literal
            strength = assignment_secret_strength(match.group("name"), match.group("value"))
            if strength <= 0:
                continue
            if view.is_test:
                strength *= 0.6
            found.append(
                line_finding(
                    context,
                    view,
                    line,
                    rule_id="secret-hardcoded-assignment",
                    category=FindingCategory.security,
                    severity=Severity.high,
                    confidence=strength,
                    cwe=CWE_HARDCODED_CREDENTIALS,
                    message=(
                        f"A literal credential is assigned to `{match.group('name')}` "
                        f"(value {mask_secret(match.group('value'))}): anyone with read "
                        "access to the repository can use it."
                    ),
                    evidence=mask_secrets_in_text(text),
                    suggested_fix=_FIX,
                )
            )
        return found

    def _token_finding(
        self,
        context: ReviewContext,
        view: FileView,
        line: int,
        token_format: TokenFormat,
        value: str,
    ) -> Finding:
        text = view.line_text(line)
        masked_value = mask_secret(value)
        confidence = 0.95
        if "EXAMPLE" in value.upper():
            confidence = 0.6  # vendor documentation sample values still get reported
        if token_format.rule_id == "secret-private-key":
            evidence = text.strip()
            message = "A private key is committed: anyone who can read the repository holds it."
        else:
            evidence = mask_secrets_in_text(text.replace(value, masked_value))
            label = token_format.label[0].upper() + token_format.label[1:]
            message = (
                f"{label} committed in source ({masked_value}): "
                "usable by anyone with read access, and it stays in git history."
            )
        return line_finding(
            context,
            view,
            line,
            rule_id=token_format.rule_id,
            category=FindingCategory.security,
            severity=token_format.severity,
            confidence=confidence,
            cwe=CWE_HARDCODED_CREDENTIALS,
            message=message,
            evidence=evidence,
            suggested_fix=_FIX,
        )
