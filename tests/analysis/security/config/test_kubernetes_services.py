"""Kubernetes Services publishing database / admin ports to the internet."""

import pytest

from tests.analysis.security.review import review, rule_lines

PATH = "k8s/postgres-service.yaml"


def service(kind="LoadBalancer", port=5432, annotations=(), spec_extra=()):
    meta = ["  annotations:", *annotations] if annotations else []
    return [
        "apiVersion: v1",
        "kind: Service",
        "metadata:",
        "  name: postgres",
        *meta,
        "spec:",
        f"  type: {kind}",
        "  selector:",
        "    app: postgres",
        *spec_extra,
        "  ports:",
        "    - name: db",
        f"      port: {port}",
        "      targetPort: 5432",
    ]


def port_line(lines):
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith("port:"))


def type_line(lines):
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith("type:"))


@pytest.mark.parametrize("kind", ["LoadBalancer", "NodePort"])
def test_new_public_database_service_is_reported_on_the_port(build, kind):
    lines = service(kind)
    assert rule_lines(review(build, PATH, lines)) == [("public-network-exposure", port_line(lines))]


@pytest.mark.parametrize("port", [3306, 27017, 6379, 9200, 22, 3389, 2379, 11211])
def test_each_sensitive_port_counts(build, port):
    lines = service(port=port)
    assert rule_lines(review(build, PATH, lines)) == [("public-network-exposure", port_line(lines))]


def test_target_port_alone_counts(build):
    lines = [*service(port=443)[:-1], "      targetPort: 6379"]
    assert rule_lines(review(build, PATH, lines)) == [("public-network-exposure", len(lines))]


def test_switching_an_existing_service_to_a_load_balancer_is_reported_on_type(build):
    before = service("ClusterIP")
    after = service("LoadBalancer")
    findings = review(build, PATH, after, before)
    assert rule_lines(findings) == [("public-network-exposure", type_line(after))]


def test_open_source_range_is_reported_on_the_range(build):
    ranges = ["  loadBalancerSourceRanges:", "    - 10.0.0.0/8", "    - 0.0.0.0/0"]
    lines = service(spec_extra=ranges)
    expected = [("public-network-exposure", lines.index("    - 0.0.0.0/0") + 1)]
    assert rule_lines(review(build, PATH, lines)) == expected


def test_existing_open_range_leaves_the_added_port_reported(build):
    before = service(port=8080, spec_extra=["  loadBalancerSourceRanges: ['0.0.0.0/0']"])
    after = service(port=6379, spec_extra=["  loadBalancerSourceRanges: ['0.0.0.0/0']"])
    findings = review(build, PATH, after, before)
    assert rule_lines(findings) == [("public-network-exposure", port_line(after))]


def test_gke_external_annotation_is_still_public(build):
    lines = service(annotations=['    networking.gke.io/load-balancer-type: "External"'])
    assert rule_lines(review(build, PATH, lines)) == [("public-network-exposure", port_line(lines))]


def test_second_document_in_a_stream_is_checked(build):
    deployment = ["apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: x", "---"]
    lines = [*deployment, *service()]
    assert rule_lines(review(build, PATH, lines)) == [("public-network-exposure", port_line(lines))]


NEAR_MISSES = {
    "cluster ip": service("ClusterIP"),
    "no type": [line for line in service() if "type:" not in line],
    "web port": [*service(port=443)[:-1], "      targetPort: 8443"],
    "named target port": [*service(port=8080)[:-1], "      targetPort: http"],
    "restricted ranges": service(
        spec_extra=["  loadBalancerSourceRanges:", "    - 10.0.0.0/8", "    - 203.0.113.4/32"]
    ),
    "gke internal": service(annotations=['    networking.gke.io/load-balancer-type: "Internal"']),
    "aws internal": service(
        annotations=['    service.beta.kubernetes.io/aws-load-balancer-internal: "true"']
    ),
    "azure internal": service(
        annotations=['    service.beta.kubernetes.io/azure-load-balancer-internal: "true"']
    ),
    "range annotation": service(
        annotations=[
            '    service.beta.kubernetes.io/load-balancer-source-ranges: "10.0.0.0/8,10.1.0.0/16"'
        ]
    ),
    "deployment container port": [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        "  name: postgres",
        "spec:",
        "  type: LoadBalancer",
        "  ports:",
        "    - port: 5432",
    ],
}


@pytest.mark.parametrize("lines", NEAR_MISSES.values(), ids=NEAR_MISSES.keys())
def test_near_miss_stays_quiet(build, lines):
    assert rule_lines(review(build, PATH, lines)) == []


def test_unchanged_public_service_is_not_reported_again(build):
    before = service()
    after = [*service()[:4], "  labels:", "    tier: data", *service()[4:]]
    assert rule_lines(review(build, PATH, after, before)) == []


def test_azure_internal_set_to_false_is_still_public(build):
    lines = service(
        annotations=['    service.beta.kubernetes.io/azure-load-balancer-internal: "false"']
    )
    assert rule_lines(review(build, PATH, lines)) == [("public-network-exposure", port_line(lines))]
