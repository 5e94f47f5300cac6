"""Kubernetes manifests: privileged / escalating / host namespaces, root users."""

from tests.analysis.security.review import review, rule_lines

POD = [
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    "  name: api",
    "spec:",
    "  hostNetwork: true",
    "  containers:",
    "    - name: api",
    "      image: api:1",
    "      securityContext:",
    "        privileged: true",
    "        allowPrivilegeEscalation: true",
    "        runAsUser: 0",
    "  volumes:",
    "    - name: docker",
    "      hostPath:",
    "        path: /var/run/docker.sock",
]


def test_every_risky_setting_is_reported_on_its_line(build):
    assert rule_lines(review(build, "k8s/pod.yaml", POD)) == [
        ("container-runs-as-root", 13),
        ("privileged-container", 6),
        ("privileged-container", 11),
        ("privileged-container", 12),
        ("privileged-container", 16),
    ]


def test_manifest_outside_a_k8s_folder_is_recognised_by_content(build):
    findings = review(build, "services/api/pod.yml", POD[:11])
    assert ("privileged-container", 11) in rule_lines(findings)


def test_hardened_pod_is_quiet(build):
    after = [
        *POD[:5],
        "  hostNetwork: false",
        *POD[6:10],
        "        privileged: false",
        "        allowPrivilegeEscalation: false",
        "        runAsNonRoot: true",
        "        runAsUser: 10001",
    ]
    assert rule_lines(review(build, "k8s/pod.yaml", after)) == []


def test_plain_yaml_is_not_a_manifest(build):
    assert rule_lines(review(build, "config/app.yaml", ["privileged: true", "debug: false"])) == []


def test_helm_templates_fall_back_to_lines(build):
    after = [
        *POD[:5],
        *POD[6:9],
        "      securityContext:",
        "        privileged: {{ .Values.priv }}",
        "        hostPID: true",
    ]
    findings = review(build, "charts/api/templates/pod.yaml", after)
    assert rule_lines(findings) == [("privileged-container", 11)]
