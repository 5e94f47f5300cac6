"""Which Kubernetes hostPath volumes matter: container runtime sockets always; the host's
root, configuration, process and kubelet directories when mounted writable, and the
credential-bearing ones even read-only. A read-only `/var/log` for a log shipper is fine."""

from __future__ import annotations

import posixpath

from yaml.nodes import MappingNode, Node, SequenceNode

from analysis.detectors.config.yaml_nodes import get, pairs, scalar

_SOCKETS = ("docker.sock", "containerd.sock", "crio.sock", "dockershim.sock", "cri-dockerd.sock")
_SENSITIVE_DIRS = (
    "/etc", "/proc", "/sys", "/root", "/boot", "/dev", "/home", "/var/lib/kubelet",
    "/var/lib/docker", "/var/lib/containerd", "/var/run", "/run", "/usr", "/bin", "/sbin",
    "/lib",
)  # fmt: skip
# readable secrets: host passwords and keys, kubelet and cluster credentials
_READ_SENSITIVE = ("/etc", "/root", "/var/lib/kubelet", "/etc/kubernetes", "/home")


def read_only_volumes(document: Node) -> set[str]:
    """Volume names every container mounts with `readOnly: true`."""
    mounts: dict[str, bool] = {}
    for _path, key, value in pairs(document):
        if key.value != "volumeMounts" or not isinstance(value, SequenceNode):
            continue
        for mount in value.value:
            name = scalar(get(mount, "name"))
            if name is not None:
                read_only = scalar(get(mount, "readOnly")) == "true"
                mounts[name] = mounts.get(name, True) and read_only
    return {name for name, read_only in mounts.items() if read_only}


def volume_names(document: Node) -> dict[int, str]:
    """id of each `hostPath:` mapping -> the name of the volume it belongs to."""
    names: dict[int, str] = {}
    for _path, key, value in pairs(document):
        if key.value != "volumes" or not isinstance(value, SequenceNode):
            continue
        for volume in value.value:
            host_path, name = get(volume, "hostPath"), scalar(get(volume, "name"))
            if host_path is not None and name is not None:
                names[id(host_path)] = name
    return names


def host_path_risk(host_path: Node, read_only: bool) -> tuple[float, str] | None:
    """(confidence, detail) when this `hostPath:` mapping exposes the node, else None."""
    if not isinstance(host_path, MappingNode):
        return None
    raw = scalar(get(host_path, "path"))
    if not raw:
        return None
    path = posixpath.normpath(raw) if raw.startswith("/") else raw
    if path.endswith(_SOCKETS):
        return 0.85, f"hostPath {path}: the container runtime socket controls the node"
    if path == "/":
        return 0.8, "hostPath / mounts the node's whole filesystem"
    if read_only:
        if _under(path, _READ_SENSITIVE):
            return 0.7, f"hostPath {path} exposes host credentials (even read-only)"
        return None
    if _under(path, _SENSITIVE_DIRS):
        return 0.8, f"writable hostPath {path}"
    return None


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == root or path.startswith(root + "/") for root in roots)
