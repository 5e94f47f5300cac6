"""Debounced analytics: one dbt build per tenant whose landing changed, one at a time."""

import json

import dagster as dg

from orchestration.defs.analytics.assets import analytics_job
from orchestration.defs.partitions import ANALYTICS_TENANT_TAG, tenant_partitions
from orchestration.defs.resources import WardenResource
from orchestration.defs.review.sensors import _tenants_in_flight
from orchestration.pipeline.analytics_plan import landing_watermark


@dg.sensor(
    job=analytics_job, minimum_interval_seconds=20, default_status=dg.DefaultSensorStatus.RUNNING
)
def analytics_sensor(
    context: dg.SensorEvaluationContext, warden: WardenResource
) -> dg.SensorResult:
    runtime = warden.runtime()
    cursor: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    known = set(context.instance.get_dynamic_partitions(tenant_partitions.name or "tenants"))
    busy = _tenants_in_flight(context.instance, analytics_job.name, ANALYTICS_TENANT_TAG)
    requests = []
    for tenant in runtime.control_plane.list_tenants():
        if tenant.tenant_id not in known or tenant.tenant_id in busy:
            continue
        mark = landing_watermark(runtime.scope(tenant.tenant_id))
        if mark == "0:0" or cursor.get(tenant.tenant_id) == mark:
            continue
        cursor[tenant.tenant_id] = mark
        requests.append(
            dg.RunRequest(
                run_key=f"analytics:{tenant.tenant_id}:{mark}",
                partition_key=tenant.tenant_id,
                tags={ANALYTICS_TENANT_TAG: tenant.tenant_id},
            )
        )
    if not requests:
        return dg.SensorResult(skip_reason="no landing changes", cursor=json.dumps(cursor))
    return dg.SensorResult(run_requests=requests, cursor=json.dumps(cursor))
