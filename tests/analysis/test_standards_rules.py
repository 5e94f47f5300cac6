from analysis.detectors.standards import StandardsReviewer
from analysis.detectors.standards_rules import glob_to_regex, parse_rules
from warden.records import FindingCategory, Severity

NO_PRINT = """Services log through the structured logger.

```warden-rule
id: no-print-in-services
description: Services log through the structured logger, never print().
applies-to: ["services/**/*.py", "src/**/*.py"]
forbid: '\\bprint\\('          # regex that must not match an ADDED line
require: null
severity: low
```
"""

REQUIRE_LICENSE = """```warden-rule
id: spdx-header
description: Every source file starts with an SPDX licence header.
applies-to: "*.ts"
require: 'SPDX-License-Identifier:'
severity: medium
```"""


def _docs(build, *texts):
    sections = [(f"Rule {i}", f"rule-{i}", text) for i, text in enumerate(texts)]
    return [build.document("Engineering Standards", sections)]


def test_forbid_rule_from_a_document_flags_added_lines_and_cites_the_section(build):
    code = ["import logging", "def run():", "    print('starting')", "    logging.info('ok')"]
    context = build.context(
        [build.file("services/billing/run.py", code)], documents=_docs(build, NO_PRINT)
    )
    findings = StandardsReviewer().review(context, [])
    assert len(findings) == 1
    finding = findings[0]
    assert finding.category == FindingCategory.standards
    assert finding.rule_id == "standard:no-print-in-services"
    assert finding.severity == Severity.low
    assert (finding.file_path, finding.start_line) == ("services/billing/run.py", 3)
    assert finding.evidence_source == "Engineering Standards#rule-0"
    assert "structured logger" in finding.message


def test_forbid_rule_ignores_files_outside_applies_to_and_preexisting_lines(build):
    docs = _docs(build, NO_PRINT)
    outside = build.file("scripts/dev.py", ["print('hi')"])
    before = ["def run():", "    print('legacy')"]
    old = build.file("services/a.py", [*before, "    return 1"], before)
    context = build.context([outside, old], documents=docs)
    assert StandardsReviewer().review(context, []) == []


def test_require_rule_checks_the_head_content(build):
    docs = _docs(build, REQUIRE_LICENSE)
    missing = build.file("web/app.ts", ["export const x = 1;"])
    present = build.file("web/ok.ts", ["// SPDX-License-Identifier: MIT", "export const y = 2;"])
    findings = StandardsReviewer().review(build.context([missing, present], documents=docs), [])
    assert [(f.file_path, f.rule_id, f.severity) for f in findings] == [
        ("web/app.ts", "standard:spdx-header", Severity.medium)
    ]


def test_invalid_rules_are_skipped_with_notes_and_valid_ones_still_apply(build):
    bad_regex = "```warden-rule\nid: broken\napplies-to: ['**/*.py']\nforbid: '([unclosed'\n```"
    bad_yaml = "```warden-rule\nid: [oops\n```"
    not_mapping = "```warden-rule\n- just a list\n```"
    no_action = "```warden-rule\nid: nothing\napplies-to: ['**/*.py']\n```"
    typo = "```warden-rule\nid: typo\napplies-to: ['**/*.py']\nforbids: 'x'\n```"
    docs = _docs(build, bad_regex, bad_yaml, not_mapping, no_action, typo, NO_PRINT)
    parsed = parse_rules(docs)
    assert [rule.spec.id for rule in parsed.rules] == ["no-print-in-services"]
    assert len(parsed.notes) == 5
    assert any("invalid regex" in note for note in parsed.notes)
    assert all("skipped" in note for note in parsed.notes)
    context = build.context([build.file("src/x.py", ["print(1)"])], documents=docs)
    reviewer = StandardsReviewer()
    assert [f.rule_id for f in reviewer.review(context, [])] == ["standard:no-print-in-services"]
    assert reviewer.notes(context) == list(parsed.notes)


def test_duplicate_rule_ids_keep_the_first(build):
    parsed = parse_rules(_docs(build, NO_PRINT, NO_PRINT))
    assert len(parsed.rules) == 1
    assert "duplicate" in parsed.notes[0]


def test_globs_follow_gitignore_semantics():
    assert glob_to_regex("services/**/*.py").fullmatch("services/a.py")
    assert glob_to_regex("services/**/*.py").fullmatch("services/a/b/c.py")
    assert not glob_to_regex("services/**/*.py").fullmatch("other/services/a.py")
    assert glob_to_regex("*.ts").fullmatch("deep/dir/x.ts")
    assert not glob_to_regex("src/*.py").fullmatch("src/a/b.py")
