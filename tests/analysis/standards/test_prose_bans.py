"""Prohibitions written as sentences in standards documents are enforced on added code."""

from __future__ import annotations

import pytest

from analysis.detectors.standards import StandardsReviewer
from analysis.detectors.standards_prose import parse_prose_bans
from analysis.engine import review_pull_request
from analysis.policy import ReviewPolicy

HTTP_RULES = """Outbound calls go through the shared client.

- Never use `requests.get` or `urllib.request.urlopen`: they skip our retry and
  timeout policy.
- Build clients with `make_client()`.
"""
HANDLER_RULES = (
    "- `console.log()` must not be used in handlers (anything under `src/handlers/`); "
    "logs go through the structured logger."
)


def _doc(build, text, *, kind="standard", title="Engineering standard"):
    return build.document(title, [("Rules", "rules", text)], kind=kind)


def _hits(build, files, doc):
    context = build.context(files, documents=[doc])
    return [(f.rule_id, f.file_path, f.start_line) for f in StandardsReviewer().review(context, [])]


def test_a_never_use_sentence_bans_the_named_calls_on_added_production_lines(build):
    code = [
        "import requests",
        "# requests.get(url) was the old way",
        "def fetch(url):",
        "    return requests.get(url, timeout=3)",
        "def fetch_legacy(url):",
        "    return urllib.request.urlopen(url)",
    ]
    files = [build.file("svc/fetch.py", code), build.file("tests/test_fetch.py", code)]
    assert _hits(build, files, _doc(build, HTTP_RULES)) == [
        ("standard:ban:requests.get", "svc/fetch.py", 4),
        ("standard:ban:urllib.request.urlopen", "svc/fetch.py", 6),
    ]


def test_a_backticked_glob_limits_the_ban_to_its_paths(build):
    line = ['console.log("user", id);']
    files = [build.file("src/handlers/user.ts", line), build.file("scripts/seed.ts", line)]
    assert _hits(build, files, _doc(build, HANDLER_RULES)) == [
        ("standard:ban:console.log", "src/handlers/user.ts", 1)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "- Do not call `subprocess.run` without `check=True`.",  # a condition
        "- Never use `datetime.now()` in tests; freeze the clock.",  # a scope in words
        "- Use `make_client()` for every call.",  # no prohibition
        "- Never use mutable default arguments.",  # nothing in backticks
    ],
)
def test_conditional_scoped_or_codeless_sentences_are_not_enforced(build, sentence):
    assert parse_prose_bans([_doc(build, sentence)]) == []


def test_a_bare_name_is_banned_only_as_a_call(build):
    code = ["evaluate = 1", "my_eval(x)", "obj.eval(x)", "result = eval(expr)"]
    doc = _doc(build, "- `eval` is forbidden: it runs arbitrary code.")
    assert _hits(build, [build.file("calc/run.py", code)], doc) == [
        ("standard:ban:eval", "calc/run.py", 4)
    ]


def test_code_fences_and_non_rule_documents_are_not_read_as_prose(build):
    fenced = "```text\n- Never use `requests.get`.\n```\n"
    assert parse_prose_bans([_doc(build, fenced)]) == []
    assert parse_prose_bans([_doc(build, HTTP_RULES, kind="doc")]) == []
    assert len(parse_prose_bans([_doc(build, HTTP_RULES, kind="adr")])) == 1


def test_a_ban_is_reported_with_its_citation(build):
    context = build.context(
        [build.file("svc/fetch.py", ["def f(u):", "    return requests.get(u)"])],
        documents=[_doc(build, HTTP_RULES, title="HTTP standard")],
    )
    outcome = review_pull_request(context, ReviewPolicy(), run_id="r")
    [finding] = [f for f in outcome.reportable if f.rule_id.startswith("standard:ban:")]
    assert finding.category == "standards"
    assert finding.evidence_source == "HTTP standard#rules"
    assert "Never use `requests.get`" in finding.message


@pytest.mark.parametrize(
    "scope", ["in service code", "in new code", "in Go services", "across the codebase"]
)
def test_a_scope_meaning_all_reviewed_code_is_enforced(build, scope):
    doc = _doc(build, f"Logs are structured. Never use `fmt.Println` {scope}; use slog.")
    [ban] = parse_prose_bans([doc])
    assert ban.sentence == f"Never use `fmt.Println` {scope}; use slog."
    code = ["package sync", "func run() {", '\tfmt.Println("done")', "}"]
    assert _hits(build, [build.file("internal/sync/run.go", code)], doc) == [
        ("standard:ban:fmt.Println", "internal/sync/run.go", 3)
    ]


def test_a_banned_module_is_found_where_it_is_imported_and_called(build):
    doc = _doc(build, "Never use `moment` in new code: it is in maintenance mode.")
    code = [
        'import moment from "moment";',
        'import { format } from "date-fns";',
        "export const due = (d: string) => moment(d).fromNow();",
        "export const momentary = 1;",
    ]
    assert _hits(build, [build.file("src/due.ts", code)], doc) == [
        ("standard:ban:moment", "src/due.ts", 1),
        ("standard:ban:moment", "src/due.ts", 3),
    ]
    python = ["import moment", "from moment import utc", "moments = []"]
    assert [line for _, _, line in _hits(build, [build.file("app/due.py", python)], doc)] == [
        1,
        2,
    ]


def test_a_banned_instrument_applies_only_to_lines_about_its_object(build):
    doc = _doc(build, "Never round a price with `Math.round` or `toFixed()`; use the Money type.")
    [ban] = parse_prose_bans([doc])
    assert ban.names == ("Math.round", "toFixed()") and ban.objects == ("price",)
    code = [
        "const total = Math.round(item.price * qty);",
        "const pages = Math.round(count / size);",
        "label.textContent = unitPrice.toFixed(2);",
    ]
    assert _hits(build, [build.file("src/cart.ts", code)], doc) == [
        ("standard:ban:Math.round", "src/cart.ts", 1),
        ("standard:ban:toFixed", "src/cart.ts", 3),
    ]
    assert parse_prose_bans([_doc(build, "Never pass `verify=False` to `requests`.")]) == []
