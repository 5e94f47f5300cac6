"""Terraform for GCP and Azure: firewall / NSG rules opening admin and database ports to the
internet, and storage made public (nested blob access, public containers, allUsers)."""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.config.hcl_nodes import nested_blocks, own_attributes, strings, value
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import ParsedSource

_SENSITIVE_PORTS = (22, 23, 3389, 3306, 5432, 1433, 1521, 27017, 6379, 9200, 5601, 11211, 2375)
_GCP_ANYWHERE = re.compile(r'"(?:0\.0\.0\.0/0|::/0)"')
_AZURE_ANYWHERE = re.compile(r'^"(?:\*|Internet|0\.0\.0\.0/0|Any|::/0)"$', re.IGNORECASE)
_PUBLIC_MEMBERS = re.compile(r'"(?:allUsers|allAuthenticatedUsers)"')


def scan_cloud_block(parsed: ParsedSource, block: Node, kind: str) -> list[Hit]:
    if kind == "google_compute_firewall":
        return _gcp_firewall(parsed, block)
    if kind in ("azurerm_network_security_rule", "azurerm_network_security_group"):
        return _azure_rules(parsed, block)
    return _public_storage(parsed, block, kind)


def _exposed(ports: list[str]) -> list[int] | None:
    """Sensitive ports inside these port specs ("22", "3000-3400"); None for every port."""
    if not ports or "*" in ports:
        return None
    exposed: list[int] = []
    for spec in ports:
        low, _, high = spec.partition("-")
        if not low.strip().isdigit():
            continue
        top = int(high) if high.strip().isdigit() else int(low)
        exposed.extend(p for p in _SENSITIVE_PORTS if int(low) <= p <= top)
    return exposed


def _hit(parsed: ParsedSource, at: Node, ports: list[int] | None, origin: str) -> Hit:
    line = parsed.line_of(at)
    what = (
        "every port"
        if ports is None
        else f"port {ports[0]}"
        if len(ports) == 1
        else ("ports " + ", ".join(str(p) for p in ports))
    )
    return Hit("public-network-exposure", line, line, 0.85, f"{what} open to {origin}")


def _gcp_firewall(parsed: ParsedSource, block: Node) -> list[Hit]:
    own = own_attributes(block)
    if value(own.get("direction")).strip('"').upper() == "EGRESS":
        return []
    sources = own.get("source_ranges")
    if sources is None or not _GCP_ANYWHERE.search(value(sources)):
        return []
    for allow in nested_blocks(block, "allow"):
        rule = own_attributes(allow)
        protocol = value(rule.get("protocol")).strip('"').lower()
        if protocol not in ("tcp", "udp", "all", "sctp"):
            continue
        ports = None if protocol == "all" else _exposed(strings(rule.get("ports")))
        if ports is None or ports:
            return [_hit(parsed, sources, ports, "0.0.0.0/0")]
    return []


def _azure_rules(parsed: ParsedSource, block: Node) -> list[Hit]:
    hits = []
    for rule_block in nested_blocks(block, "security_rule") or [block]:
        rule = own_attributes(rule_block)
        if value(rule.get("direction")).strip('"').lower() != "inbound":
            continue
        if value(rule.get("access")).strip('"').lower() != "allow":
            continue
        origin = rule.get("source_address_prefix")
        if origin is None or not _AZURE_ANYWHERE.match(value(origin)):
            listed = rule.get("source_address_prefixes")
            if listed is None or not any(_AZURE_ANYWHERE.match(f'"{s}"') for s in strings(listed)):
                continue
            origin = listed
        ports = strings(rule.get("destination_port_range")) + strings(
            rule.get("destination_port_ranges")
        )
        exposed = _exposed(ports)
        if exposed is None or exposed:
            hits.append(_hit(parsed, origin, exposed, "the internet"))
    return hits


def _public_storage(parsed: ParsedSource, block: Node, kind: str) -> list[Hit]:
    own = own_attributes(block)
    found: list[tuple[Node, str]] = []
    if kind == "azurerm_storage_account":
        for name in ("allow_nested_items_to_be_public", "allow_blob_public_access"):
            if value(own.get(name)) == "true":
                found.append((own[name], f"{name} = true"))
    if kind == "azurerm_storage_container":
        access = own.get("container_access_type")
        if value(access) in ('"blob"', '"container"'):
            found.append((access, f"container_access_type = {value(access)}"))
    if kind.startswith("google_storage_bucket_iam"):
        for name in ("member", "members"):
            if _PUBLIC_MEMBERS.search(value(own.get(name))):
                found.append((own[name], "bucket readable by allUsers"))
    return [
        Hit("public-network-exposure", parsed.line_of(at), parsed.line_of(at), 0.85, detail)
        for at, detail in found
    ]
