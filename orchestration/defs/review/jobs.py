"""The review job: every review-path asset for one tenant partition."""

import dagster as dg

from orchestration.defs.partitions import tenant_partitions

review_job = dg.define_asset_job(
    "review_job",
    selection=dg.AssetSelection.groups("review"),
    partitions_def=tenant_partitions,
    description="Inbox deliveries -> landing -> review -> comment, for one tenant.",
)
