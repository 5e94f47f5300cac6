"""Keeps the `tenants` dynamic partitions in step with the control plane."""

import dagster as dg

from orchestration.defs.partitions import tenant_partitions
from orchestration.defs.resources import WardenResource


@dg.sensor(minimum_interval_seconds=15, default_status=dg.DefaultSensorStatus.RUNNING)
def tenant_partitions_sensor(
    context: dg.SensorEvaluationContext, warden: WardenResource
) -> dg.SensorResult:
    active = {t.tenant_id for t in warden.runtime().control_plane.list_tenants()}
    existing = set(context.instance.get_dynamic_partitions(tenant_partitions.name or "tenants"))
    requests: list = []
    if active - existing:
        requests.append(tenant_partitions.build_add_request(sorted(active - existing)))
    if existing - active:
        requests.append(tenant_partitions.build_delete_request(sorted(existing - active)))
    if not requests:
        return dg.SensorResult(skip_reason="tenant partitions up to date")
    return dg.SensorResult(dynamic_partitions_requests=requests)
