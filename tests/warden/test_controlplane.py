import pytest
import sqlalchemy as sa

from warden.controlplane import connect_control_plane
from warden.controlplane.schema import audit_events
from warden.errors import AlreadyExistsError, NotFoundError


def test_migrations_are_idempotent(settings) -> None:
    first = connect_control_plane(settings.resolved_control_plane_url)
    first.create_tenant("acme", "Acme", "t")
    second = connect_control_plane(settings.resolved_control_plane_url)
    assert [t.tenant_id for t in second.list_tenants()] == ["acme"]
    with second.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_state_changes_are_audited_with_an_intact_chain(control_plane) -> None:
    control_plane.create_tenant("acme", "Acme", "alice")
    control_plane.add_integration(
        "acme",
        name="github",
        kind="scm",
        provider="github",
        config={},
        credential_ref="env:TOKEN",
        webhook_secret_ref="env:SECRET",
        actor="alice",
    )
    control_plane.enable_repository("acme", "github", "platform/api", {"max_comments": 3}, "bob")
    actions = [(e.actor, e.action) for e in control_plane.audit_log("acme")]
    assert actions == [
        ("alice", "tenant.created"),
        ("alice", "integration.added"),
        ("bob", "repository.enabled"),
    ]
    assert control_plane.verify_audit_chain() == 3


def test_tampering_with_the_audit_log_is_detected(control_plane) -> None:
    control_plane.create_tenant("acme", "Acme", "alice")
    control_plane.create_tenant("globex", "Globex", "alice")
    with control_plane.engine.begin() as conn:
        conn.execute(audit_events.update().where(audit_events.c.seq == 1).values(actor="mallory"))
    with pytest.raises(ValueError, match="seq 1"):
        control_plane.verify_audit_chain()


def test_credentials_must_be_references(control_plane) -> None:
    control_plane.create_tenant("acme", "Acme", "t")
    with pytest.raises(ValueError, match="reference"):
        control_plane.add_integration(
            "acme",
            name="gh",
            kind="scm",
            provider="github",
            config={},
            credential_ref="ghp_realTokenPastedHere123",
            webhook_secret_ref=None,
            actor="t",
        )
    with control_plane.engine.connect() as conn:
        dump = "\n".join(str(r) for r in conn.execute(sa.text("select * from integrations")))
    assert "ghp_" not in dump


def test_duplicate_and_unknown_entities_give_clear_errors(control_plane) -> None:
    control_plane.create_tenant("acme", "Acme", "t")
    with pytest.raises(AlreadyExistsError):
        control_plane.create_tenant("acme", "Acme", "t")
    with pytest.raises(NotFoundError):
        control_plane.get_integration("acme", "nope")
    with pytest.raises(NotFoundError):
        control_plane.get_tenant("globex")


def _tenant_with_github(cp, tenant: str) -> int:
    cp.create_tenant(tenant, tenant, "t")
    return cp.add_integration(
        tenant,
        name="github",
        kind="scm",
        provider="github",
        config={},
        credential_ref=None,
        webhook_secret_ref="env:S",
        actor="t",
    ).integration_id


def test_inbox_dedupes_per_tenant_and_quarantines_with_reason(control_plane) -> None:
    acme = _tenant_with_github(control_plane, "acme")
    globex = _tenant_with_github(control_plane, "globex")
    record = control_plane.inbox.record
    seq, created = record(
        tenant_id="acme",
        integration_id=acme,
        provider="github",
        delivery_id="d-1",
        event="pull_request",
        action="opened",
        payload=b"{}",
    )
    again, created_again = record(
        tenant_id="acme",
        integration_id=acme,
        provider="github",
        delivery_id="d-1",
        event="pull_request",
        action="opened",
        payload=b"{}",
    )
    other, other_created = record(
        tenant_id="globex",
        integration_id=globex,
        provider="github",
        delivery_id="d-1",
        event="pull_request",
        action="opened",
        payload=b"{}",
    )
    assert (created, created_again, other_created) == (True, False, True)
    assert again == seq and other != seq
    assert control_plane.inbox.pending_by_tenant() == {"acme": seq, "globex": other}

    control_plane.inbox.quarantine("acme", seq, "missing pull_request.head", "pipeline")
    quarantined = control_plane.inbox.list("acme", "quarantined")
    assert [(d.seq, d.last_error) for d in quarantined] == [(seq, "missing pull_request.head")]
    # a tenant can never touch another tenant's delivery
    with pytest.raises(NotFoundError):
        control_plane.inbox.replay("globex", seq, "mallory")
    assert control_plane.inbox.mark_processed("globex", [seq]) == 0
    replayed = control_plane.inbox.replay("acme", seq, "alice")
    assert replayed.status == "pending"
    assert control_plane.inbox.mark_processed("acme", [seq]) == 1
    assert control_plane.inbox.pending("acme") == []


def test_membership_decides_visible_tenants(control_plane) -> None:
    control_plane.create_tenant("acme", "Acme", "t")
    control_plane.create_tenant("globex", "Globex", "t")
    control_plane.add_member("acme", "Ana@Example.com", "analyst", "t")
    assert control_plane.tenants_for_user("ana@example.com") == ["acme"]
    assert control_plane.tenants_for_user("eve@example.com") == []
