import pytest

from analysis.detectors.standards import StandardsReviewer
from analysis.detectors.standards_rules import glob_problem, parse_rules


def _doc(build, *bodies):
    sections = [
        (f"Rule {i}", f"rule-{i}", f"```warden-rule\n{b}\n```") for i, b in enumerate(bodies)
    ]
    return build.document("Team Standards", sections)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("id: a1\napplies-to: ['**/*.py']\nforbids: 'x'", "unknown key(s) forbids (known: id,"),
        ("id: a1\napplies-to: ['/src/*.py']\nforbid: 'x'", "relative to the repository root"),
        ("id: a1\napplies-to: ['src/[ab].py']\nforbid: 'x'", "unsupported syntax"),
        ("id: a1\napplies-to: ['src/**.py']\nforbid: 'x'", "whole path segment"),
        ("id: a1\napplies-to: ['**/*.py']\nforbid: '(x'", "invalid regex"),
        ("id: a1\napplies-to: ['**/*.py']\nforbid: 'x'\nseverity: urgent", "severity"),
        ("id: a1\napplies-to: ['**/*.py']\nexclude: ['../x']\nforbid: 'x'", "relative"),
        ("id: a1\napplies-to: []\nforbid: 'x'", "applies-to"),
        ("id: a1\napplies-to: ['**/*.py']\nforbid: '(a+)+$'", "backtrack exponentially"),
        ("id: a1\napplies-to: ['**/*.py']\nrequire: '(\\w+\\s?)*;'", "backtrack exponentially"),
    ],
)
def test_invalid_rules_become_notes_naming_doc_section_and_problem(build, body, expected):
    parsed = parse_rules([_doc(build, body)])
    assert parsed.rules == ()
    [note] = parsed.notes
    assert "warden-rule a1 in Team Standards#rule-0 skipped" in note
    assert expected in note


def test_yaml_errors_say_where(build):
    [note] = parse_rules([_doc(build, "id: [oops")]).notes
    assert note.startswith("warden-rule in Team Standards#rule-0 skipped: invalid YAML at line")


def test_forbid_list_message_and_exclude(build):
    body = (
        "id: no-debug\napplies-to: ['src/**']\nexclude: ['src/scripts/**']\n"
        "forbid: ['\\bpdb\\.set_trace\\(', '\\bbreakpoint\\(']\n"
        "message: Remove debugger calls before merging.\nseverity: medium"
    )
    code = ["def f():", "    breakpoint()", "    import pdb; pdb.set_trace()"]
    files = [build.file("src/app.py", code), build.file("src/scripts/dev.py", code)]
    context = build.context(files, documents=[_doc(build, body)])
    findings = StandardsReviewer().review(context, [])
    assert [(f.file_path, f.start_line) for f in findings] == [("src/app.py", 2), ("src/app.py", 3)]
    assert all("Remove debugger calls" in f.message for f in findings)
    assert findings[0].evidence_source == "Team Standards#rule-0"


def test_require_list_reports_each_missing_pattern(build):
    body = "id: header\napplies-to: '*.py'\nrequire: ['^# Copyright', 'SPDX-License-Identifier']"
    context = build.context(
        [build.file("a.py", ["# Copyright ACME", "x = 1"])], documents=[_doc(build, body)]
    )
    findings = StandardsReviewer().review(context, [])
    assert len(findings) == 1 and "SPDX-License-Identifier" in findings[0].suggested_fix


def test_glob_problem_accepts_ordinary_globs():
    for glob in ("**/*.py", "src/**", "*.ts", "services/**/handlers/*.go", "a?.py"):
        assert glob_problem(glob) is None
    assert glob_problem("") is not None and glob_problem(3) is not None
