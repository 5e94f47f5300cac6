"""Kubernetes manifests: privileged or escalating containers, host namespaces and paths, and
containers forced to run as root."""

from __future__ import annotations

import re
from collections.abc import Collection

from yaml.nodes import MappingNode

from analysis.detectors.config.host_paths import host_path_risk, read_only_volumes, volume_names
from analysis.detectors.config.k8s_services import exposed_service_hits
from analysis.detectors.config.source import ConfigText
from analysis.detectors.config.yaml_nodes import compose_documents, get, pairs, scalar
from analysis.detectors.security_catalog import Hit

_TRUE_FLAGS = {
    "privileged": ("privileged-container", 0.9),
    "allowPrivilegeEscalation": ("privileged-container", 0.8),
    "hostNetwork": ("privileged-container", 0.8),
    "hostPID": ("privileged-container", 0.8),
    "hostIPC": ("privileged-container", 0.8),
}
_LINE_FLAG = re.compile(
    r"^\s*-?\s*(privileged|allowPrivilegeEscalation|hostNetwork|hostPID|hostIPC)\s*:\s*true\b"
)
_LINE_ROOT = re.compile(r"^\s*-?\s*(?:runAsUser\s*:\s*0|runAsNonRoot\s*:\s*false)\s*$")


def looks_like_kubernetes(text: str) -> bool:
    return bool(re.search(r"(?m)^apiVersion\s*:", text) and re.search(r"(?m)^kind\s*:", text))


def scan_kubernetes(source: ConfigText, added: Collection[int] | None = None) -> list[Hit]:
    documents = compose_documents(source.text)
    if documents is None:
        return _line_scan(source)
    hits: list[Hit] = []
    for document in documents:
        if not isinstance(document, MappingNode) or get(document, "kind") is None:
            continue
        hits.extend(exposed_service_hits(document, source, added))
        read_only, names = read_only_volumes(document), volume_names(document)
        for _path, key, value in pairs(document):
            name, text = key.value, scalar(value)
            line = source.line(key.start_mark.line)
            if name in _TRUE_FLAGS and text == "true":
                rule, confidence = _TRUE_FLAGS[name]
                hits.append(Hit(rule, line, line, confidence, f"{name}: true"))
            elif name == "hostPath" and isinstance(value, MappingNode):
                risk = host_path_risk(value, names.get(id(value)) in read_only)
                if risk is not None:
                    hits.append(Hit("privileged-container", line, line, risk[0], risk[1]))
            elif (name == "runAsUser" and text == "0") or (
                name == "runAsNonRoot" and text == "false"
            ):
                hits.append(Hit("container-runs-as-root", line, line, 0.85, f"{name}: {text}"))
    return hits


def _line_scan(source: ConfigText) -> list[Hit]:
    """Templated manifests (Helm) do not parse: read the flags line by line."""
    hits: list[Hit] = []
    for row, raw in enumerate(source.text.splitlines()):
        line = source.line(row)
        flag = _LINE_FLAG.match(raw)
        if flag:
            rule, confidence = _TRUE_FLAGS[flag.group(1)]
            hits.append(Hit(rule, line, line, confidence * 0.9, f"{flag.group(1)}: true"))
        elif _LINE_ROOT.match(raw):
            hits.append(Hit("container-runs-as-root", line, line, 0.75, raw.strip()))
    return hits
