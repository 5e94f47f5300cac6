"""The review job: every review-path asset for one tenant partition."""

import dagster as dg

review_job = dg.define_asset_job(
    "review_job",
    selection=dg.AssetSelection.groups("review"),
    executor_def=dg.in_process_executor,  # one process per run: review latency
    description="Inbox deliveries -> landing -> review -> comment, for one tenant.",
)
