"""Terraform settings that let clients or services talk in cleartext (CWE-319).

Each setting is one the provider documents as switching TLS off or making it optional:
Azure storage accounts accepting HTTP (`enable_https_traffic_only` before azurerm 4,
`https_traffic_only_enabled` from 4.0), App Service / Function apps with `https_only = false`
or `ftps_state = "AllAllowed"`, the Redis non-TLS port, Azure Database servers without SSL
enforcement, Cloud SQL accepting unencrypted connections, OpenSearch without enforced HTTPS,
ElastiCache / MSK without in-transit encryption, CloudFront viewers allowed plain HTTP, and
AWS load-balancer listeners serving HTTP.

Only values written in the change are judged: a provider default is not reported. An HTTP
listener stays quiet when its default action redirects to HTTPS or only returns a fixed
response, and when its load balancer (in the same file) is internal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from analysis.detectors.config.hcl_nodes import (
    nested_blocks,
    own_attributes,
    scalar,
    value,
)
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import ParsedSource, text

_WEB_APPS = (
    "azurerm_app_service",
    "azurerm_linux_web_app",
    "azurerm_windows_web_app",
    "azurerm_function_app",
    "azurerm_linux_function_app",
    "azurerm_windows_function_app",
    "azurerm_app_service_slot",
    "azurerm_linux_web_app_slot",
    "azurerm_windows_web_app_slot",
)


@dataclass(frozen=True)
class _Setting:
    kinds: tuple[str, ...]  # resource types the setting belongs to
    names: tuple[str, ...]  # attribute names (renamed across provider versions)
    cleartext: frozenset[str]  # lower-cased values that allow cleartext
    detail: str


_SETTINGS = (
    _Setting(
        ("azurerm_storage_account",),
        ("enable_https_traffic_only", "https_traffic_only_enabled"),
        frozenset({"false"}),
        "storage account accepts plain HTTP",
    ),
    _Setting(_WEB_APPS, ("https_only",), frozenset({"false"}), "app served over plain HTTP"),
    _Setting(
        _WEB_APPS, ("ftps_state",), frozenset({"allallowed"}), "deployments allowed over plain FTP"
    ),
    _Setting(
        ("azurerm_redis_cache",),
        ("enable_non_ssl_port", "non_ssl_port_enabled"),
        frozenset({"true"}),
        "Redis non-TLS port 6379 opened",
    ),
    _Setting(
        ("azurerm_postgresql_server", "azurerm_mysql_server", "azurerm_mariadb_server"),
        ("ssl_enforcement_enabled", "ssl_enforcement"),
        frozenset({"false", "disabled"}),
        "database server accepts connections without TLS",
    ),
    _Setting(
        ("google_sql_database_instance",),
        ("ssl_mode",),
        frozenset({"allow_unencrypted_and_encrypted"}),
        "Cloud SQL accepts unencrypted connections",
    ),
    _Setting(
        ("aws_elasticsearch_domain", "aws_opensearch_domain"),
        ("enforce_https",),
        frozenset({"false"}),
        "search domain endpoint accepts plain HTTP",
    ),
    _Setting(
        ("aws_elasticache_replication_group", "aws_elasticache_cluster"),
        ("transit_encryption_enabled",),
        frozenset({"false"}),
        "cache traffic is not encrypted in transit",
    ),
    _Setting(
        ("aws_msk_cluster",),
        ("client_broker",),
        frozenset({"plaintext", "tls_plaintext"}),
        "Kafka clients may connect in plaintext",
    ),
    _Setting(
        ("aws_msk_cluster",),
        ("in_cluster",),
        frozenset({"false"}),
        "Kafka brokers talk to each other in plaintext",
    ),
    _Setting(
        ("aws_cloudfront_distribution",),
        ("viewer_protocol_policy",),
        frozenset({"allow-all"}),
        "viewers may use plain HTTP",
    ),
)
_LISTENERS = ("aws_lb_listener", "aws_alb_listener")
_LOAD_BALANCERS = ("aws_lb", "aws_alb", "aws_elb")
_LB_REFERENCE = re.compile(r"\baws_(?:lb|alb)\.([\w-]+)\.")


def scan_transport(parsed: ParsedSource, blocks: list[tuple[Node, list[str]]]) -> list[Hit]:
    """Cleartext settings in these resource blocks (`(block, labels)` pairs of one file)."""
    internal = _internal_load_balancers(blocks)
    hits: list[Hit] = []
    for block, labels in blocks:
        kind = labels[0]
        hits.extend(_settings(parsed, block, kind))
        if kind in _LISTENERS:
            hits.extend(_http_listener(parsed, block, internal))
        elif kind == "aws_elb" and not (len(labels) > 1 and labels[1] in internal):
            hits.extend(_classic_listeners(parsed, block))
    return hits


def _settings(parsed: ParsedSource, block: Node, kind: str) -> list[Hit]:
    hits = []
    for setting in _SETTINGS:
        if kind not in setting.kinds:
            continue
        for attribute in _attributes_named(block, setting.names):
            if scalar(attribute) in setting.cleartext:
                line = parsed.line_of(attribute)
                name = text(attribute.named_children[0])
                detail = f"{name} = {value(attribute)}: {setting.detail}"
                hits.append(Hit("cleartext-transport", line, line, 0.85, detail))
    return hits


def _attributes_named(block: Node, names: tuple[str, ...]) -> list[Node]:
    """Attributes with one of these names in the block or any of its nested blocks."""
    found: list[Node] = []
    stack = [block]
    while stack:
        node = stack.pop()
        if node.type == "attribute" and text(node.named_children[0]) in names:
            found.append(node)
        elif node.type in ("block", "body", "config_file"):
            stack.extend(node.named_children)
    return found


def _internal_load_balancers(blocks: list[tuple[Node, list[str]]]) -> set[str]:
    return {
        labels[1]
        for block, labels in blocks
        if labels[0] in _LOAD_BALANCERS
        and len(labels) > 1
        and scalar(own_attributes(block).get("internal")) == "true"
    }


def _http_listener(parsed: ParsedSource, block: Node, internal: set[str]) -> list[Hit]:
    own = own_attributes(block)
    protocol = own.get("protocol")
    if scalar(protocol) != "http" or protocol is None:
        return []
    balancer = _LB_REFERENCE.search(value(own.get("load_balancer_arn")))
    if balancer is not None and balancer.group(1) in internal:
        return []
    actions = nested_blocks(block, "default_action")
    if actions and not any(_serves_content(action) for action in actions):
        return []
    line = parsed.line_of(protocol)
    detail = 'listener protocol = "HTTP" forwards traffic unencrypted (redirect to HTTPS)'
    return [Hit("cleartext-transport", line, line, 0.75, detail)]


def _serves_content(action: Node) -> bool:
    """A default action that answers with the application (not a redirect or fixed text)."""
    return scalar(own_attributes(action).get("type")) not in ("redirect", "fixed-response")


def _classic_listeners(parsed: ParsedSource, block: Node) -> list[Hit]:
    hits = []
    for listener in nested_blocks(block, "listener"):
        protocol = own_attributes(listener).get("lb_protocol")
        if scalar(protocol) == "http" and protocol is not None:
            line = parsed.line_of(protocol)
            detail = 'classic ELB listener lb_protocol = "http" serves traffic unencrypted'
            hits.append(Hit("cleartext-transport", line, line, 0.75, detail))
    return hits
