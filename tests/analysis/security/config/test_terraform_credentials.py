"""Terraform: credential arguments (resources, providers, modules, locals, tfvars) and
credential-named variable defaults set to literals; references, generated passwords, key
vault lookups, templates, flags, lengths and placeholders stay quiet. The value is masked in
everything reported, and a credential the secrets reviewer already reports is not reported
twice."""

import pytest

from analysis.detectors.config.terraform_credentials import literal_credentials
from analysis.detectors.secrets import SecretsReviewer
from analysis.detectors.security_rules import SecurityRulesReviewer
from analysis.detectors.treesitter.parsers import ParsedSource, parse


def _parsed(lines: list[str]) -> ParsedSource:
    data = ("\n".join(lines) + "\n").encode()
    return ParsedSource(parse("hcl", data), data, None)


def _sql_server(password: str) -> list[str]:
    return [
        'resource "azurerm_mssql_server" "reporting" {',
        '  name                          = "acme-reporting-sql"',
        '  administrator_login           = "reportadmin"',
        f"  administrator_login_password  = {password}",
        '  minimum_tls_version           = "1.2"',
        "}",
    ]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (_sql_server('"W9v!tQ3#kLz7pR2mXe"'), [("administrator_login_password", 4)]),
        (['provider "aws" {', '  region     = "eu-west-1"', '  access_key = "minio-root"',
          '  secret_key = "s3cr3t; rotated"', "}"], [("access_key", 3), ("secret_key", 4)]),
        (['module "db" {', '  source = "./modules/rds"', '  master_password = "Pa55 w0rd!"',
          "}"], [("master_password", 3)]),
        (["locals {", '  api_token = "tok#9f8e7d6c5b"', "}"], [("api_token", 2)]),
        (['client_secret = "q~8Q#x1"'], [("client_secret", 1)]),  # a .tfvars assignment
        (['variable "db_admin_password" {', "  type      = string", "  sensitive = true",
          '  default   = "Winter2026#"', "}"], [('variable "db_admin_password"', 4)]),
        (['resource "azurerm_windows_virtual_machine" "jump" {', "  os_profile {",
          '    admin_password = "Adm1n#Jump"', "  }", "}"], [("admin_password", 3)]),
    ],
)  # fmt: skip
def test_literal_credentials(code, expected):
    found = literal_credentials(_parsed(code))
    assert [(c.name, c.line) for c in found] == expected
    for credential in found:
        assert credential.value not in credential.evidence
        assert credential.evidence.startswith(code[credential.line - 1].split("=")[0].strip())
        assert "*" in credential.evidence


@pytest.mark.parametrize(
    "code",
    [
        _sql_server("var.sql_admin_password"),
        _sql_server("random_password.sql_admin.result"),
        _sql_server("data.azurerm_key_vault_secret.sql_admin.value"),
        _sql_server('"${var.prefix}-${random_string.suffix.result}"'),
        _sql_server('sensitive(file("${path.module}/admin.secret"))'),
        _sql_server('"changeme"'),
        _sql_server('"<sql-admin-password>"'),
        _sql_server('""'),
        ['resource "aws_db_instance" "main" {', "  manage_master_user_password = true",
         "  password_length = 24", '  secret_name = "prod/db/admin"', "}"],
        ['variable "db_password" {', "  type      = string", "  sensitive = true", "}"],
        ['variable "region" {', '  default = "eu-west-1"', "}"],
        ['resource "azurerm_key_vault_secret" "x" {', '  name  = "sql-admin"',
         '  key_vault_id = azurerm_key_vault.main.id', "}"],
    ],
)  # fmt: skip
def test_references_and_placeholders_are_not_literals(code):
    assert literal_credentials(_parsed(code)) == []


def _all_findings(build, path: str, code: list[str]):
    context = build.context([build.file(path, code)])
    return SecretsReviewer().review(context, []) + SecurityRulesReviewer().review(context, [])


@pytest.mark.parametrize("value", ["W9v!tQ3#kLz7pR2mXe", "Sup3rS3cretPw"])
def test_nothing_reported_shows_the_value(build, value):
    findings = _all_findings(build, "infra/sql.tf", _sql_server(f'"{value}"'))
    for finding in findings:
        shown = " ".join((finding.message, finding.evidence, finding.evidence_source))
        assert value not in shown


def test_one_finding_per_credential(build):
    """A literal the secrets reviewer reports is not reported again as hardcoded-credential."""
    findings = _all_findings(build, "infra/sql.tf", _sql_server('"Sup3rS3cretPw"'))
    assert [(f.rule_id, f.start_line) for f in findings] == [("secret-hardcoded-assignment", 4)]
