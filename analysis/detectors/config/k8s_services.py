"""Kubernetes Services that publish a database or admin port outside the cluster: `type:
LoadBalancer` / `NodePort` with no source-range restriction and no internal-LB annotation."""

from __future__ import annotations

from collections.abc import Collection

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from analysis.detectors.config.source import ConfigText
from analysis.detectors.config.yaml_nodes import get, scalar
from analysis.detectors.security_catalog import Hit

SENSITIVE_PORTS = {
    5432: "PostgreSQL", 3306: "MySQL", 1433: "SQL Server", 27017: "MongoDB", 6379: "Redis",
    9200: "Elasticsearch", 5601: "Kibana", 22: "SSH", 3389: "RDP", 2379: "etcd",
    11211: "memcached",
}  # fmt: skip
_EXTERNAL_TYPES = {"LoadBalancer": 0.8, "NodePort": 0.7}
_OPEN_RANGES = frozenset({"0.0.0.0/0", "::/0"})
_SOURCE_RANGE_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"
# annotation -> the values that make the load balancer internal (None: any value but "false")
_INTERNAL_ANNOTATIONS: dict[str, frozenset[str] | None] = {
    "networking.gke.io/load-balancer-type": frozenset({"internal"}),
    "cloud.google.com/load-balancer-type": frozenset({"internal"}),
    "service.beta.kubernetes.io/aws-load-balancer-internal": None,
    "service.beta.kubernetes.io/aws-load-balancer-scheme": frozenset({"internal"}),
    "service.beta.kubernetes.io/azure-load-balancer-internal": frozenset({"true"}),
    "service.beta.kubernetes.io/oci-load-balancer-internal": frozenset({"true"}),
    "service.beta.kubernetes.io/openstack-internal-load-balancer": frozenset({"true"}),
}


def exposed_service_hits(
    document: MappingNode, source: ConfigText, added: Collection[int] | None
) -> list[Hit]:
    """One hit on an added `0.0.0.0/0` source range, else on each added sensitive port line,
    else on an added `type:` line (`added` None: every line counts as added)."""
    if scalar(get(document, "kind")) != "Service":
        return []
    spec = get(document, "spec")
    type_node = get(spec, "type") if isinstance(spec, MappingNode) else None
    service_type = scalar(type_node)
    if service_type not in _EXTERNAL_TYPES or not isinstance(type_node, ScalarNode):
        return []
    if _restricted(spec) or _internal(get(document, "metadata")):
        return []
    exposed = _sensitive_ports(spec)
    if not exposed:
        return []
    confidence = _EXTERNAL_TYPES[service_type]
    names = ", ".join(detail for _node, detail in exposed)
    opened = _open_range(spec)
    if opened is not None:
        line = source.line(opened.start_mark.line)
        if added is None or line in added:
            return [_hit(line, confidence, f"{service_type} open to {opened.value}: {names}")]
    hits: list[Hit] = []
    for node, detail in exposed:
        line = source.line(node.start_mark.line)
        if added is None or line in added:
            hits.append(_hit(line, confidence, f"{detail} via {service_type}"))
    type_line = source.line(type_node.start_mark.line)
    if not hits and (added is None or type_line in added):
        hits.append(_hit(type_line, confidence, f"{service_type} publishes {names}"))
    return hits


def _hit(line: int, confidence: float, detail: str) -> Hit:
    return Hit("public-network-exposure", line, line, confidence, detail)


def _sensitive_ports(spec: Node) -> list[tuple[ScalarNode, str]]:
    """(key node, description) for each listed port whose `port` or `targetPort` is sensitive."""
    ports = get(spec, "ports")
    found: list[tuple[ScalarNode, str]] = []
    for entry in ports.value if isinstance(ports, SequenceNode) else []:
        for field in ("port", "targetPort"):
            key = _key(entry, field)
            raw = scalar(get(entry, field))
            if key is not None and raw is not None and raw.isdigit():
                number = int(raw)
                if number in SENSITIVE_PORTS:
                    found.append((key, f"{SENSITIVE_PORTS[number]} port {number}"))
                    break
    return found


def _key(node: Node, name: str) -> ScalarNode | None:
    if isinstance(node, MappingNode):
        for key, _value in node.value:
            if isinstance(key, ScalarNode) and key.value == name:
                return key
    return None


def _restricted(spec: Node) -> bool:
    """Source ranges listed, none of them the whole internet."""
    ranges = get(spec, "loadBalancerSourceRanges")
    items = ranges.value if isinstance(ranges, SequenceNode) else []
    values = [scalar(item) or "" for item in items]
    return bool(values) and not any(v.strip() in _OPEN_RANGES for v in values)


def _open_range(spec: Node) -> ScalarNode | None:
    """The `loadBalancerSourceRanges` entry that admits the whole internet, if any."""
    ranges = get(spec, "loadBalancerSourceRanges")
    items = ranges.value if isinstance(ranges, SequenceNode) else []
    return next(
        (i for i in items if isinstance(i, ScalarNode) and i.value.strip() in _OPEN_RANGES), None
    )


def _internal(metadata: Node | None) -> bool:
    annotations = get(metadata, "annotations") if metadata is not None else None
    if not isinstance(annotations, MappingNode):
        return False
    ranges = scalar(get(annotations, _SOURCE_RANGE_ANNOTATION))
    if ranges and not any(part.strip() in _OPEN_RANGES for part in ranges.split(",")):
        return True
    for name, internal_values in _INTERNAL_ANNOTATIONS.items():
        value = scalar(get(annotations, name))
        if value is None:
            continue
        value = value.strip().lower()
        if internal_values is None and value != "false":
            return True
        if internal_values is not None and value in internal_values:
            return True
    return False
