"""Terraform (HCL via tree-sitter): internet-open admin/database ports, public buckets,
unencrypted storage and wildcard IAM policies; cloud specifics in terraform_clouds (GCP/Azure
firewalls, public storage), terraform_access (databases and control planes open to the
internet), terraform_transport (settings allowing cleartext traffic) and
terraform_credentials (credentials written as literals)."""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.config.terraform_access import scan_access
from analysis.detectors.config.terraform_clouds import scan_cloud_block
from analysis.detectors.config.terraform_credentials import credential_hits
from analysis.detectors.config.terraform_transport import scan_transport
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import ParsedSource, text

_ANYWHERE = re.compile(r'"(?:0\.0\.0\.0/0|::/0)"')
_SENSITIVE_PORTS = (22, 23, 3389, 3306, 5432, 1433, 1521, 27017, 6379, 9200, 5601, 11211, 2375)
_PUBLIC_ACL = re.compile(r'^"(?:public-read|public-read-write|authenticated-read)"$')
_BLOCK_FLAGS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)
_ACTION_ALL = re.compile(r"""(?i)["']?actions?["']?\s*[=:]\s*\[?\s*["']\*["']""")
_ACTION_SERVICE = re.compile(r"""(?i)["']?actions?["']?\s*[=:]\s*\[?\s*["'][a-z0-9-]+:\*["']""")
_RESOURCE_ALL = re.compile(r"""(?i)["']?resources?["']?\s*[=:]\s*\[?\s*["']\*["']""")
_DENY = re.compile(r"""(?i)effect["']?\s*[=:]\s*["']Deny""")


def scan_terraform(parsed: ParsedSource) -> list[Hit]:
    hits: list[Hit] = []
    resources = [(block, labels) for block in _blocks(parsed.root) if (labels := _labels(block))]
    for block, labels in resources:
        kind = labels[0]
        attributes = _attributes(block)
        hits.extend(_network(parsed, block, kind, attributes))
        hits.extend(_storage(parsed, block, kind, attributes))
        hits.extend(_iam(parsed, block))
        hits.extend(scan_cloud_block(parsed, block, kind))
        hits.extend(scan_access(parsed, block, kind))
    hits.extend(scan_transport(parsed, resources))
    hits.extend(credential_hits(parsed))
    return hits


def _blocks(root: Node) -> list[Node]:
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if node.type == "block" and text(node.named_children[0]) in ("resource", "data"):
            found.append(node)
        else:
            stack.extend(node.named_children)
    return found


def _labels(block: Node) -> list[str]:
    return [text(c).strip('"') for c in block.named_children[1:] if c.type == "string_lit"]


def _attributes(block: Node) -> dict[str, list[Node]]:
    """name -> attribute nodes anywhere inside the block (nested blocks included)."""
    found: dict[str, list[Node]] = {}
    stack = [block]
    while stack:
        node = stack.pop()
        if node.type == "attribute":
            found.setdefault(text(node.named_children[0]), []).append(node)
        stack.extend(node.named_children)
    return found


def _value(attribute: Node) -> str:
    return text(attribute.named_children[-1]).strip()


def _network(
    parsed: ParsedSource, block: Node, kind: str, attributes: dict[str, list[Node]]
) -> list[Hit]:
    if not kind.startswith(("aws_security_group", "aws_vpc_security_group_ingress_rule")):
        return []
    hits = []
    for container in _rule_scopes(block):
        scope = _attributes(container)
        if kind == "aws_security_group_rule" and '"ingress"' not in [
            _value(a) for a in scope.get("type", [])
        ]:
            continue
        cidrs = [
            a
            for name in ("cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6")
            for a in scope.get(name, [])
        ]
        open_cidrs = [a for a in cidrs if _ANYWHERE.search(_value(a))]
        if not open_cidrs:
            continue
        low, high = _port(scope, "from_port", 0), _port(scope, "to_port", 65535)
        protocol = _value(scope["protocol"][0]) if "protocol" in scope else '""'
        exposed = [p for p in _SENSITIVE_PORTS if low <= p <= high]
        if protocol in ('"-1"', '"all"', "-1") or exposed:
            ports = f"port {exposed[0]}" if exposed and len(exposed) == 1 else f"ports {low}-{high}"
            line = parsed.line_of(open_cidrs[0])
            hits.append(
                Hit("public-network-exposure", line, line, 0.85, f"{ports} open to 0.0.0.0/0")
            )
    return hits


def _rule_scopes(block: Node) -> list[Node]:
    """`ingress { ... }` sub-blocks of a security group, or the block itself for rule resources."""
    body = next((c for c in block.named_children if c.type == "body"), None)
    nested = [
        c for c in (body.named_children if body is not None else [])
        if c.type == "block" and text(c.named_children[0]) == "ingress"
    ]  # fmt: skip
    return nested or [block]


def _port(scope: dict[str, list[Node]], name: str, default: int) -> int:
    values = scope.get(name)
    if not values:
        return default
    raw = _value(values[0])
    return int(raw) if raw.isdigit() else default


def _storage(
    parsed: ParsedSource, block: Node, kind: str, attributes: dict[str, list[Node]]
) -> list[Hit]:
    hits = []
    for acl in attributes.get("acl", []):
        if kind in ("aws_s3_bucket", "aws_s3_bucket_acl") and _PUBLIC_ACL.match(_value(acl)):
            line = parsed.line_of(acl)
            hits.append(
                Hit("public-network-exposure", line, line, 0.85, f"bucket acl = {_value(acl)}")
            )
    if kind == "aws_s3_bucket_public_access_block":
        for flag in _BLOCK_FLAGS:
            for attribute in attributes.get(flag, []):
                if _value(attribute) == "false":
                    line = parsed.line_of(attribute)
                    hits.append(Hit("public-network-exposure", line, line, 0.75, f"{flag} = false"))
    for name in ("encrypted", "storage_encrypted"):
        for attribute in attributes.get(name, []):
            if _value(attribute) == "false":
                line = parsed.line_of(attribute)
                hits.append(Hit("unencrypted-storage", line, line, 0.85, f"{name} = false"))
    restored = any(_value(a) for a in attributes.get("snapshot_identifier", []))
    database = kind in ("aws_db_instance", "aws_rds_cluster")
    # a snapshot restore inherits the snapshot's encryption setting
    if database and "storage_encrypted" not in attributes and not restored:
        start, end = parsed.line_of(block), parsed.end_line_of(block)
        hits.append(
            Hit("unencrypted-storage", start, end, 0.7, f"{kind} without storage_encrypted")
        )
    return hits


def _iam(parsed: ParsedSource, block: Node) -> list[Hit]:
    """Wildcard actions in policy JSON/jsonencode/policy documents, reported per line."""
    raw = text(block)
    if not re.search(r"(?i)actions?", raw) or (
        _DENY.search(raw) and not re.search(r"(?i)Allow", raw)
    ):
        return []
    hits = []
    resource_all = bool(_RESOURCE_ALL.search(raw))
    for offset, line_text in enumerate(raw.splitlines()):
        line = parsed.line_at_row(block.start_point[0] + offset)
        if _ACTION_ALL.search(line_text):
            hits.append(Hit("iam-wildcard", line, line, 0.9, 'Action "*" allows every action'))
        elif _ACTION_SERVICE.search(line_text) and resource_all:
            hits.append(
                Hit("iam-wildcard", line, line, 0.75, 'service-wide action on Resource "*"')
            )
    return hits
