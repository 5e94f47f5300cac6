"""Terraform for GCP and Azure: admin/database ports open to the internet and public storage;
web ports, narrow source ranges and private storage stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines


def _gcp(ports: str, sources: str, direction: str = "") -> list[str]:
    return [
        'resource "google_compute_firewall" "rule" {',
        '  network = "default"',
        *([f'  direction = "{direction}"'] if direction else []),
        "  allow {",
        '    protocol = "tcp"',
        f"    ports    = [{ports}]",
        "  }",
        f"  source_ranges = [{sources}]",
        "}",
    ]


def _azure(port: str, source: str, access: str = "Allow") -> list[str]:
    return [
        'resource "azurerm_network_security_rule" "rule" {',
        '  direction                  = "Inbound"',
        f'  access                     = "{access}"',
        '  protocol                   = "Tcp"',
        '  source_port_range          = "*"',
        f'  destination_port_range     = "{port}"',
        f'  source_address_prefix      = "{source}"',
        '  destination_address_prefix = "*"',
        "}",
    ]


@pytest.mark.parametrize(
    ("code", "line"),
    [
        (_gcp('"22", "443"', '"0.0.0.0/0"'), 7),
        (_gcp('"3000-3400"', '"0.0.0.0/0"'), 7),
        (_azure("3389", "Internet"), 7),
        (_azure("22", "*"), 7),
        (_azure("5432", "0.0.0.0/0"), 7),
    ],
)
def test_admin_ports_open_to_the_internet(build, code, line):
    assert rule_lines(review(build, "infra/network.tf", code)) == [
        ("public-network-exposure", line)
    ]


@pytest.mark.parametrize(
    "code",
    [
        _gcp('"80", "443"', '"0.0.0.0/0"'),
        _gcp('"22"', '"35.235.240.0/20"'),
        _gcp('"22"', '"0.0.0.0/0"', direction="EGRESS"),
        _azure("443", "*"),
        _azure("22", "VirtualNetwork"),
        _azure("3389", "Internet", access="Deny"),
    ],
)
def test_web_ports_and_narrow_sources_are_quiet(build, code):
    assert rule_lines(review(build, "infra/network.tf", code)) == []


def test_inline_nsg_rules_are_judged_one_by_one(build):
    def rule(name: str, port: str) -> list[str]:
        return [
            "  security_rule {",
            f'    name                   = "{name}"',
            '    direction              = "Inbound"',
            '    access                 = "Allow"',
            '    protocol               = "Tcp"',
            f'    destination_port_range = "{port}"',
            '    source_address_prefix  = "*"',
            "  }",
        ]

    code = ['resource "azurerm_network_security_group" "nsg" {', *rule("https", "443"),
            *rule("ssh", "22"), "}"]  # fmt: skip
    assert rule_lines(review(build, "infra/nsg.tf", code)) == [("public-network-exposure", 16)]


@pytest.mark.parametrize(
    ("kind", "setting", "flagged"),
    [
        ("azurerm_storage_account", "allow_nested_items_to_be_public = true", True),
        ("azurerm_storage_account", "allow_nested_items_to_be_public = false", False),
        ("azurerm_storage_container", 'container_access_type = "blob"', True),
        ("azurerm_storage_container", 'container_access_type = "private"', False),
        ("google_storage_bucket_iam_member", 'member = "allUsers"', True),
        ("google_storage_bucket_iam_member", 'member = "group:eng@example.com"', False),
    ],
)
def test_public_storage(build, kind, setting, flagged):
    code = [f'resource "{kind}" "data" {{', '  name = "data"', f"  {setting}", "}"]
    expected = [("public-network-exposure", 3)] if flagged else []
    assert rule_lines(review(build, "infra/storage.tf", code)) == expected
