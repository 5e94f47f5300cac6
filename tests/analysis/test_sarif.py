"""SARIF 2.1.0 in the shape GitHub code scanning documents for uploads (checked offline)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from analysis.engine import review_pull_request
from analysis.policy import ReviewPolicy
from analysis.sarif import artifact_uri, to_sarif
from warden.records import Severity

LEVELS = {"none", "note", "warning", "error"}
PRECISIONS = {"very-high", "high", "medium", "low"}
BEFORE = ["import os, requests", "def job(cmd):", "    return 1"]
AFTER = [
    "import os, requests",
    "def job(cmd):",
    "    os.system(cmd)",
    '    requests.get("https://x", verify=False)',
    "    return 1",
]


def check_code_scanning_sarif(log: dict[str, Any]) -> list[dict[str, Any]]:
    """The structural rules GitHub's "SARIF support for code scanning" page lists for an
    upload; returns the results. Fails the test with the first violation."""
    json.dumps(log)  # serialisable
    assert log["version"] == "2.1.0"
    assert isinstance(log["$schema"], str) and log["$schema"].startswith("https://")
    assert isinstance(log["runs"], list) and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] and isinstance(driver["version"], str)
    assert re.match(r"^https?://", driver["informationUri"])
    rules = driver["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids)), "rule ids are unique"
    for rule in rules:
        assert rule["id"] and rule["name"]
        for key in ("shortDescription", "fullDescription", "help"):
            assert isinstance(rule[key]["text"], str) and rule[key]["text"].strip()
        assert len(rule["shortDescription"]["text"]) <= 1024
        assert rule["defaultConfiguration"]["level"] in LEVELS
        properties = rule["properties"]
        assert all(isinstance(tag, str) for tag in properties["tags"])
        assert properties["precision"] in PRECISIONS
        if "security-severity" in properties:
            assert 0.0 < float(properties["security-severity"]) <= 10.0
    for result in run["results"]:
        assert result["ruleId"] in ids
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in LEVELS
        assert result["message"]["text"].strip()
        assert 1 <= len(result["locations"]) <= 10
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri), "relative, no scheme"
        assert not uri.startswith("/") and "\\" not in uri and ".." not in uri.split("/")
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        region = physical["region"]
        assert region["startLine"] >= 1 and region["endLine"] >= region["startLine"]
        fingerprints = result["partialFingerprints"]
        assert fingerprints and all(isinstance(v, str) for v in fingerprints.values())
    return run["results"]


def _outcome(build, path="services/jobs/run.py"):
    context = build.context([build.file(path, AFTER, BEFORE)])
    return review_pull_request(context, ReviewPolicy(), run_id="r")


def test_sarif_meets_code_scanning_structure_with_security_tags_and_cwe(build, tmp_path):
    outcome = _outcome(build)
    log = to_sarif(outcome, tmp_path)
    results = check_code_scanning_sarif(log)
    assert {r["ruleId"] for r in results} == {f.rule_id for f in outcome.reportable}
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    shell = rules["shell-injection"]
    assert "security" in shell["properties"]["tags"] and "CWE-78" in shell["properties"]["tags"]
    assert shell["defaultConfiguration"]["level"] == "error"
    assert "subprocess.run" in shell["help"]["text"]  # the fix
    assert float(shell["properties"]["security-severity"]) >= 7.0
    by_rule = {r["ruleId"]: r for r in results}
    finding = next(f for f in outcome.reportable if f.rule_id == "shell-injection")
    assert by_rule["shell-injection"]["partialFingerprints"] == {"warden/v1": finding.fingerprint}
    region = by_rule["shell-injection"]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["endLine"]) == (3, 3)


def test_uris_are_relative_to_the_scanned_root_with_forward_slashes(build, tmp_path):
    outcome = _outcome(build, path="src/my app/run.py")
    results = check_code_scanning_sarif(to_sarif(outcome, tmp_path))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"src/my%20app/run.py"}
    assert artifact_uri(str(tmp_path / "pkg" / "mod.py"), tmp_path) == "pkg/mod.py"
    assert artifact_uri("pkg\\win\\mod.py", tmp_path) == "pkg/win/mod.py"
    with pytest.raises(ValueError):
        artifact_uri("../outside.py", tmp_path)
    with pytest.raises(ValueError):
        artifact_uri(str(Path("/elsewhere/x.py")), tmp_path)


def test_findings_about_no_file_stay_out_of_results_but_are_listed(build, tmp_path):
    outcome = _outcome(build)
    drift = outcome.reportable[0].model_copy(
        update={
            "rule_id": "requirement-not-evidenced",
            "file_path": None,
            "start_line": None,
            "end_line": None,
            "fingerprint": "c" * 64,
        }
    )
    log = to_sarif(outcome, tmp_path, findings=[*outcome.reportable, drift])
    results = check_code_scanning_sarif(log)
    assert "c" * 64 not in {r["partialFingerprints"]["warden/v1"] for r in results}
    listed = log["runs"][0]["properties"]["warden"]["unlocatedFindings"]
    assert [entry["fingerprint"] for entry in listed] == ["c" * 64]


def test_levels_follow_severity(build, tmp_path):
    outcome = _outcome(build)
    medium = outcome.reportable[0].model_copy(
        update={"severity": Severity.medium, "fingerprint": "b" * 64}
    )
    low = outcome.reportable[0].model_copy(
        update={"severity": Severity.low, "fingerprint": "9" * 64}
    )
    results = check_code_scanning_sarif(to_sarif(outcome, tmp_path, findings=[medium, low]))
    assert [r["level"] for r in results] == ["warning", "note"]
