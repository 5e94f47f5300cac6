"""Inbox sensor (one run per tenant with pending deliveries) and delivery bookkeeping."""

import dagster as dg

from orchestration.defs.partitions import REVIEW_TENANT_TAG, tenant_partitions
from orchestration.defs.resources import WardenResource
from orchestration.defs.review.jobs import review_job
from orchestration.pipeline.inbox_plan import plan_inbox_runs

IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def _tenants_in_flight(instance: dg.DagsterInstance, job_name: str, tag: str) -> set[str]:
    runs = instance.get_runs(filters=dg.RunsFilter(job_name=job_name, statuses=IN_FLIGHT))
    return {run.tags[tag] for run in runs if tag in run.tags}


def _run_seqs(run: dg.DagsterRun) -> tuple[str | None, list[int]]:
    """The tenant and the inbox sequence numbers a review run was asked to process."""
    ops = (run.run_config or {}).get("ops", {})
    seqs = ops.get("pull_request_events", {}).get("config", {}).get("seqs", [])
    return run.tags.get(REVIEW_TENANT_TAG), [int(s) for s in seqs]


def settle_succeeded_runs(instance: dg.DagsterInstance, control_plane, limit: int = 50) -> int:  # type: ignore[no-untyped-def]
    """Mark the deliveries of recently succeeded review runs processed (idempotent).

    The run-status sensor does this as soon as it ticks; doing it again here, before
    planning, means the inbox sensor never mistakes a succeeded-but-not-yet-settled batch
    for a failed one and re-runs it."""
    records = instance.get_run_records(
        filters=dg.RunsFilter(job_name=review_job.name, statuses=[dg.DagsterRunStatus.SUCCESS]),
        limit=limit,
    )
    changed = 0
    for record in records:
        tenant_id, seqs = _run_seqs(record.dagster_run)
        if tenant_id and seqs:
            changed += control_plane.inbox.mark_processed(tenant_id, seqs)
    return changed


@dg.sensor(
    job=review_job, minimum_interval_seconds=5, default_status=dg.DefaultSensorStatus.RUNNING
)
def inbox_sensor(context: dg.SensorEvaluationContext, warden: WardenResource) -> dg.SensorResult:
    """One review run per tenant with pending deliveries; run key = tenant + highest seq."""
    control_plane = warden.runtime().control_plane
    settle_succeeded_runs(context.instance, control_plane)
    known = set(context.instance.get_dynamic_partitions(tenant_partitions.name or "tenants"))
    busy = _tenants_in_flight(context.instance, review_job.name, REVIEW_TENANT_TAG)
    plan = plan_inbox_runs(control_plane, known_partitions=known, busy_tenants=busy)
    requests = [
        dg.RunRequest(
            run_key=run.run_key,
            partition_key=run.tenant_id,
            run_config={"ops": {"pull_request_events": {"config": {"seqs": run.seqs}}}},
            tags={REVIEW_TENANT_TAG: run.tenant_id},
        )
        for run in plan.runs
    ]
    add = [tenant_partitions.build_add_request(plan.new_partitions)] if plan.new_partitions else []
    if not requests and not add:
        return dg.SensorResult(skip_reason="no pending deliveries")
    return dg.SensorResult(run_requests=requests, dynamic_partitions_requests=add)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[review_job],
    minimum_interval_seconds=5,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def inbox_deliveries_processed(
    context: dg.RunStatusSensorContext, warden: WardenResource
) -> dg.SkipReason | None:
    """Deliveries are marked processed only once the run that handled them succeeded."""
    run = context.dagster_run
    tenant_id, seqs = _run_seqs(run)
    if not tenant_id or not seqs:
        return dg.SkipReason("run carried no inbox deliveries")
    changed = warden.runtime().control_plane.inbox.mark_processed(tenant_id, seqs)
    context.log.info(f"{tenant_id}: {changed} deliveries marked processed by run {run.run_id}")
    return None
