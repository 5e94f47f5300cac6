"""Ticket keys in a PR's branch, title and body become PrTicketLinks."""

from __future__ import annotations

from datetime import UTC, datetime

from ingestion.links import extract_ticket_links
from warden.records import PullRequest, pull_request_key

AT = datetime(2026, 9, 1, tzinfo=UTC)


def make_pr(
    head_ref: str = "main", title: str = "Change", body: str = "", tenant: str = "acme"
) -> PullRequest:
    return PullRequest(
        tenant_id=tenant,
        pr_key=pull_request_key("github", "platform/api", 12),
        provider="github",
        repository="platform/api",
        number=12,
        title=title,
        body=body,
        author="ada",
        state="open",
        base_ref="main",
        head_ref=head_ref,
        base_sha="a" * 40,
        head_sha="b" * 40,
        created_at=AT,
        updated_at=AT,
    )


def pairs(pr: PullRequest, **kwargs) -> list[tuple[str, str]]:
    return [(link.ticket_key, link.source) for link in extract_ticket_links(pr, **kwargs)]


def test_keys_from_branch_title_and_body_record_their_source():
    pr = make_pr(
        head_ref="feature/ENG-123-lockout",
        title="OPS-7: rotate keys",
        body="Implements PAY-42.\nSee https://jira.example.com/browse/PAY-43",
    )
    assert pairs(pr) == [
        ("ENG-123", "branch"),
        ("OPS-7", "title"),
        ("PAY-42", "body"),
        ("PAY-43", "body"),
    ]


def test_links_carry_the_prs_identity():
    pr = make_pr(head_ref="ENG-1", tenant="globex")
    [link] = extract_ticket_links(pr)
    assert (link.tenant_id, link.pr_key, link.repository, link.number) == (
        "globex",
        pr.pr_key,
        "platform/api",
        12,
    )


def test_one_link_per_key_and_source():
    pr = make_pr(head_ref="eng-5/ENG-5-again", title="ENG-5 ENG-5 and ENG-6", body="ENG-5, ENG-5.")
    assert pairs(pr) == [
        ("ENG-5", "branch"),
        ("ENG-5", "title"),
        ("ENG-6", "title"),
        ("ENG-5", "body"),
    ]


def test_branch_keys_are_upper_cased():
    assert pairs(make_pr(head_ref="feature/eng-77-lock-accounts")) == [("ENG-77", "branch")]


def test_lower_case_words_in_prose_are_not_keys():
    pr = make_pr(title="Upgrade to python-3 and top-10 fixes", body="covid-19 step-2 eng-9")
    assert pairs(pr) == []


def test_standards_and_hashes_are_denied():
    pr = make_pr(
        head_ref="fix/utf-8-sha-256",
        title="Use UTF-8, SHA-256 and ISO-8601 over HTTP-2",
        body="Fixes CVE-2024-12345 (CWE-89), per RFC-9110 and AES-256. Real one: SEC-9",
    )
    assert pairs(pr) == [("SEC-9", "body")]


def test_branch_words_and_versions_are_not_keys():
    pr = make_pr(head_ref="dependabot/npm/lodash-4.17.21")
    assert pairs(pr) == []
    assert pairs(make_pr(head_ref="release-2026")) == []


def test_known_prefixes_filter_and_override_the_deny_list():
    pr = make_pr(head_ref="sha-12-fix", title="ENG-1 and OPS-2", body="also ops-3")
    assert pairs(pr, known_prefixes=["ops", "SHA"]) == [
        ("SHA-12", "branch"),
        ("OPS-2", "title"),
        ("OPS-3", "body"),
    ]


def test_keys_inside_longer_tokens_are_ignored():
    pr = make_pr(title="XENG-1 is fine but aENG-2 and ENG-3456789 are not keys")
    assert pairs(pr) == [("XENG-1", "title")]
