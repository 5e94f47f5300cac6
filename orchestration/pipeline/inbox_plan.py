"""Pure planning of review runs from the inbox: which tenant, which deliveries, which run key."""

from __future__ import annotations

from dataclasses import dataclass, field

from warden.controlplane import ControlPlane

#: a delivery whose runs failed this many times is quarantined instead of retried forever
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class PlannedRun:
    tenant_id: str
    seqs: list[int]
    run_key: str


@dataclass
class InboxPlan:
    runs: list[PlannedRun] = field(default_factory=list)
    new_partitions: list[str] = field(default_factory=list)


def run_key_for(tenant_id: str, max_seq: int, attempt: int) -> str:
    """tenant + highest seq; the attempt number lets a failed batch be retried."""
    return f"{tenant_id}:{max_seq}" if attempt == 0 else f"{tenant_id}:{max_seq}:retry{attempt}"


def plan_inbox_runs(
    control_plane: ControlPlane,
    *,
    known_partitions: set[str],
    busy_tenants: set[str],
    actor: str = "inbox-sensor",
) -> InboxPlan:
    plan = InboxPlan()
    active = {t.tenant_id for t in control_plane.list_tenants()}
    for tenant_id, max_seq in sorted(control_plane.inbox.pending_by_tenant().items()):
        if tenant_id not in active:
            continue
        if tenant_id not in known_partitions:
            plan.new_partitions.append(tenant_id)
        if tenant_id in busy_tenants:
            continue  # one review run at a time per tenant; the next tick batches the rest
        pending = control_plane.inbox.pending(tenant_id, up_to_seq=max_seq)
        exhausted = [d for d in pending if d.attempts >= MAX_ATTEMPTS]
        for delivery in exhausted:
            control_plane.inbox.quarantine(
                tenant_id,
                delivery.seq,
                f"review runs failed {delivery.attempts} times; replay after fixing the cause",
                actor,
            )
        retry = [d for d in pending if d.attempts < MAX_ATTEMPTS]
        if not retry:
            continue
        attempt = max(d.attempts for d in retry)
        plan.runs.append(
            PlannedRun(
                tenant_id=tenant_id,
                seqs=[d.seq for d in retry],
                run_key=run_key_for(tenant_id, max_seq, attempt),
            )
        )
    return plan
