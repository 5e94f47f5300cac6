"""Flows through a local helper: one finding per flow, anchored at the sink inside the
helper when that line is part of the change, else at the changed call site; the message
names the request source, the call and the sink."""

from tests.analysis.security.python.scanning import scan

HEADER = """
import subprocess
from flask import Flask, request
app = Flask(__name__)
"""

HELPER = """
def compress(folder):
    return subprocess.check_output("zip -r out.zip " + folder, shell=True)
"""

CALLER = """
@app.post("/bundle")
def bundle():
    folder = request.form["folder"]
    return compress(folder)
"""


def _line_of(source: str, text: str) -> int:
    lines = source.strip("\n").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_helper_and_caller_both_added_report_the_sink_inside_the_helper(build):
    source = HEADER + HELPER + CALLER
    hits = scan(build, source)
    assert [(h.rule_id, h.line) for h in hits] == [
        ("shell-injection", _line_of(source, "check_output("))
    ]
    call_line = _line_of(source, "return compress(folder)")
    assert "request.form['folder']" in hits[0].detail
    assert f"compress() (line {call_line}) -> subprocess.check_output" in hits[0].detail


def test_unchanged_helper_reports_the_added_call_site(build):
    before = HEADER + HELPER
    after = HEADER + HELPER + CALLER
    hits = scan(build, after, before=before)
    assert [(h.rule_id, h.line) for h in hits] == [
        ("shell-injection", _line_of(after, "return compress(folder)"))
    ]


def test_changed_helper_with_an_unchanged_caller_reports_the_sink(build):
    safe_helper = """
def compress(folder):
    return subprocess.check_output(["zip", "-r", "out.zip", folder])
"""
    before = HEADER + safe_helper + CALLER
    after = HEADER + HELPER + CALLER
    hits = scan(build, after, before=before)
    assert [(h.rule_id, h.line) for h in hits] == [
        ("shell-injection", _line_of(after, "check_output("))
    ]


def test_two_callers_of_one_helper_give_one_finding(build):
    second = """
@app.get("/bundle-by-name")
def bundle_by_name():
    return compress(request.args["name"])
"""
    hits = scan(build, HEADER + HELPER + CALLER + second)
    assert [h.rule_id for h in hits] == ["shell-injection"]


def test_nested_helpers_anchor_at_the_innermost_sink(build):
    source = (
        HEADER
        + HELPER
        + """
def archive_upload(name):
    return compress("uploads/" + name)

@app.post("/archive")
def archive():
    return archive_upload(request.form["name"])
"""
    )
    hits = scan(build, source)
    assert [(h.rule_id, h.line) for h in hits] == [
        ("shell-injection", _line_of(source, "check_output("))
    ]


def test_helper_running_an_argument_list_without_a_shell_stays_quiet(build):
    argv_helper = """
def compress(folder):
    return subprocess.check_output(["zip", "-r", "out.zip", "--", folder])
"""
    assert scan(build, HEADER + argv_helper + CALLER) == []


def test_without_head_content_the_helper_sink_is_still_preferred(build):
    source = HEADER + HELPER + CALLER
    hits = scan(build, source, with_content=False)
    assert [(h.rule_id, h.line) for h in hits] == [
        ("shell-injection", _line_of(source, "check_output("))
    ]


def test_without_head_content_problems_in_two_hunks_stay_two_findings(build):
    filler = "".join(f"LIMIT_{n} = {n}\n" for n in range(30))
    route = """
@app.post("/{name}")
def {name}():
    return subprocess.check_output("du -sh " + request.form["dir"], shell=True)
"""
    before = HEADER + filler
    after = HEADER + route.format(name="first") + filler + route.format(name="second")
    hits = scan(build, after, before=before, with_content=False)
    lines = [n for n, text in enumerate(after.strip("\n").splitlines(), 1) if "du -sh" in text]
    assert [(h.rule_id, h.line) for h in hits] == [("shell-injection", n) for n in lines]
