"""Review path assets, partitioned by tenant: inbox -> landing -> reviews -> comments.

None of these waits for dbt: the analytics job picks the landing files up separately.
"""

import dagster as dg

from ingestion.links import extract_ticket_links
from orchestration.defs.partitions import tenant_partitions
from orchestration.defs.resources import WardenResource
from orchestration.pipeline.inbox_batch import PrEvent, collect_pr_events
from orchestration.pipeline.llm_wiring import llm_reviewers
from orchestration.pipeline.providers import tenant_providers
from orchestration.pipeline.publish_step import publish_reviews
from orchestration.pipeline.redaction import redact_raw, redact_record
from orchestration.pipeline.review_step import ReviewResult, review_events
from orchestration.pipeline.sources_sync import sync_sources
from warden.landing import LandingWriter
from warden.records import ChangedFile, PrTicketLink, PullRequestRevision, sha256_hex


class InboxBatchConfig(dg.Config):
    """The inbox deliveries (sequence numbers) this run processes; set by the inbox sensor."""

    seqs: list[int] = []


def _batch_id(context: dg.AssetExecutionContext, prefix: str) -> str:
    """Deterministic per inbox batch: a retry of the same deliveries overwrites its files."""
    config = context.run.run_config.get("ops", {}).get("pull_request_events", {})
    seqs = sorted(config.get("config", {}).get("seqs", []))
    unit = ",".join(map(str, seqs)) if seqs else context.run.run_id
    return f"{prefix}-{sha256_hex(context.partition_key, unit)[:20]}"


@dg.asset(partitions_def=tenant_partitions, group_name="review", kinds={"python", "parquet"})
def pull_request_events(
    context: dg.AssetExecutionContext, config: InboxBatchConfig, warden: WardenResource
) -> list[PrEvent]:
    """Pending webhook/poll deliveries -> canonical PRs (landed); malformed ones quarantined."""
    runtime = warden.runtime()
    scope = runtime.scope(context.partition_key)
    batch = collect_pr_events(runtime.control_plane, scope.tenant_id, config.seqs)
    if batch.all_events:
        writer = LandingWriter(scope, normaliser_version=batch.all_events[0].normaliser_version)
        batch_id = _batch_id(context, "prs")
        writer.write(
            [redact_record(e.pull_request) for e in batch.all_events],
            [redact_raw(e.raw_payload) for e in batch.all_events],
            batch_id=batch_id,
        )
        writer.write(
            [
                PullRequestRevision(
                    tenant_id=scope.tenant_id,
                    pr_key=e.pull_request.pr_key,
                    repository=e.pull_request.repository,
                    number=e.pull_request.number,
                    head_sha=e.pull_request.head_sha,
                    base_sha=e.pull_request.base_sha,
                    observed_at=e.pull_request.updated_at,
                )
                for e in batch.all_events
            ],
            batch_id=batch_id,
        )
    context.add_output_metadata(
        {
            "deliveries": len(config.seqs),
            "pull_requests": len(batch.events),
            "quarantined": len(batch.quarantined),
            "ignored": len(batch.ignored),
        }
    )
    return batch.events


@dg.asset(partitions_def=tenant_partitions, group_name="review", kinds={"python", "parquet"})
def tickets(context: dg.AssetExecutionContext, warden: WardenResource) -> int:
    """Tickets from every tracker integration, synced incrementally into landing."""
    runtime = warden.runtime()
    scope = runtime.scope(context.partition_key)
    with tenant_providers(runtime.control_plane, runtime.settings, scope.tenant_id) as providers:
        count = sync_sources("tickets", runtime.control_plane, scope, providers)
    context.add_output_metadata({"landed": count})
    return count


@dg.asset(partitions_def=tenant_partitions, group_name="review", kinds={"python", "parquet"})
def documents(context: dg.AssetExecutionContext, warden: WardenResource) -> int:
    """Documents from every docs integration, synced incrementally into landing."""
    runtime = warden.runtime()
    scope = runtime.scope(context.partition_key)
    with tenant_providers(runtime.control_plane, runtime.settings, scope.tenant_id) as providers:
        count = sync_sources("documents", runtime.control_plane, scope, providers)
    context.add_output_metadata({"landed": count})
    return count


