from pathlib import Path

import pytest

from warden.errors import InvalidTenantError
from warden.tenancy import TenantScope, validate_tenant_slug


@pytest.mark.parametrize("slug", ["acme", "globex-eu", "a1", "0x-corp"])
def test_valid_slugs_are_accepted(slug: str) -> None:
    assert validate_tenant_slug(slug) == slug


@pytest.mark.parametrize(
    "slug", ["", "a", "Acme", "../etc", "acme/../globex", "-acme", "acme_", "a" * 41, "acme\n"]
)
def test_invalid_slugs_are_refused(slug: str) -> None:
    with pytest.raises(InvalidTenantError):
        validate_tenant_slug(slug)


def test_scope_refuses_a_path_as_tenant(tmp_path: Path) -> None:
    with pytest.raises(InvalidTenantError):
        TenantScope(tenant_id="../globex", tenants_root=tmp_path)


def test_two_tenants_never_share_a_path(tmp_path: Path) -> None:
    acme = TenantScope.for_tenant(tmp_path, "acme")
    globex = TenantScope.for_tenant(tmp_path, "globex")
    paths = lambda s: {s.landing_dir, s.warehouse_path, s.serving_path, s.quarantine_dir}  # noqa: E731
    assert not paths(acme) & paths(globex)
    for path in paths(acme):
        assert path.is_relative_to(tmp_path.resolve() / "acme")


def test_landing_entity_names_are_validated(tmp_path: Path) -> None:
    scope = TenantScope.for_tenant(tmp_path, "acme")
    with pytest.raises(ValueError):
        scope.landing_entity_dir("../../globex/landing")


def test_serving_connection_is_read_only(tmp_path: Path) -> None:
    import duckdb

    scope = TenantScope.for_tenant(tmp_path, "acme")
    scope.ensure_dirs()
    with pytest.raises(FileNotFoundError):
        scope.connect_serving()
    con = duckdb.connect(str(scope.serving_path))
    con.sql("create table t as select 1 as x")
    con.close()
    ro = scope.connect_serving()
    try:
        with pytest.raises(duckdb.Error):
            ro.sql("insert into t values (2)")
    finally:
        ro.close()
