"""Per-file reviewers on several processes give exactly the sequential result."""

from __future__ import annotations

import os

import pytest

from analysis.context import ReviewContext
from analysis.engine import review_pull_request
from analysis.file_shards import (
    MIN_ADDED_LINES_TO_SHARD,
    FileReviewWorkerError,
    plan_shards,
    review_files,
)
from analysis.files import FileView
from analysis.findings import line_finding
from analysis.policy import ReviewPolicy
from warden.records import Finding, FindingCategory, Severity

FILLER = 400  # lines per file: eight files are well above the sharding threshold


class PidReviewer:
    """Says which process reviewed each file (one finding on its first line)."""

    name = "pid"

    def prepare(self, views) -> None:
        pass

    def review_file(self, context: ReviewContext, view: FileView) -> list[Finding]:
        return [
            line_finding(
                context,
                view,
                1,
                rule_id="pid",
                category=FindingCategory.security,
                severity=Severity.low,
                confidence=0.5,
                message=str(os.getpid()),
                suggested_fix="-",
            )
        ]


class FailingReviewer:
    """Fails in the forked worker only, so the error has to cross the process boundary."""

    name = "failing"

    def __init__(self) -> None:
        self.parent = os.getpid()

    def prepare(self, views) -> None:
        pass

    def review_file(self, context: ReviewContext, view: FileView) -> list[Finding]:
        if os.getpid() != self.parent:
            raise ValueError(f"cannot review {view.path}")
        return []


def _service_files(build, count: int = 8):
    files = []
    for index in range(count):
        body = [f"value_{n} = {n}" for n in range(FILLER)]
        risky = [
            "import os, pickle, subprocess",
            "from flask import request",
            "def handler():",
            "    name = request.args['name']",
            "    os.system('ls ' + name)",
            "    return pickle.loads(request.data)",
            'AWS_KEY = "AKIA' + "QWERTYUIOPASDFGH" + '"',
        ]
        files.append(build.file(f"svc/module_{index}.py", risky + body))
    return files


def test_plan_shards_balances_work_and_keeps_every_file_once():
    sizes = [900, 10, 500, 400, 300, 20, 30]
    shards = plan_shards(sizes, 2)
    assert sorted(i for shard in shards for i in shard) == list(range(len(sizes)))
    loads = [sum(sizes[i] for i in shard) for shard in shards]
    assert max(loads) - min(loads) <= max(sizes[i] for i in range(len(sizes)) if i != 0)
    assert plan_shards(sizes, 2) == shards  # deterministic
    assert plan_shards([5], 4) == [[0]]


def test_files_are_reviewed_on_two_processes_in_file_order(build):
    context = build.context(_service_files(build))
    result = review_files(context, [PidReviewer()], workers=2)["pid"]
    assert [f.file_path for f in result] == [v.path for v in context.file_views()]
    pids = {f.message for f in result}
    assert str(os.getpid()) in pids and len(pids) == 2


def test_a_small_change_is_not_forked(build):
    small = [build.file("a.py", ["x = 1"]), build.file("b.py", ["y = 2"])]
    assert sum(len(v.added) for v in build.context(small).file_views()) < (MIN_ADDED_LINES_TO_SHARD)
    result = review_files(build.context(small), [PidReviewer()], workers=4)["pid"]
    assert {f.message for f in result} == {str(os.getpid())}


def test_a_failing_worker_is_an_error_with_its_traceback(build):
    context = build.context(_service_files(build))
    with pytest.raises(FileReviewWorkerError, match=r"ValueError: cannot review svc/module_\d\.py"):
        review_files(context, [FailingReviewer()], workers=2)


def test_parallel_review_equals_sequential_review(build):
    context = build.context(_service_files(build))
    policy = ReviewPolicy(max_comments=50)
    sequential = review_pull_request(context, policy, run_id="r")
    parallel = review_pull_request(context, policy, run_id="r", workers=2)
    assert len(sequential.findings) >= 3 * 8  # shell, deserialisation and the key per file
    assert parallel.model_dump() == sequential.model_dump()


def test_every_language_scanner_resolves_and_is_loaded_before_forking(build):
    from analysis.detectors import security_rules
    from analysis.files import CONFIG_LANGUAGES, JAVASCRIPT_FAMILY

    assert set(security_rules.SCANNERS) == {
        "python",
        "go",
        "java",
        *JAVASCRIPT_FAMILY,
        *CONFIG_LANGUAGES,
    }
    for language in security_rules.SCANNERS:
        assert callable(security_rules.scanner_for(language)), language
    assert security_rules.scanner_for("markdown") is None
    security_rules._loaded.clear()
    views = build.context([build.file("app.go", ["package app"])]).file_views()
    security_rules.SecurityRulesReviewer().prepare(views)
    assert list(security_rules._loaded) == [security_rules.SCANNERS["go"]]
