"""Terraform: databases and Kubernetes control planes open to the whole internet; private
IPs, narrow ranges and Azure's "allow Azure services" rule stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines


def _cloud_sql(cidr: str, ipv4: str = "true") -> list[str]:
    return [
        'resource "google_sql_database_instance" "orders" {',
        '  database_version = "MYSQL_8_0"',
        "  settings {",
        '    tier = "db-n1-standard-2"',
        "    ip_configuration {",
        f"      ipv4_enabled = {ipv4}",
        "      authorized_networks {",
        '        name  = "office"',
        f'        value = "{cidr}"',
        "      }",
        "    }",
        "  }",
        "}",
    ]


def test_cloud_sql_public_ip_open_to_everyone(build):
    findings = review(build, "infra/sql.tf", _cloud_sql("0.0.0.0/0"))
    assert rule_lines(findings) == [("public-network-exposure", 9)]


@pytest.mark.parametrize(
    "code",
    [_cloud_sql("198.51.100.0/24"), _cloud_sql("0.0.0.0/0", ipv4="false")],
)
def test_cloud_sql_narrow_network_or_private_ip_is_quiet(build, code):
    assert rule_lines(review(build, "infra/sql.tf", code)) == []


def _firewall(kind: str, start: str, end: str, names=("start_ip_address", "end_ip_address")):
    return [
        f'resource "{kind}" "rule" {{',
        '  name      = "clients"',
        "  server_id = azurerm_mysql_flexible_server.main.id",
        f'  {names[0]} = "{start}"',
        f'  {names[1]} = "{end}"',
        "}",
    ]


@pytest.mark.parametrize(
    "code",
    [
        _firewall("azurerm_mysql_flexible_server_firewall_rule", "0.0.0.0", "255.255.255.255"),
        _firewall("azurerm_mssql_firewall_rule", "1.0.0.0", "223.255.255.255"),
        _firewall("azurerm_redis_firewall_rule", "0.0.0.0", "255.255.255.255",
                  names=("start_ip", "end_ip")),
    ],
)  # fmt: skip
def test_database_firewall_rule_spanning_the_internet(build, code):
    assert rule_lines(review(build, "infra/db.tf", code)) == [("public-network-exposure", 4)]


@pytest.mark.parametrize(
    "code",
    [
        # 0.0.0.0 - 0.0.0.0 is Azure's "allow access to Azure services" switch
        _firewall("azurerm_postgresql_flexible_server_firewall_rule", "0.0.0.0", "0.0.0.0"),
        _firewall("azurerm_postgresql_firewall_rule", "203.0.113.0", "203.0.113.255"),
        _firewall("azurerm_mssql_firewall_rule", "0.0.0.0", "var.office_end"),
    ],
)
def test_narrow_or_symbolic_firewall_rules_are_quiet(build, code):
    assert rule_lines(review(build, "infra/db.tf", code)) == []


def test_kubernetes_control_planes(build):
    code = [
        'resource "google_container_cluster" "main" {',
        "  master_authorized_networks_config {",
        "    cidr_blocks {",
        '      cidr_block   = "0.0.0.0/0"',
        '      display_name = "all"',
        "    }",
        "  }",
        "}",
        'resource "aws_eks_cluster" "main" {',
        "  vpc_config {",
        "    endpoint_public_access = true",
        '    public_access_cidrs    = ["0.0.0.0/0"]',
        "  }",
        "}",
        'resource "aws_eks_cluster" "private" {',
        "  vpc_config {",
        "    endpoint_public_access = false",
        '    public_access_cidrs    = ["0.0.0.0/0"]',
        "  }",
        "}",
        'resource "azurerm_kubernetes_cluster" "main" {',
        "  api_server_access_profile {",
        '    authorized_ip_ranges = ["198.51.100.0/24"]',
        "  }",
        "}",
    ]
    assert rule_lines(review(build, "infra/k8s.tf", code)) == [
        ("public-network-exposure", 4),
        ("public-network-exposure", 12),
    ]


def test_aws_database_with_a_public_endpoint(build):
    code = [
        'resource "aws_db_instance" "reports" {',
        '  engine              = "postgres"',
        "  storage_encrypted   = true",
        "  publicly_accessible = true",
        "}",
        'resource "aws_db_instance" "orders" {',
        '  engine              = "postgres"',
        "  storage_encrypted   = true",
        "  publicly_accessible = false",
        "}",
    ]
    assert rule_lines(review(build, "infra/rds.tf", code)) == [("public-network-exposure", 4)]
