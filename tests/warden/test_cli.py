"""The core `warden` commands on a real control plane and real files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from warden.cli import cli
from warden.controlplane import connect_control_plane
from warden.tenancy import TenantScope


@pytest.fixture
def run(tmp_path: Path):
    data = tmp_path / "data"

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(
            cli, ["--data-dir", str(data), "--actor", "tester", *args], input=input
        )

    invoke.data = data  # type: ignore[attr-defined]
    return invoke


def test_tenant_lifecycle_is_audited_and_delete_leaves_a_tombstone(run) -> None:
    assert run("tenant", "create", "acme").exit_code == 0
    assert run("tenant", "create", "globex").exit_code == 0
    assert (
        run(
            "integration",
            "add",
            "--tenant",
            "acme",
            "--name",
            "github",
            "--kind",
            "scm",
            "--provider",
            "github",
            "--set",
            "base_url=https://ghe.example/api/v3",
            "--credential-ref",
            "env:ACME_TOKEN",
        ).exit_code
        == 0
    )
    assert (
        run(
            "repo",
            "enable",
            "--tenant",
            "acme",
            "--integration",
            "github",
            "--repo",
            "platform/api",
        ).exit_code
        == 0
    )
    acme = TenantScope.for_tenant(run.data / "tenants", "acme")
    assert acme.landing_dir.exists()

    refused = run("tenant", "delete", "acme")
    assert refused.exit_code == 2 and "--yes" in refused.output
    deleted = run("tenant", "delete", "acme", "--yes")
    assert deleted.exit_code == 0, deleted.output
    assert not acme.root.exists()
    assert TenantScope.for_tenant(run.data / "tenants", "globex").root.exists()

    listed = run("tenant", "list").output
    assert "globex" in listed and "acme" not in listed
    audit = run("audit", "list", "--tenant", "acme").output
    assert "tenant.deleted" in audit and "repository.enabled" in audit
    assert "intact" in run("audit", "verify").output
    cp = connect_control_plane(f"sqlite:///{(run.data / 'control-plane.sqlite').resolve()}")
    assert cp.list_integrations("acme") == [] and cp.list_repositories("acme") == []
    # the id stays reserved
    assert run("tenant", "create", "acme").exit_code == 2


def test_sql_is_read_only_and_scoped_to_the_tenant(run) -> None:
    run("tenant", "create", "acme")
    scope = TenantScope.for_tenant(run.data / "tenants", "acme")
    con = duckdb.connect(str(scope.serving_path))
    con.sql("create table mart_pr_risk as select 'acme' as tenant_id, 1 as risk_rank")
    con.close()
    ok = run(
        "sql",
        "--tenant",
        "acme",
        "-c",
        "select tenant_id, risk_rank from mart_pr_risk",
        "--format",
        "csv",
    )
    assert ok.exit_code == 0 and ok.output.splitlines() == ["tenant_id,risk_rank", "acme,1"]
    write = run("sql", "--tenant", "acme", "-c", "delete from mart_pr_risk")
    assert write.exit_code != 0
    escape = run("sql", "--tenant", "acme", "-c", "select * from read_csv('/etc/passwd')")
    assert escape.exit_code != 0
    unknown = run("sql", "--tenant", "globex", "-c", "select 1")
    assert unknown.exit_code == 2 and "globex" in unknown.output


def test_credentials_are_refused_unless_given_as_references(run) -> None:
    run("tenant", "create", "acme")
    result = run(
        "integration",
        "add",
        "--tenant",
        "acme",
        "--name",
        "gh",
        "--kind",
        "scm",
        "--provider",
        "github",
        "--credential-ref",
        "ghp_pasted_token_value_123",
    )
    assert result.exit_code == 2
    assert "reference" in result.output and "ghp_pasted" not in result.output


def test_dismissed_finding_is_recorded(run) -> None:
    run("tenant", "create", "acme")
    result = run(
        "finding",
        "dismiss",
        "--tenant",
        "acme",
        "--pr",
        "github:PullRequest:a/b#1",
        "--fingerprint",
        "f" * 64,
        "--reason",
        "false positive: test fixture",
    )
    assert result.exit_code == 0
    cp = connect_control_plane(f"sqlite:///{(run.data / 'control-plane.sqlite').resolve()}")
    assert cp.dismissed_fingerprints("acme", "github:PullRequest:a/b#1") == {"f" * 64}


def test_an_internal_error_exits_2_with_its_trace_never_1(run, monkeypatch) -> None:
    import click

    @click.command("boom")
    def boom() -> None:
        raise RuntimeError("bug in a command")

    @click.command("usage")
    @click.argument("n", type=int)
    def usage(n: int) -> None:
        click.echo(n)

    monkeypatch.setitem(cli.commands, "boom", boom)
    monkeypatch.setitem(cli.commands, "usage", usage)
    crashed = run("boom")
    assert crashed.exit_code == 2  # 1 means "findings" to a CI gate
    assert "RuntimeError: bug in a command" in crashed.output
    assert "internal error (RuntimeError)" in crashed.output
    assert run("usage", "x").exit_code == 2  # click's own usage errors are untouched
    assert run("usage", "3").output.strip() == "3"
