"""Threat-model controls matched against the code a change touches.

Controls are the bullets under headings like "Controls", "Mitigations" or "Security
requirements" in documents of kind `threat_model`. Each is classified by keywords; the
kinds Warden can check deterministically have a concrete-evidence test on ADDED lines:

- upload-size-limit  ("uploads are size limited"): an added upload-handling line in a file
  that has no size check anywhere at head (only judged when the head content is known);
- no-sensitive-logging ("tokens are never logged"): a log call passing such a field;
- sql-bound-parameters ("all SQL uses bound parameters"): SQL text built by interpolation;
- password-hashing ("passwords are hashed with bcrypt"): md5/sha* next to a password;
- tls-verification ("TLS certificates are always verified"): verification switched off.
Lines a security rule already reported (the `hints`) are left to that finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.context import ReviewContext
from analysis.detectors.standards_code import logged_identifiers, sensitive_field_in
from analysis.detectors.standards_findings import standard_line_finding
from analysis.files import FileView
from warden.records import Document, DocumentSection, Finding, Severity

_CONTROL_HEADING = re.compile(
    r"(?i)\b(?:controls?|mitigations?|security requirements?|countermeasures?|safeguards?)\b"
)
_SENSITIVE_HEADING = re.compile(r"(?i)sensitive|assets?|data classification|\bpii\b|secrets")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?(?P<text>.+)$")
_SENSITIVE_NOUNS = {
    "password": "password", "passwords": "password", "token": "token", "tokens": "token",
    "secret": "secret", "secrets": "secret", "ssn": "ssn", "ssns": "ssn",
    "api key": "api_key", "api keys": "api_key", "card number": "card_number",
    "card numbers": "card_number", "cvv": "cvv", "session id": "session_id",
    "session ids": "session_id", "private key": "private_key", "credentials": "credential",
}  # fmt: skip
_UPLOAD = re.compile(
    r"request\.files|UploadFile|FileStorage|multer\(|req\.files?\b|busboy|formidable|"
    r"FormFile\(|MultipartFile|MultipartReader"
)
_SIZE_CHECK = re.compile(
    r"(?i)max_?content_?length|content[_-]?length|max_?(?:upload|file|body)_?(?:size|bytes)|"
    r"file_?size|fileSize|MaxBytesReader|ParseMultipartForm\(|getSize\(\)|\.size\b|"
    r"len\([^)]*\)\s*>|size_?limit|limits\s*:|maxFileSize|max_size"
)
_SQL_TEXT = re.compile(r"(?i)\b(?:select\b.+\bfrom|insert\s+into|update\b.+\bset|delete\s+from)\b")
_INTERPOLATED = re.compile(
    r"""\bf(["'])(?:(?!\1).)*\{|\$\{|["']\s*%\s*[\w(]|["']\s*\+\s*\w|\w\s*\+\s*["']|\.format\(|Sprintf\("""
)
_WEAK_HASH = re.compile(
    r"(?i)hashlib\.(?:md5|sha1|sha224|sha256|sha512)\(|createHash\(\s*['\"](?:md5|sha1|sha256)|"
    r"MessageDigest\.getInstance\(\s*\"(?:MD5|SHA-1|SHA-256)|\b(?:md5|sha1|sha256)\.(?:Sum|New)"
)
_PASSWORD = re.compile(r"(?i)passw|pwd|passphrase")
_TLS_OFF = re.compile(
    r"verify\s*=\s*False|rejectUnauthorized\s*:\s*false|InsecureSkipVerify\s*:\s*true|"
    r"NODE_TLS_REJECT_UNAUTHORIZED|CERT_NONE|TrustAllCerts|NoopHostnameVerifier"
)


@dataclass(frozen=True)
class Control:
    text: str
    kind: str | None  # None: not deterministically checkable (still context for the LLM)
    fields: frozenset[str]
    document: Document
    section: DocumentSection

    @property
    def citation(self) -> str:
        return f"{self.document.title}#{self.section.anchor}"


def classify(text: str) -> tuple[str | None, frozenset[str]]:
    lowered = text.lower()
    fields = frozenset(v for k, v in _SENSITIVE_NOUNS.items() if re.search(rf"\b{k}\b", lowered))
    if "upload" in lowered and re.search(r"size|limit|large|\bmb\b|bytes", lowered):
        return "upload-size-limit", fields
    if re.search(r"\blog(?:s|ged|ging)?\b", lowered) and re.search(
        r"\bnever\b|\bnot\b|\bno\b|without|must not", lowered
    ):
        return ("no-sensitive-logging", fields) if fields else (None, fields)
    if re.search(r"\bsql\b|quer(?:y|ies)", lowered) and re.search(
        r"bound|parameteri[sz]ed|parameters|prepared|placeholder", lowered
    ):
        return "sql-bound-parameters", fields
    if "password" in lowered and re.search(r"hash|bcrypt|argon|scrypt|pbkdf", lowered):
        return "password-hashing", fields
    if re.search(r"\btls\b|certificat|https", lowered) and re.search(r"verif|validat", lowered):
        return "tls-verification", fields
    return None, fields


#: a standards section listing what must never be logged ("## What must never be logged")
_NEVER_LOGGED_HEADING = re.compile(
    r"(?i)\b(?:never|not|don'?t|mustn'?t)\b.*\blog(?:ged|s|ging)?\b"
    r"|\blog(?:ged|ging)?\b.*\b(?:never|forbidden|prohibited)\b"
)


def parse_controls(documents: list[Document]) -> list[Control]:
    """The bullet-listed controls of every threat-model document, classified; and in
    standards, the sensitive data a "never logged" section lists."""
    controls: list[Control] = []
    for document in documents:
        if document.kind in ("standard", "design", "adr"):
            controls.extend(_never_logged(document))
            continue
        if document.kind != "threat_model":
            continue
        for section in document.sections:
            if not _CONTROL_HEADING.search(section.heading):
                continue
            for line in section.text.splitlines():
                match = _BULLET.match(line)
                if match:
                    text = " ".join(match["text"].split())
                    kind, fields = classify(text)
                    controls.append(Control(text, kind, fields, document, section))
    return controls


def _never_logged(document: Document) -> list[Control]:
    controls: list[Control] = []
    for section in document.sections:
        if not _NEVER_LOGGED_HEADING.search(section.heading):
            continue
        for line in section.text.splitlines():
            match = _BULLET.match(line)
            if match:
                text = " ".join(match["text"].split())
                fields = classify(text)[1]
                if fields:
                    controls.append(
                        Control(text, "no-sensitive-logging", fields, document, section)
                    )
    return controls


def sensitive_fields(documents: list[Document]) -> frozenset[str]:
    """Fields the threat model names as sensitive (logging controls, sensitive-data lists)."""
    fields: set[str] = set()
    for control in parse_controls(documents):
        if control.kind == "no-sensitive-logging":
            fields |= control.fields
    for document in documents:
        if document.kind != "threat_model":
            continue
        for section in document.sections:
            if _SENSITIVE_HEADING.search(section.heading):
                for line in section.text.splitlines():
                    match = _BULLET.match(line)
                    if match:
                        fields |= classify(match["text"])[1]
                        fields |= set(re.findall(r"`([A-Za-z_]\w*)`", match["text"]))
    return frozenset(fields)


def check_controls(
    context: ReviewContext,
    views: list[FileView],
    controls: list[Control],
    hints: list[Finding],
    skip_lines: set[tuple[str, int]],
) -> list[Finding]:
    taken = {(h.file_path, h.start_line) for h in hints if h.file_path} | skip_lines
    findings: list[Finding] = []
    for control in controls:
        if control.kind is None:
            continue
        for view in views:
            for line, detail in _weakened(control, view):
                if (view.path, line) in taken:
                    continue
                taken.add((view.path, line))
                findings.append(_finding(context, view, line, control, detail))
    return findings


def _weakened(control: Control, view: FileView) -> list[tuple[int, str]]:
    added = sorted(view.added.items())
    if control.kind == "upload-size-limit":
        content = view.changed.content
        if content is None or _SIZE_CHECK.search(content):
            return []
        hit = next((n for n, t in added if _UPLOAD.search(t)), None)
        return [(hit, "an upload handler with no size check in the file")] if hit else []
    if control.kind == "no-sensitive-logging":
        out = []
        for n, text in added:
            for identifier in logged_identifiers(text):
                if sensitive_field_in(identifier, control.fields):
                    out.append((n, f"the log call passes {identifier}"))
                    break
        return out
    if control.kind == "sql-bound-parameters":
        return [
            (n, "SQL text built by string interpolation instead of bound parameters")
            for n, t in added
            if _SQL_TEXT.search(t) and _INTERPOLATED.search(t)
        ]
    if control.kind == "password-hashing":
        return [
            (n, "a fast, unsalted digest used next to a password")
            for n, t in added
            if _WEAK_HASH.search(t) and _PASSWORD.search(_window(view, n))
        ]
    if control.kind == "tls-verification":
        return [
            (n, "TLS certificate verification switched off") for n, t in added if _TLS_OFF.search(t)
        ]
    return []


def _window(view: FileView, line: int) -> str:
    return "\n".join(view.line_text(n) for n in range(line - 2, line + 3))


_SEVERITY = {
    "upload-size-limit": Severity.medium,
    "no-sensitive-logging": Severity.high,
    "sql-bound-parameters": Severity.high,
    "password-hashing": Severity.high,
    "tls-verification": Severity.high,
}


def _finding(
    context: ReviewContext, view: FileView, line: int, control: Control, detail: str
) -> Finding:
    confidence = 0.7 if control.kind == "upload-size-limit" else 0.85
    from_model = control.document.kind == "threat_model"
    what = "Weakens the threat-model control" if from_model else "Breaks the team standard"
    return standard_line_finding(
        context,
        view,
        line,
        rule_id=f"{'threat-model' if from_model else 'standard'}:{control.kind}",
        severity=_SEVERITY[str(control.kind)],
        confidence=confidence,
        message=f"{what} \u201c{control.text}\u201d ({control.citation}): {detail}.",
        suggested_fix=f"Restore the control as {control.citation} states it: "
        f"\u201c{control.text}\u201d.",
        evidence_source=control.citation,
    )
