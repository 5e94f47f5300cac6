"""Kubernetes hostPath volumes: runtime sockets and sensitive host directories are reported,
read-only mounts of log directories (a log shipper) are not."""

import pytest

from tests.analysis.security.review import review, rule_lines


def _pod(host_path: str, read_only: bool | None) -> list[str]:
    mount = ["      volumeMounts:", "        - name: host", "          mountPath: /host"]
    if read_only is not None:
        mount.append(f"          readOnly: {'true' if read_only else 'false'}")
    return [
        "apiVersion: v1",
        "kind: Pod",
        "metadata:",
        "  name: agent",
        "spec:",
        "  containers:",
        "    - name: agent",
        "      image: agent:1",
        *mount,
        "  volumes:",
        "    - hostPath:",  # the source before the name: the pairing must not rely on order
        f"        path: {host_path}",
        "      name: host",
    ]


@pytest.mark.parametrize(
    ("host_path", "read_only"),
    [
        ("/var/run/docker.sock", True),
        ("/run/containerd/containerd.sock", None),
        ("/", True),
        ("/etc", True),
        ("/etc/kubernetes/pki", True),
        ("/var/lib/kubelet", False),
        ("/proc", None),
        ("/root/", True),
    ],
)
def test_sensitive_host_paths_are_reported(build, host_path, read_only):
    manifest = _pod(host_path, read_only)
    line = manifest.index("    - hostPath:") + 1
    assert rule_lines(review(build, "k8s/agent.yaml", manifest)) == [("privileged-container", line)]


@pytest.mark.parametrize(
    ("host_path", "read_only"),
    [("/var/log", True), ("/var/log/pods", True), ("/proc", True), ("/data/cache", None),
     ("/mnt/scratch", False)],
)  # fmt: skip
def test_ordinary_or_read_only_host_paths_are_quiet(build, host_path, read_only):
    assert rule_lines(review(build, "k8s/agent.yaml", _pod(host_path, read_only))) == []
