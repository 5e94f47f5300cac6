"""Publish step: compose one summary comment per reviewed PR and post it (or stay silent)."""

from __future__ import annotations

import logging

from analysis.composer import compose_review_comment
from ingestion.providers.base import Capability
from orchestration.pipeline.providers import TenantProviders
from orchestration.pipeline.review_step import ReviewResult
from warden.clock import utcnow
from warden.controlplane import ControlPlane
from warden.landing import LandingWriter
from warden.records import PostedComment, sha256_hex
from warden.tenancy import TenantScope

log = logging.getLogger(__name__)


def publish_reviews(
    control_plane: ControlPlane,
    scope: TenantScope,
    providers: TenantProviders,
    results: list[ReviewResult],
    actor: str = "warden-bot",
) -> list[PostedComment]:
    writer = LandingWriter(scope, normaliser_version="publish-1")
    posted: list[PostedComment] = []
    for result in results:
        if result.run is None or result.outcome is None:
            continue  # skipped (already published) or the review errored: nothing to post
        pr = result.event.pull_request
        provider = providers.by_integration_id(result.event.integration_id)
        if not provider.supports(Capability.publish_review):
            continue
        existing = provider.find_review_comment(pr)
        composed = compose_review_comment(pr, result.outcome, existing.body if existing else None)
        if composed is None:
            comment = PostedComment(
                tenant_id=scope.tenant_id,
                run_id=result.run.run_id,
                pr_key=pr.pr_key,
                repository=pr.repository,
                number=pr.number,
                head_sha=pr.head_sha,
                provider=provider.name,
                action="none",
                posted_at=utcnow(),
            )
        else:
            published = provider.publish_review(pr, composed.body)
            comment = PostedComment(
                tenant_id=scope.tenant_id,
                run_id=result.run.run_id,
                pr_key=pr.pr_key,
                repository=pr.repository,
                number=pr.number,
                head_sha=pr.head_sha,
                provider=provider.name,
                action=published.action,
                comment_id=published.comment_id,
                url=published.url or None,
                body_sha256=sha256_hex(composed.body),
                open_fingerprints=list(composed.open_fingerprints),
                resolved_fingerprints=list(composed.resolved_fingerprints),
                posted_at=utcnow(),
            )
        writer.write([comment], batch_id=f"{result.run.run_id}-comment")
        control_plane.mark_review_published(
            scope.tenant_id,
            result.review_key,
            comment.comment_id,
            actor,
            target=f"pull_request:{pr.pr_key}",
            after={
                "action": comment.action,
                "comment_id": comment.comment_id,
                "head_sha": pr.head_sha,
                "open": len(comment.open_fingerprints),
                "resolved": len(comment.resolved_fingerprints),
            },
        )
        posted.append(comment)
        log.info("%s: comment %s for %s", scope.tenant_id, comment.action, pr.pr_key)
    return posted
