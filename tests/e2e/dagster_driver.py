"""Drive the real Dagster definitions in-process, tick by tick, like the daemon would."""

from __future__ import annotations

import os

import dagster as dg

from orchestration.definitions import defs
from orchestration.defs.analytics.sensors import analytics_sensor
from orchestration.defs.resources import WardenResource
from orchestration.defs.review.sensors import inbox_deliveries_processed, inbox_sensor
from orchestration.defs.tenants.sensors import tenant_partitions_sensor


def _apply_partition_requests(instance: dg.DagsterInstance, result: dg.SensorResult) -> None:
    for request in result.dynamic_partitions_requests or []:
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, request.partition_keys)


def sync_tenant_partitions(instance: dg.DagsterInstance) -> None:
    context = dg.build_sensor_context(instance=instance, resources={"warden": WardenResource()})
    _apply_partition_requests(instance, tenant_partitions_sensor(context))


def tick_inbox(instance: dg.DagsterInstance) -> list[dg.RunRequest]:
    """One inbox-sensor tick: returns its run requests (partitions it asked for are added)."""
    context = dg.build_sensor_context(instance=instance, resources={"warden": WardenResource()})
    result = inbox_sensor(context)
    _apply_partition_requests(instance, result)
    return list(result.run_requests or [])


def run_review(instance: dg.DagsterInstance, request: dg.RunRequest) -> dg.ExecuteInProcessResult:
    """Execute the requested review run, then the success sensor that marks deliveries done."""
    job = defs.resolve_job_def("review_job")
    result = job.execute_in_process(
        instance=instance,
        partition_key=request.partition_key,
        run_config=request.run_config,
        tags=request.tags,
    )
    assert result.success
    context = dg.build_run_status_sensor_context(
        sensor_name=inbox_deliveries_processed.name,
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_success_event(),
        resources={"warden": WardenResource()},
    )
    inbox_deliveries_processed(context)
    return result


def drain_inbox(instance: dg.DagsterInstance) -> int:
    """Tick and run until no tenant has pending deliveries; returns the number of runs."""
    runs = 0
    while requests := tick_inbox(instance):
        for request in requests:
            run_review(instance, request)
            runs += 1
    return runs


def tick_analytics(
    instance: dg.DagsterInstance, cursor: str | None = None
) -> tuple[list[dg.RunRequest], str | None]:
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"warden": WardenResource()}
    )
    result = analytics_sensor(context)
    return list(result.run_requests or []), result.cursor


def run_analytics(instance: dg.DagsterInstance, tenant_id: str) -> dg.ExecuteInProcessResult:
    """dbt build + serving snapshot for one tenant, in-process (dbt itself is a subprocess)."""
    saved = os.environ.get("WARDEN_DBT_DATABASE")
    try:
        job = defs.resolve_job_def("analytics_job")
        result = job.execute_in_process(instance=instance, partition_key=tenant_id)
    finally:
        if saved is None:
            os.environ.pop("WARDEN_DBT_DATABASE", None)
        else:
            os.environ["WARDEN_DBT_DATABASE"] = saved
    assert result.success
    return result


def run_review_partially(
    instance: dg.DagsterInstance, request: dg.RunRequest, stop_before: str
) -> dg.ExecuteInProcessResult:
    """Run the review job up to (not including) `stop_before`, then let the process "die":
    the run is reported failed, as run monitoring does for a crashed run worker."""
    job = defs.resolve_job_def("review_job")
    keys = [key for key in job.asset_layer.executable_asset_keys if key.path[-1] != stop_before]
    result = job.execute_in_process(
        instance=instance,
        partition_key=request.partition_key,
        run_config=request.run_config,
        tags=request.tags,
        asset_selection=keys,
    )
    run = instance.get_run_by_id(result.run_id)
    assert run is not None
    instance.report_run_failed(run, "simulated crash before publishing")
    return result
