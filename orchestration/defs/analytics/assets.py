"""Analytics path: per-tenant dbt build over landing, then the serving snapshot."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets
from warden.serving import publish_serving_snapshot

from orchestration.dbt_paths import ensure_manifest
from orchestration.defs.partitions import tenant_partitions
from orchestration.defs.resources import WardenResource
from orchestration.pipeline.analytics_plan import dbt_build_env, dbt_build_vars

#: landing entity (dbt source table) -> the review-path asset that writes it
LANDING_PRODUCERS = {
    "pull_requests": "pull_request_events",
    "pull_request_revisions": "pull_request_events",
    "changed_files": "changed_files",
    "tickets": "tickets",
    "documents": "documents",
    "pr_ticket_links": "pr_ticket_links",
    "review_runs": "pr_reviews",
    "findings": "pr_reviews",
    "posted_comments": "review_comments",
}


class WardenDbtTranslator(DagsterDbtTranslator):
    """dbt sources map onto the review-path assets that land them (lineage end to end)."""

    def get_asset_spec(self, manifest: Any, unique_id: str, project: Any) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest["sources"].get(unique_id) if unique_id.startswith("source.") else None
        if node is not None and node["name"] in LANDING_PRODUCERS:
            return spec.replace_attributes(key=dg.AssetKey(LANDING_PRODUCERS[node["name"]]))
        return spec.replace_attributes(group_name="analytics")


@dbt_assets(manifest=ensure_manifest(), partitions_def=tenant_partitions,
            dagster_dbt_translator=WardenDbtTranslator(), pool="warehouse")
def warden_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource,
                      warden: WardenResource) -> Iterator[Any]:
    """`dbt build` (models and tests) into this tenant's own DuckDB warehouse."""
    scope = warden.runtime().scope(context.partition_key)
    # each run executes in its own process, so this env is the build's alone
    os.environ.update(dbt_build_env(scope))
    args = ["build", "--vars", json.dumps(dbt_build_vars(scope))]
    yield from dbt.cli(args, context=context).stream()


@dg.asset(partitions_def=tenant_partitions, deps=[warden_dbt_models], group_name="analytics",
          kinds={"duckdb"})
def serving_snapshot(context: dg.AssetExecutionContext, warden: WardenResource) -> None:
    """Publishes the tenant's read-only serving copy (atomic replace) after a passing build."""
    scope = warden.runtime().scope(context.partition_key)
    path = publish_serving_snapshot(scope)
    context.add_output_metadata({"path": str(path), "bytes": path.stat().st_size})


analytics_job = dg.define_asset_job(
    "analytics_job",
    selection=dg.AssetSelection.assets(warden_dbt_models, serving_snapshot),
    partitions_def=tenant_partitions,
    description="dbt build for one tenant, then publish its serving snapshot.",
)
