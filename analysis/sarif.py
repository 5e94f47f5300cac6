"""SARIF 2.1.0 for `--format sarif`, in the subset GitHub code scanning accepts.

One run; `tool.driver.rules` holds one reportingDescriptor per rule that produced a result
(security rules take their title, why and fix from the catalogue, and carry the `security`
tag, `CWE-<n>` and a `security-severity`). Each result cites its rule by id and index, has a
level from its severity, one physical location whose URI is relative to the scanned root
(`uriBaseId: %SRCROOT%`, forward slashes) and Warden's fingerprint in
`partialFingerprints["warden/v1"]`, so the same finding stays the same alert across uploads.

Findings about no file (a ticket criterion without evidence, a missing linked ticket) have
no place in the code: code scanning shows only results with a location, so they are left out
of `results` and listed under `runs[0].properties.warden.unlocatedFindings` instead (the PR
comment and `--format json` carry them in full).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from analysis.detectors.security_catalog import SECURITY_RULES
from analysis.engine import ENGINE_VERSION, ReviewOutcome
from warden.records import Finding, FindingCategory, Severity

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://warden.local"
FINGERPRINT_KEY = "warden/v1"
SRCROOT = "%SRCROOT%"

LEVELS = {
    Severity.critical: "error",
    Severity.high: "error",
    Severity.medium: "warning",
    Severity.low: "note",
    Severity.info: "note",
}
#: GitHub maps >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low
SECURITY_SEVERITY = {
    Severity.critical: "9.5",
    Severity.high: "8.0",
    Severity.medium: "5.5",
    Severity.low: "3.0",
}
_CATEGORY_TAGS = {
    FindingCategory.security: ["security"],
    FindingCategory.requirement_drift: ["requirement-drift", "correctness"],
    FindingCategory.standards: ["standards", "maintainability"],
}
_OTHER_RULES = {
    "requirement-contradicted": "Code contradicts a linked ticket's acceptance criterion",
    "requirement-not-evidenced": "Acceptance criterion without evidence in the change",
    "missing-linked-ticket": "Pull request without the linked ticket the policy requires",
    "secret-hardcoded-assignment": "Hard-coded secret",
}


def to_sarif(
    outcome: ReviewOutcome, root: Path, *, findings: Sequence[Finding] | None = None
) -> dict[str, Any]:
    """The SARIF log for `findings` (default: the outcome's reportable findings)."""
    chosen = list(outcome.reportable if findings is None else findings)
    located = [f for f in chosen if f.file_path]
    unlocated = [f for f in chosen if not f.file_path]
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for finding in located:
        if finding.rule_id not in index:
            index[finding.rule_id] = len(rules)
            rules.append(
                _rule(finding.rule_id, [f for f in located if f.rule_id == finding.rule_id])
            )
    results = [_result(finding, index[finding.rule_id], root) for finding in located]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "Warden",
                "version": ENGINE_VERSION,
                "semanticVersion": _semver(ENGINE_VERSION),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": root.resolve().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "note", "message": {"text": note}} for note in _notes(outcome)
                ],
            }
        ],
        "properties": {
            "warden": {
                "policyHash": outcome.policy_hash,
                "unlocatedFindings": [
                    {
                        "ruleId": f.rule_id,
                        "level": LEVELS[f.severity],
                        "message": f.message,
                        "evidenceSource": f.evidence_source,
                        "fingerprint": f.fingerprint,
                    }
                    for f in unlocated
                ],
            }
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def artifact_uri(file_path: str, root: Path) -> str:
    """`file_path` relative to `root`, forward slashes, percent-encoded as a URI reference."""
    path = file_path.replace("\\", "/")
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            path = candidate.resolve().relative_to(root.resolve()).as_posix()
        except ValueError as error:
            raise ValueError(f"{file_path} is outside the scanned root {root}") from error
    relative = PurePosixPath(path.removeprefix("./"))
    if relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"{file_path} is not inside the scanned root")
    return quote(relative.as_posix(), safe="/")


def _rule(rule_id: str, findings: list[Finding]) -> dict[str, Any]:
    first = findings[0]
    catalogued = SECURITY_RULES.get(rule_id)
    severity = catalogued.severity if catalogued else max((f.severity for f in findings), key=_rank)
    cwe = (catalogued.cwe if catalogued else None) or first.cwe
    short = catalogued.title if catalogued else _OTHER_RULES.get(rule_id) or _first_sentence(first)
    why = catalogued.why if catalogued else first.message
    fix = catalogued.fix if catalogued else first.suggested_fix or "Review the change by hand."
    tags = list(_CATEGORY_TAGS[first.category])
    if cwe:
        tags.append(cwe.upper())
        tags.append(f"external/cwe/{cwe.lower()}")
    properties: dict[str, Any] = {
        "tags": tags,
        "precision": _precision(max(f.confidence for f in findings)),
        "problem.severity": LEVELS[severity] if severity.rank >= 2 else "recommendation",
    }
    if first.category == FindingCategory.security and severity in SECURITY_SEVERITY:
        properties["security-severity"] = SECURITY_SEVERITY[severity]
    return {
        "id": rule_id,
        "name": _pascal(rule_id),
        "shortDescription": {"text": short},
        "fullDescription": {"text": why},
        "help": {"text": f"Fix: {fix}", "markdown": f"**Fix:** {fix}"},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": properties,
    }


def _result(finding: Finding, rule_index: int, root: Path) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {
            "uri": artifact_uri(finding.file_path or "", root),
            "uriBaseId": SRCROOT,
        }
    }
    if finding.start_line and finding.start_line >= 1:
        end = max(finding.end_line or finding.start_line, finding.start_line)
        physical["region"] = {"startLine": finding.start_line, "endLine": end}
    fix = f" Fix: {finding.suggested_fix}" if finding.suggested_fix else ""
    return {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": f"{finding.message}{fix}"},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "severity": finding.severity.value,
            "confidence": finding.confidence,
            "category": finding.category.value,
            "evidence": finding.evidence,
        },
    }


def _notes(outcome: ReviewOutcome) -> list[str]:
    notes = []
    if outcome.coverage is not None and (line := outcome.coverage.summary_line()):
        notes.append(line)
    return notes + list(outcome.notes)


def _rank(severity: Severity) -> int:
    return severity.rank


def _precision(confidence: float) -> str:
    if confidence >= 0.9:
        return "very-high"
    if confidence >= 0.75:
        return "high"
    if confidence >= 0.5:
        return "medium"
    return "low"


def _pascal(rule_id: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", rule_id) if part)


def _first_sentence(finding: Finding) -> str:
    text = finding.message.split(". ", 1)[0].strip()
    return text[:200] or finding.rule_id


def _semver(version: str) -> str:
    parts = [str(int(p)) for p in version.split(".") if p.isdigit()]
    return ".".join([*parts, "0", "0", "0"][:3])
