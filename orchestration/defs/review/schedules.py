"""The poll schedule: a per-tenant safety net behind webhooks."""

import dagster as dg

from orchestration.defs.resources import WardenResource
from orchestration.pipeline.poll import poll_tenant


class PollConfig(dg.Config):
    tenant_id: str


@dg.op
def poll_pull_requests(
    context: dg.OpExecutionContext, config: PollConfig, warden: WardenResource
) -> int:
    """Lists PRs updated since the cursor and records them as inbox deliveries."""
    runtime = warden.runtime()
    runtime.scope(config.tenant_id)  # validates the tenant
    created = poll_tenant(runtime.control_plane, runtime.settings, config.tenant_id)
    context.log.info(f"{config.tenant_id}: {created} new poll deliveries")
    return created


@dg.job(description="Poll every enabled repository of one tenant for PRs webhooks missed.")
def poll_job() -> None:
    poll_pull_requests()


@dg.schedule(
    job=poll_job, cron_schedule="*/15 * * * *", default_status=dg.DefaultScheduleStatus.RUNNING
)
def poll_schedule(context: dg.ScheduleEvaluationContext, warden: WardenResource):  # type: ignore[no-untyped-def]
    """One poll run per active tenant every 15 minutes."""
    tick = (
        context.scheduled_execution_time.isoformat() if context.scheduled_execution_time else "now"
    )
    for tenant in warden.runtime().control_plane.list_tenants():
        yield dg.RunRequest(
            run_key=f"poll:{tenant.tenant_id}:{tick}",
            run_config={"ops": {"poll_pull_requests": {"config": {"tenant_id": tenant.tenant_id}}}},
            tags={"warden/poll-tenant": tenant.tenant_id},
        )
