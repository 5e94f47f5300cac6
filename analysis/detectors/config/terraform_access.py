"""Terraform: managed databases and cluster control planes reachable from the whole internet.

- Cloud SQL with a public IPv4 address (`ipv4_enabled`, true unless set false) whose
  `authorized_networks` admit 0.0.0.0/0;
- Azure database / cache firewall rules (`azurerm_*_firewall_rule`) spanning more addresses
  than a /8 (0.0.0.0 - 255.255.255.255 is the whole internet; 0.0.0.0 - 0.0.0.0 is Azure's
  "allow Azure services" switch and stays quiet);
- Kubernetes API servers open to 0.0.0.0/0: GKE `master_authorized_networks_config`, EKS
  `public_access_cidrs` (unless the public endpoint is off), AKS authorised IP ranges;
- AWS databases given a public endpoint (`publicly_accessible = true`).
"""

from __future__ import annotations

import ipaddress
import re

from tree_sitter import Node

from analysis.detectors.config.hcl_nodes import (
    blocks_within,
    nested_blocks,
    own_attributes,
    scalar,
    strings,
    value,
)
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import ParsedSource

_ANYWHERE = frozenset({"0.0.0.0/0", "::/0"})
_FIREWALL_RULE = re.compile(r"^azurerm_\w+_firewall_rule$")
_WIDE_RANGE = 2**24  # more addresses than a /8 is not a list of known clients
_PUBLIC_DATABASES = (
    "aws_db_instance",
    "aws_rds_cluster_instance",
    "aws_redshift_cluster",
    "aws_dms_replication_instance",
)


def scan_access(parsed: ParsedSource, block: Node, kind: str) -> list[Hit]:
    if kind == "google_sql_database_instance":
        return _cloud_sql(parsed, block)
    if _FIREWALL_RULE.match(kind):
        return _firewall_range(parsed, block)
    if kind == "google_container_cluster":
        found = [
            cidr
            for config in blocks_within(block, "master_authorized_networks_config")
            for network in nested_blocks(config, "cidr_blocks")
            for cidr in [own_attributes(network).get("cidr_block")]
            if _open(cidr)
        ]
        return [_hit(parsed, at, "GKE control plane authorises 0.0.0.0/0") for at in found]
    if kind == "aws_eks_cluster":
        return _eks(parsed, block)
    if kind == "azurerm_kubernetes_cluster":
        return _aks(parsed, block)
    if kind in _PUBLIC_DATABASES:
        flag = own_attributes(block).get("publicly_accessible")
        if scalar(flag) == "true" and flag is not None:
            line = parsed.line_of(flag)
            detail = f"{kind} has a public endpoint (publicly_accessible = true)"
            return [Hit("public-network-exposure", line, line, 0.7, detail)]
    return []


def _open(attribute: Node | None) -> bool:
    return attribute is not None and any(s.strip() in _ANYWHERE for s in strings(attribute))


def _hit(parsed: ParsedSource, at: Node, detail: str, confidence: float = 0.85) -> Hit:
    line = parsed.line_of(at)
    return Hit("public-network-exposure", line, line, confidence, detail)


def _cloud_sql(parsed: ParsedSource, block: Node) -> list[Hit]:
    hits = []
    for config in blocks_within(block, "ip_configuration"):
        if scalar(own_attributes(config).get("ipv4_enabled")) == "false":
            continue  # private IP only: authorised networks do not apply
        for network in nested_blocks(config, "authorized_networks"):
            cidr = own_attributes(network).get("value")
            if _open(cidr) and cidr is not None:
                hits.append(_hit(parsed, cidr, "Cloud SQL public IP authorises 0.0.0.0/0"))
    return hits


def _firewall_range(parsed: ParsedSource, block: Node) -> list[Hit]:
    own = own_attributes(block)
    start = own.get("start_ip_address") or own.get("start_ip")
    end = own.get("end_ip_address") or own.get("end_ip")
    if start is None or end is None:
        return []
    try:
        low = ipaddress.IPv4Address(value(start).strip('"'))
        high = ipaddress.IPv4Address(value(end).strip('"'))
    except ValueError:  # a variable or a reference: not judged
        return []
    size = int(high) - int(low) + 1
    if size <= _WIDE_RANGE:
        return []
    first, last = sorted((parsed.line_of(start), parsed.line_of(end)))
    detail = f"firewall rule admits {low} - {high} ({size:,} addresses)"
    return [Hit("public-network-exposure", first, last, 0.85, detail)]


def _eks(parsed: ParsedSource, block: Node) -> list[Hit]:
    hits = []
    for config in nested_blocks(block, "vpc_config"):
        own = own_attributes(config)
        if scalar(own.get("endpoint_public_access")) == "false":
            continue
        cidrs = own.get("public_access_cidrs")
        if _open(cidrs) and cidrs is not None:
            hits.append(_hit(parsed, cidrs, "EKS public API endpoint open to 0.0.0.0/0"))
    return hits


def _aks(parsed: ParsedSource, block: Node) -> list[Hit]:
    ranges = [own_attributes(block).get("api_server_authorized_ip_ranges")]
    ranges += [
        own_attributes(profile).get("authorized_ip_ranges")
        for profile in nested_blocks(block, "api_server_access_profile")
    ]
    return [
        _hit(parsed, at, "AKS API server authorises 0.0.0.0/0")
        for at in ranges
        if at is not None and _open(at)
    ]
