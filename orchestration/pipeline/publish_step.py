"""Publish step: per reviewed PR, the top findings inline on their lines, then one summary
comment (or silence when nothing meets the policy; the run is recorded either way).

Inline comments go first, as one review with event COMMENT (never an approval or a change
request), and only for fingerprints not posted inline before: the summary's hidden state
block remembers them, and each inline comment carries its own fingerprint marker that the
provider checks, so a finding that survives a push is never posted twice, even when a
previous summary edit was lost. An inline failure is logged and audited; the summary is
still posted (it lists every finding).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from analysis.composer import compose_review_comment, previously_inlined
from analysis.engine import ReviewOutcome
from analysis.inline_comments import (
    DEFAULT_INLINE_LIMIT,
    render_inline_body,
    select_inline_findings,
)
from ingestion.providers.base import Capability, InlineComment, ProviderError, ScmProvider
from orchestration.pipeline.providers import TenantProviders
from orchestration.pipeline.review_step import ReviewResult
from warden.clock import utcnow
from warden.controlplane import ControlPlane
from warden.landing import LandingWriter
from warden.records import ChangedFile, PostedComment, PullRequest, sha256_hex
from warden.tenancy import TenantScope

log = logging.getLogger(__name__)


def publish_reviews(
    control_plane: ControlPlane,
    scope: TenantScope,
    providers: TenantProviders,
    results: list[ReviewResult],
    actor: str = "warden-bot",
    *,
    files_by_pr: Mapping[str, list[ChangedFile]] | None = None,
    inline_limit: int = DEFAULT_INLINE_LIMIT,
) -> list[PostedComment]:
    """`files_by_pr` (the reviewed files) tells which lines each PR added; without it the
    files are fetched from the provider when it can, else no inline comments are posted."""
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
        previous_body = existing.body if existing else None
        inline = _publish_inline(
            provider,
            pr,
            result.outcome,
            previous_body,
            (files_by_pr or {}).get(pr.pr_key),
            inline_limit,
        )
        composed = compose_review_comment(
            pr, result.outcome, previous_body, inline_fingerprints=inline.fingerprints
        )
        common = {
            "tenant_id": scope.tenant_id,
            "run_id": result.run.run_id,
            "pr_key": pr.pr_key,
            "repository": pr.repository,
            "number": pr.number,
            "head_sha": pr.head_sha,
            "provider": provider.name,
            "posted_at": utcnow(),
        }
        if composed is None:
            comment = PostedComment(**common, action="none")
        else:
            published = provider.publish_review(pr, composed.body)
            comment = PostedComment(
                **common,
                action=published.action,
                comment_id=published.comment_id,
                url=published.url or None,
                body_sha256=sha256_hex(composed.body),
                open_fingerprints=list(composed.open_fingerprints),
                resolved_fingerprints=list(composed.resolved_fingerprints),
                inline_fingerprints=list(inline.fingerprints),
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
                "inline_created": inline.created,
                "inline_error": inline.error,
            },
        )
        posted.append(comment)
        log.info(
            "%s: comment %s, %d inline for %s",
            scope.tenant_id,
            comment.action,
            inline.created,
            pr.pr_key,
        )
    return posted


@dataclass(frozen=True)
class InlineOutcome:
    """Fingerprints now on the PR inline (new and found), how many were new, any error."""

    fingerprints: list[str] = field(default_factory=list)
    created: int = 0
    error: str | None = None


def _publish_inline(
    provider: ScmProvider,
    pr: PullRequest,
    outcome: ReviewOutcome,
    previous_body: str | None,
    files: list[ChangedFile] | None,
    limit: int,
) -> InlineOutcome:
    if not outcome.reportable or limit <= 0 or not provider.supports(Capability.publish_inline):
        return InlineOutcome()
    try:
        if files is None and provider.supports(Capability.read_files):
            files = [fetched.record for fetched in provider.list_changed_files(pr)]
        if not files or any(f.head_sha != pr.head_sha for f in files):
            return InlineOutcome()  # lines of another head would land on the wrong code
        chosen = select_inline_findings(
            outcome, files, already_posted=previously_inlined(previous_body), limit=limit
        )
        if not chosen:
            return InlineOutcome()
        comments = [
            InlineComment(
                path=finding.file_path or "",
                line=finding.start_line or 0,
                body=render_inline_body(finding),
                fingerprint=finding.fingerprint,
            )
            for finding in chosen
        ]
        published = provider.publish_inline(pr, comments)
    except ProviderError as error:
        log.warning("inline comments for %s not posted: %s", pr.pr_key, error)
        return InlineOutcome(error=f"{type(error).__name__}: {error}")
    return InlineOutcome(
        fingerprints=[p.fingerprint for p in published],
        created=sum(1 for p in published if p.action == "created"),
    )
