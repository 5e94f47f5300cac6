"""Terraform credentials written as literals (CWE-798).

A credential argument (`administrator_login_password`, `master_password`, `admin_password`,
`client_secret`, `secret_key`, `token`, ...) of a resource, data source, provider, module or
`locals`, a `.tfvars` assignment, or the `default` of a variable named like a credential,
set to a plain string. The value ends up in the repository, the plan and the state.

Not reported: references and expressions (`var.db_password`, `random_password.db.result`,
`data.azurerm_key_vault_secret.admin.value`, `"${...}"` templates, function calls), flags and
numbers (`manage_master_user_password = true`, `password_length = 24`), placeholders
(`"changeme"`, `"<password>"`, shared `is_placeholder`), and lines the secrets reviewer already
reports under its `secret-*` rules (one finding per credential).

The value never leaves this module unmasked: details and evidence carry `mask_secret(value)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tree_sitter import Node

from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import ParsedSource, text
from analysis.masking import mask_secret
from analysis.secret_formats import (
    SECRET_ASSIGNMENT,
    TOKEN_FORMATS,
    assignment_secret_strength,
    is_placeholder,
    may_contain_secret_assignment,
    may_contain_token,
)

_CREDENTIAL_NAME = re.compile(
    r"(?:^|_)(?:password|passwd|passphrase|secret|token|api_?key|access_key|secret_key"
    r"|private_key|account_key|shared_key|auth_key|master_key|secret_string)(?:_wo)?$"
)
#: every credential name above contains one of these (case-folded): a file without any skips
_CREDENTIAL_HINT = re.compile(rb"(?i)pass|secret|token|key")
_MIN_LENGTH = 4
_CONFIDENCE = 0.8


@dataclass(frozen=True)
class LiteralCredential:
    name: str  # the argument, or `variable "<name>"` for a default
    value: str = field(repr=False)
    line: int = 0
    source_line: str = field(default="", repr=False)  # as written (holds the value)

    @property
    def evidence(self) -> str:
        """The line with the value masked."""
        return self.source_line.replace(self.value, mask_secret(self.value)).strip()


def literal_credentials(parsed: ParsedSource) -> list[LiteralCredential]:
    """Every credential argument of the file set to a plain (non-placeholder) string."""
    if _CREDENTIAL_HINT.search(parsed.source) is None:
        return []
    found: list[LiteralCredential] = []
    rows = parsed.source.decode("utf-8", "replace").splitlines()
    stack = [parsed.root]
    while stack:
        node = stack.pop()
        if node.type == "attribute":
            credential = _credential(node, parsed, rows)
            if credential is not None:
                found.append(credential)
            continue
        stack.extend(node.named_children)
    return sorted(found, key=lambda c: c.line)


def credential_hits(parsed: ParsedSource) -> list[Hit]:
    """`hardcoded-credential` hits with the value masked in the detail and in the evidence
    (which replaces the raw line in the finding)."""
    hits: list[Hit] = []
    for credential in literal_credentials(parsed):
        if _reported_by_secrets_reviewer(credential.source_line):
            continue
        detail = f"{credential.name} is set to a literal ({mask_secret(credential.value)})"
        line = credential.line
        hits.append(
            Hit(
                "hardcoded-credential",
                line,
                line,
                _CONFIDENCE,
                detail,
                evidence=credential.evidence,
            )
        )
    return hits


def _credential(attribute: Node, parsed: ParsedSource, rows: list[str]) -> LiteralCredential | None:
    children = attribute.named_children
    if len(children) != 2:
        return None
    name = text(children[0])
    if name == "default":
        variable = _variable_name(attribute)
        if variable is None or not _CREDENTIAL_NAME.search(variable.lower()):
            return None
        label = f'variable "{variable}"'
    elif _CREDENTIAL_NAME.search(name.lower()):
        label = name
    else:
        return None
    value = _plain_string(children[1])
    if value is None or len(value) < _MIN_LENGTH or is_placeholder(value):
        return None
    row = attribute.start_point[0]
    written = rows[row] if row < len(rows) else ""
    return LiteralCredential(label, value, parsed.line_of(attribute), written)


def _plain_string(expression: Node) -> str | None:
    """The text of `"..."` without interpolation; None for any other expression."""
    literal = expression.named_children[0] if expression.named_children else None
    if literal is None or literal.type != "literal_value" or not literal.named_children:
        return None
    string = literal.named_children[0]
    if string.type != "string_lit":
        return None
    return "".join(text(c) for c in string.named_children if c.type == "template_literal")


def _variable_name(attribute: Node) -> str | None:
    """`variable "db_password" { default = ... }` -> db_password."""
    body = attribute.parent
    block = body.parent if body is not None else None
    if block is None or block.type != "block" or text(block.named_children[0]) != "variable":
        return None
    labels = [c for c in block.named_children if c.type == "string_lit"]
    return text(labels[0]).strip('"') if labels else None


def _reported_by_secrets_reviewer(line: str) -> bool:
    """The secrets reviewer's own test (token formats, secret-ish assignments) for a line."""
    if may_contain_token(line) and any(f.pattern.search(line) for f in TOKEN_FORMATS):
        return True
    if not may_contain_secret_assignment(line):
        return False
    return any(
        assignment_secret_strength(m.group("name"), m.group("value")) > 0
        for m in SECRET_ASSIGNMENT.finditer(line)
    )
