"""Terraform: open admin/database ports, public buckets, unencrypted storage, IAM wildcards."""

from tests.analysis.security.review import review, rule_lines

SG = [
    'resource "aws_security_group" "db" {',
    '  name = "db"',
    "  ingress {",
    "    from_port   = 5432",
    "    to_port     = 5432",
    '    protocol    = "tcp"',
    '    cidr_blocks = ["0.0.0.0/0"]',
    "  }",
    "  ingress {",
    "    from_port   = 443",
    "    to_port     = 443",
    '    protocol    = "tcp"',
    '    cidr_blocks = ["0.0.0.0/0"]',
    "  }",
    "}",
]


def test_database_port_open_to_the_internet_but_not_https(build):
    assert rule_lines(review(build, "infra/sg.tf", SG)) == [("public-network-exposure", 7)]


def test_private_cidr_is_quiet(build):
    after = [line.replace("0.0.0.0/0", "10.0.0.0/8") for line in SG]
    assert rule_lines(review(build, "infra/sg.tf", after)) == []


def test_buckets_and_encryption(build):
    after = [
        'resource "aws_s3_bucket" "logs" {',
        '  bucket = "logs"',
        '  acl    = "public-read"',
        "}",
        'resource "aws_ebs_volume" "data" {',
        "  size      = 10",
        "  encrypted = false",
        "}",
        'resource "aws_db_instance" "main" {',
        '  engine = "postgres"',
        "}",
        'resource "aws_db_instance" "ok" {',
        '  engine            = "postgres"',
        "  storage_encrypted = true",
        "}",
    ]
    assert rule_lines(review(build, "infra/storage.tf", after)) == [
        ("public-network-exposure", 3),
        ("unencrypted-storage", 7),
        ("unencrypted-storage", 9),
    ]


def test_iam_wildcards(build):
    after = [
        'resource "aws_iam_policy" "admin" {',
        "  policy = jsonencode({",
        "    Statement = [{",
        '      Effect   = "Allow"',
        '      Action   = "*"',
        '      Resource = "*"',
        "    }]",
        "  })",
        "}",
        'resource "aws_iam_policy" "reader" {',
        "  policy = jsonencode({",
        '    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"],',
        '                   Resource = "arn:aws:s3:::b/*" }]',
        "  })",
        "}",
    ]
    assert rule_lines(review(build, "infra/iam.tf", after)) == [("iam-wildcard", 5)]


def test_patch_only_terraform(build):
    findings = review(build, "infra/sg.tf", SG, content=False)
    assert rule_lines(findings) == [("public-network-exposure", 7)]
