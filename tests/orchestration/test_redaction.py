"""Secrets in code, PR text and vendor payloads are masked before anything is landed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from orchestration.pipeline.redaction import redact_raw, redact_record
from warden.records import ChangedFile

AWS_KEY = "AKIA" + "Z7XQ4LMNB2C5D8EF"
GITHUB_TOKEN = "ghp_" + "x1Y2z3" * 6


def test_changed_file_patch_and_content_are_masked() -> None:
    changed = ChangedFile(
        tenant_id="acme",
        pr_key="github:PullRequest:a/b#1",
        repository="a/b",
        number=1,
        head_sha="abc",
        path="settings.py",
        status="added",
        patch=f'@@ -0,0 +1,2 @@\n+AWS_KEY = "{AWS_KEY}"\n+DEBUG = False',
        content=f'AWS_KEY = "{AWS_KEY}"\nDEBUG = False\n',
    )
    redacted = redact_record(changed)
    assert AWS_KEY not in (redacted.patch or "") and AWS_KEY not in (redacted.content or "")
    assert "AKIA" in (redacted.patch or "") and "DEBUG = False" in (redacted.content or "")
    assert redacted.path == changed.path and redacted.patch.count("\n") == 2


def test_raw_payloads_are_masked_in_every_string() -> None:
    raw = {
        "filename": "ci.yml",
        "patch": f"+token: {GITHUB_TOKEN}",
        "nested": [{"b": AWS_KEY}],
        "additions": 1,
    }
    as_text = redact_raw(json.dumps(raw))
    as_doc = redact_raw(raw)
    for landed in (as_text, json.dumps(as_doc)):
        assert GITHUB_TOKEN not in landed and AWS_KEY not in landed
    assert json.loads(as_text)["additions"] == 1


def test_timestamps_and_types_survive_redaction() -> None:
    from warden.records import Ticket

    ticket = Ticket(
        tenant_id="acme",
        ticket_key="ENG-1",
        provider="folder",
        title="Rotate key",
        description=f"old key was {AWS_KEY}",
        acceptance_criteria=["rotate"],
        updated_at=datetime(2026, 9, 1, tzinfo=UTC),
    )
    redacted = redact_record(ticket)
    assert redacted.updated_at == ticket.updated_at
    assert AWS_KEY not in redacted.description and redacted.acceptance_criteria == ["rotate"]