@dg.asset(partitions_def=tenant_partitions, group_name="review", kinds={"python", "parquet"})
def changed_files(
    context: dg.AssetExecutionContext, warden: WardenResource, pull_request_events: list[PrEvent]
) -> dict[str, list[ChangedFile]]:
    """Changed files with patches for each PR to review, fetched from its SCM."""
    runtime = warden.runtime()
    scope = runtime.scope(context.partition_key)
    files: dict[str, list[ChangedFile]] = {}
    raw: list[object] = []
    with tenant_providers(runtime.control_plane, runtime.settings, scope.tenant_id) as providers:
        for event in pull_request_events:
            provider = providers.by_integration_id(event.integration_id)
            fetched = provider.list_changed_files(event.pull_request)
            files[event.pull_request.pr_key] = [f.record for f in fetched]
            raw.extend(f.raw for f in fetched)
    records = [f for group in files.values() for f in group]
    if records:
        LandingWriter(scope, normaliser_version="scm-files-1").write(
            [redact_record(f) for f in records],
            [redact_raw(r) for r in raw],
            batch_id=_batch_id(context, "files"),
        )
    context.add_output_metadata({"files": len(records)})
    return files


@dg.asset(partitions_def=tenant_partitions, group_name="review", kinds={"python", "parquet"})
def pr_ticket_links(
    context: dg.AssetExecutionContext, warden: WardenResource, pull_request_events: list[PrEvent]
) -> dict[str, list[PrTicketLink]]:
    """Ticket keys found in each PR's branch, title and body, with where they came from."""
    scope = warden.runtime().scope(context.partition_key)
    links = {
        e.pull_request.pr_key: extract_ticket_links(e.pull_request) for e in pull_request_events
    }
    records = [link for group in links.values() for link in group]
    if records:
        LandingWriter(scope, normaliser_version="links-1").write(
            records, batch_id=_batch_id(context, "links")
        )
    context.add_output_metadata({"links": len(records)})
    return links


@dg.asset(
    partitions_def=tenant_partitions,
    group_name="review",
    kinds={"python", "parquet"},
    deps=[tickets, documents],
)
def pr_reviews(
    context: dg.AssetExecutionContext,
    warden: WardenResource,
    pull_request_events: list[PrEvent],
    changed_files: dict[str, list[ChangedFile]],
    pr_ticket_links: dict[str, list[PrTicketLink]],
) -> list[ReviewResult]:
    """Runs the review engine on each PR; review runs and findings land as parquet."""
    runtime = warden.runtime()
    scope = runtime.scope(context.partition_key)
    results = review_events(
        runtime.control_plane,
        scope,
        pull_request_events,
        changed_files,
        pr_ticket_links,
        extra_reviewers=llm_reviewers(runtime.settings, runtime.control_plane, scope.tenant_id),
    )
    reviewed = [r for r in results if r.run is not None]
    context.add_output_metadata(
        {
            "reviewed": len(reviewed),
            "skipped": len(results) - len(reviewed),
            "findings": sum(r.run.findings_count for r in reviewed if r.run),
            "reportable": sum(r.run.reportable_count for r in reviewed if r.run),
        }
    )
    return results


@dg.asset(partitions_def=tenant_partitions, group_name="review", kinds={"python", "parquet"})
def review_comments(
    context: dg.AssetExecutionContext,
    warden: WardenResource,
    pr_reviews: list[ReviewResult],
    changed_files: dict[str, list[ChangedFile]],
) -> None:
    """Publishes one summary comment per reviewed PR (or nothing when clean); audited."""
    runtime = warden.runtime()
    scope = runtime.scope(context.partition_key)
    with tenant_providers(runtime.control_plane, runtime.settings, scope.tenant_id) as providers:
        posted = publish_reviews(
            runtime.control_plane, scope, providers, pr_reviews, files_by_pr=changed_files
        )
    actions: dict[str, int] = {}
    for comment in posted:
        actions[comment.action] = actions.get(comment.action, 0) + 1
    context.add_output_metadata({f"comments_{k}": v for k, v in actions.items()} or {"comments": 0})
