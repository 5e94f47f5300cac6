from analysis.engine import review_pull_request
from analysis.policy import ReviewPolicy
from analysis.report import render_json, render_text


def test_relevant_sections_rank_path_mentions_and_skip_unrelated(build):
    doc = build.document(
        "Billing ADR",
        [
            ("Invoices", "invoices", "Changes to services/billing/invoice.py need two reviewers."),
            ("Billing layer", "layer", "The billing package never imports the web layer."),
            ("Holidays", "holidays", "The office is closed in August."),
        ],
        kind="adr",
    )
    context = build.context([build.file("services/billing/invoice.py", ["x = 1"])], documents=[doc])
    refs = context.relevant_sections()
    assert [ref.section.anchor for ref in refs] == ["invoices", "layer"]
    assert refs[0].citation == "Billing ADR#invoices"
    assert "mentions services/billing/invoice.py" in refs[0].reasons


def test_removed_files_are_not_reviewed(build):
    removed = build.file("old.py", ["import os", "os.system(cmd)"]).model_copy(
        update={"status": "removed"}
    )
    context = build.context([removed])
    assert context.changed_paths() == []
    assert review_pull_request(context, ReviewPolicy(), run_id="r").findings == []


def test_text_and_json_reports(build):
    lines = ["import os", "def f(cmd):", "    os.system(cmd)", "    x = 1  # warden-ignore[x]: y"]
    context = build.context([build.file("a.py", lines)])
    outcome = review_pull_request(context, ReviewPolicy(), run_id="r")
    text = render_text(outcome)
    assert "[HIGH] a.py:3  shell-injection (CWE-78)" in text
    assert "note: LLM reviewer off" in text
    data = __import__("json").loads(render_json(outcome))
    assert data["reportable"] == [outcome.reportable[0].fingerprint]
    assert data["findings"][0]["rule_id"] == "shell-injection"
    assert data["engine_version"] and data["policy_hash"] == ReviewPolicy().policy_hash()
