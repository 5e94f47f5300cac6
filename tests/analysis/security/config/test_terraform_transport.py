"""Terraform settings that allow cleartext traffic; TLS-only settings, provider defaults,
HTTPS-redirect listeners and internal load balancers stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines


def _resource(kind: str, *settings: str) -> list[str]:
    return [f'resource "{kind}" "main" {{', '  name = "main"', *settings, "}"]


def _sql_ssl(mode: str) -> list[str]:
    return ["  settings {", "    ip_configuration {", f'      ssl_mode = "{mode}"', "    }", "  }"]


def _msk(client_broker: str) -> list[str]:
    return [
        "  encryption_info {",
        "    encryption_in_transit {",
        f'      client_broker = "{client_broker}"',
        "    }",
        "  }",
    ]


@pytest.mark.parametrize(
    ("kind", "settings", "line"),
    [
        ("azurerm_storage_account", ["  enable_https_traffic_only = false"], 3),
        ("azurerm_storage_account", ["  https_traffic_only_enabled = false"], 3),
        ("azurerm_linux_web_app", ["  https_only = false"], 3),
        ("azurerm_windows_web_app", ["  site_config {", '    ftps_state = "AllAllowed"', "  }"], 4),
        ("azurerm_redis_cache", ["  non_ssl_port_enabled = true"], 3),
        ("azurerm_redis_cache", ["  enable_non_ssl_port = true"], 3),
        ("azurerm_postgresql_server", ["  ssl_enforcement_enabled = false"], 3),
        ("google_sql_database_instance", _sql_ssl("ALLOW_UNENCRYPTED_AND_ENCRYPTED"), 5),
        (
            "aws_opensearch_domain",
            ["  domain_endpoint_options {", "    enforce_https = false", "  }"],
            4,
        ),
        ("aws_elasticache_replication_group", ["  transit_encryption_enabled = false"], 3),
        ("aws_msk_cluster", _msk("TLS_PLAINTEXT"), 5),
        (
            "aws_cloudfront_distribution",
            ["  default_cache_behavior {", '    viewer_protocol_policy = "allow-all"', "  }"],
            4,
        ),
    ],
)
def test_cleartext_settings(build, kind, settings, line):
    code = _resource(kind, *settings)
    assert rule_lines(review(build, "infra/main.tf", code)) == [("cleartext-transport", line)]


@pytest.mark.parametrize(
    ("kind", "settings"),
    [
        ("azurerm_storage_account", ["  https_traffic_only_enabled = true"]),
        ("azurerm_storage_account", ['  min_tls_version = "TLS1_2"']),  # default: HTTPS only
        ("azurerm_linux_web_app", ["  https_only = true"]),
        ("azurerm_windows_web_app", ["  site_config {", '    ftps_state = "FtpsOnly"', "  }"]),
        ("azurerm_redis_cache", ["  non_ssl_port_enabled = false"]),
        ("azurerm_postgresql_server", ["  ssl_enforcement_enabled = true"]),
        ("google_sql_database_instance", _sql_ssl("ENCRYPTED_ONLY")),
        ("aws_msk_cluster", _msk("TLS")),
        ("aws_elasticache_replication_group", ["  transit_encryption_enabled = true"]),
        ("aws_cloudfront_distribution", ['  viewer_protocol_policy = "redirect-to-https"']),
        # a setting only means something on its own resource type
        ("azurerm_key_vault", ["  https_only = false"]),
    ],
)
def test_tls_only_settings_are_quiet(build, kind, settings):
    assert rule_lines(review(build, "infra/main.tf", _resource(kind, *settings))) == []


def _listener(action: list[str], balancer: str = "aws_lb.edge.arn") -> list[str]:
    return [
        'resource "aws_lb_listener" "web" {',
        f"  load_balancer_arn = {balancer}",
        "  port              = 80",
        '  protocol          = "HTTP"',
        "  default_action {",
        *action,
        "  }",
        "}",
    ]


FORWARD = ['    type             = "forward"', "    target_group_arn = aws_lb_target_group.app.arn"]
REDIRECT = [
    '    type = "redirect"',
    "    redirect {",
    '      port        = "443"',
    '      protocol    = "HTTPS"',
    '      status_code = "HTTP_301"',
    "    }",
]


def test_http_listener_forwarding_to_the_app(build):
    code = _listener(FORWARD)
    assert rule_lines(review(build, "infra/lb.tf", code)) == [("cleartext-transport", 4)]


def test_http_listener_redirecting_to_https_is_quiet(build):
    assert rule_lines(review(build, "infra/lb.tf", _listener(REDIRECT))) == []


def test_http_listener_of_an_internal_balancer_is_quiet(build):
    internal = [
        'resource "aws_lb" "edge" {',
        "  internal           = true",
        '  load_balancer_type = "application"',
        "}",
    ]
    assert rule_lines(review(build, "infra/lb.tf", internal + _listener(FORWARD))) == []
    public = [line.replace("true", "false") for line in internal]
    assert rule_lines(review(build, "infra/lb.tf", public + _listener(FORWARD))) == [
        ("cleartext-transport", 8)
    ]


def test_classic_elb_http_listener(build):
    code = [
        'resource "aws_elb" "legacy" {',
        "  listener {",
        "    instance_port     = 8080",
        '    instance_protocol = "http"',
        "    lb_port           = 80",
        '    lb_protocol       = "http"',
        "  }",
        "  listener {",
        "    instance_port      = 8080",
        '    instance_protocol  = "http"',
        "    lb_port            = 443",
        '    lb_protocol        = "https"',
        "    ssl_certificate_id = var.cert",
        "  }",
        "}",
    ]
    assert rule_lines(review(build, "infra/elb.tf", code)) == [("cleartext-transport", 6)]


def test_unchanged_setting_is_not_reported(build):
    before = _resource("azurerm_storage_account", "  https_traffic_only_enabled = false")
    after = [*before[:-1], '  account_tier = "Standard"', "}"]
    assert rule_lines(review(build, "infra/main.tf", after, before)) == []
