"""The summary comment: created once, left alone when unchanged, edited in place; and the
GitHubProvider built from the registry against the sandbox."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from ingestion.providers.base import Capability
from ingestion.providers.github.client import GitHubClient
from ingestion.providers.github.provider import GitHubProvider
from ingestion.providers.registry import build_provider
from ingestion.sandbox.server import SandboxGitHub
from ingestion.sandbox.world import World
from warden.controlplane.rows import IntegrationRow
from warden.records import REVIEW_COMMENT_MARKER
from warden.settings import Settings


def provider_for(sandbox: SandboxGitHub, world: World, tenant: str) -> GitHubProvider:
    client = GitHubClient(
        sandbox.instance_url(tenant),
        SecretStr(world.tenants[tenant].api_token),
        timeout=5.0,
        max_retries=0,
    )
    return GitHubProvider(tenant, client)


def test_create_then_unchanged_then_update_in_place(sandbox: SandboxGitHub, world: World) -> None:
    provider = provider_for(sandbox, world, "acme")
    pr = provider.get_pull_request("platform/api", 1).record
    first = provider.publish_review(pr, "2 findings")
    again = provider.publish_review(pr, "2 findings")
    changed = provider.publish_review(pr, "1 finding (1 resolved)")
    assert [first.action, again.action, changed.action] == ["created", "unchanged", "updated"]
    assert first.comment_id == again.comment_id == changed.comment_id
    writes = sandbox.comment_writes("acme")
    assert [w.action for w in writes] == ["created", "edited"]  # 'unchanged' wrote nothing
    assert REVIEW_COMMENT_MARKER in writes[-1].body and writes[-1].body.endswith("resolved)")
    found = provider.find_review_comment(pr)
    assert found is not None and found.comment_id == first.comment_id
    assert found.url.endswith(f"#issuecomment-{first.comment_id}")


def test_a_human_comment_is_never_edited(sandbox: SandboxGitHub, world: World) -> None:
    provider = provider_for(sandbox, world, "acme")
    pr = provider.get_pull_request("platform/api", 2).record
    human = sandbox.store.create_comment("acme", "platform/api", 2, "LGTM")
    result = provider.publish_review(pr, "no findings")
    assert result.action == "created" and result.comment_id != str(human.id)
    assert sandbox.store.comment("acme", human.id).body == "LGTM"


def test_same_repo_and_number_in_two_instances_stay_apart(
    sandbox: SandboxGitHub, world: World
) -> None:
    acme, globex = provider_for(sandbox, world, "acme"), provider_for(sandbox, world, "globex")
    acme_pr = acme.get_pull_request("platform/api", 1).record
    globex_pr = globex.get_pull_request("platform/api", 1).record
    assert (acme_pr.repository, acme_pr.number) == (globex_pr.repository, globex_pr.number)
    assert acme_pr.pr_key == globex_pr.pr_key and acme_pr.head_sha != globex_pr.head_sha
    acme.publish_review(acme_pr, "acme review")
    assert globex.find_review_comment(globex_pr) is None
    globex_result = globex.publish_review(globex_pr, "globex review")
    assert globex_result.action == "created"
    assert "acme review" in acme.find_review_comment(acme_pr).body
    assert "globex review" in globex.find_review_comment(globex_pr).body
    assert [w.body for w in sandbox.comment_writes("globex")] == [
        f"{REVIEW_COMMENT_MARKER}\nglobex review"
    ]
    listing = httpx.get(
        f"{sandbox.base_url}/globex/_sandbox/comments",
        headers={"Authorization": f"Bearer {world.tenants['globex'].api_token}"},
    ).json()
    assert [entry["body"] for entry in listing] == [f"{REVIEW_COMMENT_MARKER}\nglobex review"]


def test_provider_from_registry_reads_prs_and_files(
    sandbox: SandboxGitHub, world: World, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("SANDBOX_GITHUB_TOKEN_ACME", world.tenants["acme"].api_token)
    integration = IntegrationRow(
        integration_id=1,
        tenant_id="acme",
        name="github",
        kind="scm",
        provider="github",
        config={"base_url": sandbox.instance_url("acme")},
        credential_ref="env:SANDBOX_GITHUB_TOKEN_ACME",
        webhook_secret_ref=None,
        status="active",
    )
    provider = build_provider("acme", integration, Settings(data_dir=tmp_path, _env_file=None))
    assert isinstance(provider, GitHubProvider)
    assert provider.supports(Capability.publish_review)
    assert provider.supports(Capability.publish_inline)
    repo_prs = [p for p in world.pull_requests("acme") if p.repository == "platform/web"]
    listed = provider.list_pull_requests("platform/web")
    assert {f.record.number for f in listed} == {p.number for p in repo_prs}
    watermark = sorted(p.updated_at for p in repo_prs)[len(repo_prs) // 2]
    recent = provider.list_pull_requests("platform/web", updated_since=watermark)
    assert {f.record.number for f in recent} == {
        p.number for p in repo_prs if p.updated_at >= watermark
    }
    with_binary = next(p for p in repo_prs if p.scenario == "clean_docs_and_assets")
    pr = provider.get_pull_request("platform/web", with_binary.number).record
    files = {f.record.path: f.record for f in provider.list_changed_files(pr)}
    assert files["public/logo.png"].patch is None
    assert files["README.md"].patch.startswith("@@ -1,")
    assert all(f.head_sha == with_binary.latest.head_sha for f in files.values())
    provider.close()
