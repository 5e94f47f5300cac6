"""Analytics path: per-tenant dbt build over landing, then the serving snapshot."""

import json
import os
from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.dbt_paths import ensure_manifest
from orchestration.defs.partitions import tenant_partitions
from orchestration.defs.resources import WardenResource
from orchestration.pipeline.analytics_plan import dbt_build_env, dbt_build_vars
from warden.serving import publish_serving_snapshot


class WardenDbtTranslator(DagsterDbtTranslator):
    """dbt models join the `analytics` group; dbt sources stay `landing/<entity>` assets."""

    def get_asset_spec(self, manifest: Any, unique_id: str, project: Any) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if unique_id.startswith("source."):
            return spec
        return spec.replace_attributes(group_name="analytics")


@dbt_assets(
    manifest=ensure_manifest(),
    partitions_def=tenant_partitions,
    dagster_dbt_translator=WardenDbtTranslator(),
    pool="warehouse",
)
def warden_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warden: WardenResource
) -> Iterator[Any]:
    """`dbt build` (models and tests) into this tenant's own DuckDB warehouse."""
    scope = warden.runtime().scope(context.partition_key)
    # each run executes in its own process, so this env is the build's alone
    os.environ.update(dbt_build_env(scope))
    args = ["build", "--vars", json.dumps(dbt_build_vars(scope))]
    yield from dbt.cli(args, context=context).stream()


@dg.asset(
    partitions_def=tenant_partitions,
    deps=[warden_dbt_models],
    group_name="analytics",
    kinds={"duckdb"},
)
def serving_snapshot(context: dg.AssetExecutionContext, warden: WardenResource) -> None:
    """Publishes the tenant's read-only serving copy (atomic replace) after a passing build."""
    scope = warden.runtime().scope(context.partition_key)
    path = publish_serving_snapshot(scope)
    context.add_output_metadata({"path": str(path), "bytes": path.stat().st_size})


analytics_job = dg.define_asset_job(
    "analytics_job",
    selection=dg.AssetSelection.assets(warden_dbt_models, serving_snapshot),
    executor_def=dg.in_process_executor,
    description="dbt build for one tenant, then publish its serving snapshot.",
)
