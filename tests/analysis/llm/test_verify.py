"""Tool output validation and the verification pass (evidence must really be there)."""

from __future__ import annotations

import jsonschema
import pytest

from analysis.detectors.security_rules import SecurityRulesReviewer
from analysis.llm.context_pack import build_context_pack
from analysis.llm.fences import new_fence
from analysis.llm.prompts import load_prompt
from analysis.llm.schema import TOOL_INPUT_SCHEMA, InvalidToolOutput, parse_submission
from analysis.llm.verify import verify_submission

SQL_LINE = "cursor.execute(f\"SELECT * FROM users WHERE name = '{user}'\")"


def finding(**overrides):
    base = {
        "category": "security",
        "rule_id": "sql-injection",
        "cwe": "CWE-89",
        "file": "services/auth/login.py",
        "start_line": 3,
        "end_line": 3,
        "severity": "high",
        "confidence": 0.9,
        "message": "User input is formatted into SQL.",
        "code_quote": SQL_LINE,
        "suggested_fix": "Use a bound parameter.",
    }
    return {**base, **overrides}


def verify(context, findings, criteria=(), hints=None):
    hints = hints if hints is not None else []
    pack = build_context_pack(
        context,
        hints,
        load_prompt(),
        budget_tokens=50_000,
        fence=new_fence(),
        stable_fence=new_fence(),
    )
    submission = parse_submission({"findings": list(findings), "criteria": list(criteria)})
    return verify_submission(context, submission, pack, hints)


def test_schema_sent_to_the_model_accepts_what_pydantic_accepts() -> None:
    payload = {
        "findings": [finding(cites={"kind": "criterion", "ref": "C1", "quote": "5 failed"})],
        "criteria": [{"criterion_id": "C1", "verdict": "met", "reason": "r", "evidence": []}],
    }
    jsonschema.validate(payload, TOOL_INPUT_SCHEMA)
    parse_submission(payload)


@pytest.mark.parametrize(
    "payload, problem, schema_says_so",
    [
        (None, "no call to the submit_review tool", False),
        ({"findings": []}, "criteria: Field required", True),
        ({"findings": [finding(severity="urgent")], "criteria": []}, "findings.0.severity", True),
        # line order is beyond JSON schema: only the validator catches it
        ({"findings": [finding(start_line=5, end_line=4)], "criteria": []}, "end_line", False),
        ({"findings": [], "criteria": [], "approve": True}, "approve: Extra inputs", True),
    ],
)
def test_invalid_tool_output_is_summarised(payload, problem, schema_says_so) -> None:
    with pytest.raises(InvalidToolOutput) as caught:
        parse_submission(payload)
    assert problem in caught.value.summary
    if schema_says_so:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(payload, TOOL_INPUT_SCHEMA)


def test_a_finding_with_its_evidence_in_the_added_lines_is_kept(login_context) -> None:
    result = verify(login_context, [finding(rule_id="Shell Thing", category="security")])
    assert not result.rejected
    (kept,) = result.findings
    assert kept.rule_id == "llm-shell-thing"
    assert (kept.file_path, kept.start_line) == ("services/auth/login.py", 3)
    assert kept.confidence == 0.85  # capped: self-reported confidence never reads as certain
    assert kept.evidence_source == "services/auth/login.py:3 (LLM review)"


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"code_quote": "os.system(user_input)"}, "code quote is not in the cited lines"),
        (
            {"start_line": 1, "end_line": 1, "code_quote": "def login(user, password):"},
            "line 1 is not an added line",
        ),
        ({"file": "services/other.py"}, "not a changed file"),
        ({"confidence": 0.3}, "below"),
        ({"category": "requirement_drift", "rule_id": "limit"}, "cites no criterion"),
        (
            {
                "category": "requirement_drift",
                "cites": {"kind": "criterion", "ref": "C1", "quote": "after 3 failed attempts"},
            },
            "quote is not in the cited criterion",
        ),
        (
            {
                "category": "standards",
                "cites": {"kind": "doc_section", "ref": "Other#x", "quote": "must log failures"},
            },
            "section that was not given",
        ),
    ],
)
def test_findings_whose_evidence_does_not_check_out_are_dropped(
    login_context, overrides, reason
) -> None:
    result = verify(login_context, [finding(**overrides)])
    assert result.findings == [] and result.confirmed == []
    assert reason in result.rejected[0].reason


def test_cited_criterion_and_section_are_checked_and_kept(login_context) -> None:
    drift = finding(
        category="requirement_drift",
        rule_id="lockout-threshold",
        start_line=2,
        end_line=2,
        code_quote="attempts = 10",
        cites={"kind": "criterion", "ref": "C1", "quote": "After 5 failed login attempts"},
    )
    standard = finding(
        category="standards",
        rule_id="audit-log",
        start_line=2,
        end_line=2,
        code_quote="attempts = 10",
        cites={
            "kind": "doc_section",
            "ref": "Coding standard#auth",
            "quote": "must log failures through audit_log()",
        },
    )
    result = verify(login_context, [drift, standard])
    assert not result.rejected
    assert [f.evidence_source for f in result.findings] == [
        "ENG-1 criterion: After 5 failed login attempts the account is locked for 15 minutes"
        " (LLM review)",
        "Coding standard#auth (LLM review)",
    ]


def test_llm_and_deterministic_findings_merge_by_fingerprint(login_context) -> None:
    hints = SecurityRulesReviewer().review(login_context, [])
    (deterministic,) = [h for h in hints if h.rule_id == "sql-injection"]
    result = verify(login_context, [finding(), finding(confidence=0.95)], hints=hints)
    assert result.findings == []  # nothing new: the same finding, confirmed once
    (merged,) = result.confirmed
    assert merged.fingerprint == deterministic.fingerprint
    assert merged.message == deterministic.message
    assert merged.confidence == max(deterministic.confidence, 0.85)


def test_verdicts_need_added_line_evidence_to_be_met(login_context) -> None:
    result = verify(
        login_context,
        [],
        criteria=[
            {"criterion_id": "C1", "verdict": "met", "reason": "ok", "evidence": ["README.md:9"]},
            {"criterion_id": "C7", "verdict": "met", "reason": "?", "evidence": []},
        ],
    )
    (verdict,) = result.verdicts
    assert verdict.verdict == "needs_human" and verdict.source == "llm"
    assert verdict.ticket_key == "ENG-1" and verdict.evidence == []
    met = verify(
        login_context,
        [],
        criteria=[
            {
                "criterion_id": "C1",
                "verdict": "met",
                "reason": "ok",
                "evidence": ["services/auth/login.py:2"],
            }
        ],
    ).verdicts[0]
    assert met.verdict == "met" and met.evidence == ["services/auth/login.py:2"]
