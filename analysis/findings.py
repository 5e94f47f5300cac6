"""Build Finding records for a context: identity fields, masking, fingerprint."""

from __future__ import annotations

from analysis.context import ReviewContext
from analysis.files import FileView
from analysis.fingerprint import compute_fingerprint
from analysis.masking import mask_secrets_in_text
from warden.records import Finding, FindingCategory, Severity

#: placeholder run id; `analysis.engine` stamps the real one on every kept finding
PENDING_RUN_ID = "pending"
MAX_EVIDENCE_CHARS = 300


def clip(text: str, limit: int = MAX_EVIDENCE_CHARS) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def line_finding(
    context: ReviewContext,
    view: FileView,
    line: int,
    *,
    rule_id: str,
    category: FindingCategory,
    severity: Severity,
    confidence: float,
    message: str,
    suggested_fix: str,
    cwe: str | None = None,
    end_line: int | None = None,
    evidence: str | None = None,
    evidence_source: str = "",
) -> Finding:
    """A finding about one line of a changed file (evidence defaults to that line, masked)."""
    text = view.line_text(line)
    return general_finding(
        context,
        rule_id=rule_id,
        category=category,
        severity=severity,
        confidence=confidence,
        message=message,
        suggested_fix=suggested_fix,
        cwe=cwe,
        file_path=view.path,
        start_line=line,
        end_line=end_line or line,
        evidence=evidence if evidence is not None else text,
        evidence_source=evidence_source or f"{view.path}:{line}",
        fingerprint=compute_fingerprint(rule_id, view.path, text, view.occurrence(line)),
    )


def general_finding(
    context: ReviewContext,
    *,
    rule_id: str,
    category: FindingCategory,
    severity: Severity,
    confidence: float,
    message: str,
    suggested_fix: str,
    fingerprint: str,
    evidence: str,
    evidence_source: str = "",
    cwe: str | None = None,
    file_path: str | None = None,
    start_line: int | None = None,
    end_line: int | None = None,
) -> Finding:
    """Any finding; every text field is masked and clipped."""
    pr = context.pull_request
    return Finding(
        tenant_id=context.tenant_id,
        run_id=PENDING_RUN_ID,
        pr_key=pr.pr_key,
        repository=pr.repository,
        number=pr.number,
        head_sha=pr.head_sha,
        category=category,
        rule_id=rule_id,
        cwe=cwe,
        severity=severity,
        confidence=round(confidence, 3),
        file_path=file_path,
        start_line=start_line,
        end_line=end_line,
        message=mask_secrets_in_text(message),
        evidence=clip(mask_secrets_in_text(evidence)),
        evidence_source=mask_secrets_in_text(evidence_source),
        suggested_fix=mask_secrets_in_text(suggested_fix),
        fingerprint=fingerprint,
    )
