"""A criterion's field serialised under another name: Go `json:"..."` struct tags,
Jackson `@JsonProperty`, pydantic aliases and model fields. Only the name a client sees
counts; identifiers, unrelated fields and records the criterion does not describe stay
quiet."""

from analysis.detectors.requirement_wire import serialised_rename, wire_names
from analysis.detectors.requirements import RequirementsReviewer
from analysis.files import FileView

BODY = "The JSON body has `state`, `progress_pct` (0-100) and `download_url`"
ORDER = "The response carries `order_id`, `status` and `created_at`"


def _review(build, files, criteria):
    ticket = build.ticket("OPS-7", criteria, title="Export status")
    context = build.context(files, tickets=[ticket])
    reviewer = RequirementsReviewer()
    return reviewer.review(context, []), reviewer.verdicts(context)


def _contradictions(findings):
    return [
        (f.file_path, f.start_line) for f in findings if f.rule_id == "requirement-contradicted"
    ]


def _go_status(progress_tag: str, value: str = "job.ProgressPct") -> list[str]:
    return [
        "package jobs",
        "",
        "type statusBody struct {",
        '\tState       string `json:"state"`',
        f'\tProgress    int    `json:"{progress_tag}"`',
        '\tDownloadURL string `json:"download_url,omitempty"`',
        "}",
        "",
        "func render(job Job) statusBody {",
        f"\treturn statusBody{{State: job.State, Progress: {value}}}",
        "}",
    ]


def test_go_tag_cut_short_contradicts_the_ticket_field(build):
    file = build.file("jobs/status.go", _go_status("progress"))
    findings, verdicts = _review(build, [file], [BODY])
    assert _contradictions(findings) == [("jobs/status.go", 5)]
    assert "`progress_pct`" in findings[0].message and "`progress`" in findings[0].message
    assert findings[0].confidence == 0.75  # the code holds the value as ProgressPct
    assert verdicts[0].verdict == "not_met"


def test_go_tag_without_the_ticket_name_in_code_is_less_sure(build):
    file = build.file("jobs/status.go", _go_status("progress", value="job.Done"))
    findings, _ = _review(build, [file], [BODY])
    assert _contradictions(findings) == [("jobs/status.go", 5)]
    assert findings[0].confidence == 0.6


def test_go_tag_as_the_ticket_says_is_quiet_whatever_the_go_field_is_called(build):
    file = build.file("jobs/status.go", _go_status("progress_pct"))
    findings, _ = _review(build, [file], [BODY])
    assert _contradictions(findings) == []


def test_tag_of_another_field_is_no_rename_of_a_missing_one(build):
    code = [
        "package orders",
        "",
        "type orderBody struct {",
        '\tOrderID   string `json:"order_id"`',
        '\tStatus    string `json:"status"`',
        '\tCreatedBy string `json:"created_by"`',
        "}",
    ]
    findings, _ = _review(build, [build.file("orders/body.go", code)], [ORDER])
    assert _contradictions(findings) == []


def test_record_sharing_no_field_with_the_criterion_is_not_the_one_it_describes(build):
    code = [
        "package audit",
        "",
        "type auditRow struct {",
        '\tProgress int    `json:"progress"`',
        '\tActor    string `json:"actor"`',
        "}",
    ]
    findings, _ = _review(build, [build.file("audit/row.go", code)], [BODY])
    assert _contradictions(findings) == []


def test_shorter_name_the_ticket_also_uses_is_not_a_substitute(build):
    criteria = [BODY, "While the export runs, `progress` is estimated from the row count"]
    findings, _ = _review(build, [build.file("jobs/status.go", _go_status("progress"))], criteria)
    assert _contradictions(findings) == []


def test_ticket_name_sent_as_a_map_key_elsewhere_is_quiet(build):
    code = [
        *_go_status("progress"),
        "",
        "func legacy(job Job) map[string]any {",
        '\treturn map[string]any{"state": job.State, "progress_pct": job.ProgressPct}',
        "}",
    ]
    findings, _ = _review(build, [build.file("jobs/status.go", code)], [BODY])
    assert _contradictions(findings) == []


def test_jackson_property_renamed_contradicts(build):
    code = [
        "package com.acme.jobs;",
        "",
        "public record StatusBody(",
        '    @JsonProperty("state") String state,',
        '    @JsonProperty("progress") int progressPct,',
        '    @JsonProperty("download_url") String downloadUrl) {}',
    ]
    file = build.file("src/main/java/com/acme/jobs/StatusBody.java", code)
    findings, _ = _review(build, [file], [BODY])
    assert _contradictions(findings) == [("src/main/java/com/acme/jobs/StatusBody.java", 5)]


def test_pydantic_serialization_alias_renamed_contradicts(build):
    code = [
        "from pydantic import BaseModel, Field",
        "",
        "class StatusBody(BaseModel):",
        "    state: str",
        '    progress_pct: int = Field(serialization_alias="progress")',
        "    download_url: str | None = None",
    ]
    findings, _ = _review(build, [build.file("jobs/schemas.py", code)], [BODY])
    assert _contradictions(findings) == [("jobs/schemas.py", 5)]


def test_pydantic_model_field_extended_contradicts(build):
    code = [
        "from pydantic import BaseModel",
        "",
        "class OrderBody(BaseModel):",
        "    order_id: str",
        "    status: str",
        "    created_at_utc: str",
        "",
        "    def label(self) -> str:",
        "        created_at: str = self.created_at_utc",
        "        return created_at",
    ]
    findings, _ = _review(build, [build.file("orders/schemas.py", code)], [ORDER])
    assert _contradictions(findings) == [("orders/schemas.py", 6)]


def test_pydantic_alias_generator_hides_attribute_names(build):
    code = [
        "from pydantic import BaseModel, ConfigDict",
        "from pydantic.alias_generators import to_camel",
        "",
        "class OrderBody(BaseModel):",
        "    model_config = ConfigDict(alias_generator=to_camel)",
        "    order_id: str",
        "    status: str",
        "    created_at_utc: str",
    ]
    findings, _ = _review(build, [build.file("orders/schemas.py", code)], [ORDER])
    assert _contradictions(findings) == []


def test_plain_python_class_attributes_are_not_serialised_names(build):
    code = [
        "from dataclasses import dataclass",
        "",
        "@dataclass",
        "class OrderRow:",
        "    order_id: str",
        "    status: str",
        "    created_at_utc: str",
    ]
    findings, _ = _review(build, [build.file("orders/rows.py", code)], [ORDER])
    assert _contradictions(findings) == []


def test_wire_names_read_tags_annotations_and_model_fields(build):
    go = build.file(
        "a/body.go",
        [
            "type body struct {",
            '\tSkipped string `json:"-"`',
            '\tCount   int    `json:",omitempty"`',
            '\tName    string `db:"name" json:"display_name,omitempty"`',
            "}",
        ],
    )
    names = [(n.name, n.line, n.record) for n in wire_names([FileView(go)])]
    assert names == [("Count", 3, 1), ("display_name", 4, 1)]


def test_serialised_rename_needs_the_same_leading_or_trailing_words(build):
    go = build.file("a/body.go", _go_status("pct_progress"))
    names = wire_names([FileView(go)])
    siblings = frozenset({"state", "download_url"})
    assert serialised_rename("progress_pct", siblings, names, frozenset(), "") is None
    swapped = wire_names([FileView(build.file("a/body.go", _go_status("progress")))])
    found = serialised_rename("progress_pct", siblings, swapped, frozenset(), "")
    assert found is not None and (found.name, found.line) == ("progress", 5)


EVENT = "Each delivery carries exactly the fields `event_type`, `occurred_at` and `payload`"


def test_a_dict_literal_key_renaming_the_ticket_field_is_a_contradiction(build):
    code = [
        "def envelope(kind, payload, when):",
        "    return {",
        '        "type": kind,',
        '        "occurred_at": when.isoformat(),',
        '        "payload": payload,',
        "    }",
    ]
    findings, _ = _review(build, [build.file("hooks/envelope.py", code)], [EVENT])
    assert _contradictions(findings) == [("hooks/envelope.py", 3)]


def test_object_literal_keys_count_in_javascript_and_unrelated_literals_do_not(build):
    renamed = ["export const envelope = (k, p, t) => ({ type: k, occurred_at: t, payload: p });"]
    findings, _ = _review(build, [build.file("src/envelope.ts", renamed)], [EVENT])
    assert _contradictions(findings) == [("src/envelope.ts", 1)]
    spelled = [
        "export const envelope = (k, p, t) => ({ event_type: k, occurred_at: t, payload: p });",
        "const styles = { type: 'primary', size: 'sm' };",
    ]
    findings, _ = _review(build, [build.file("src/envelope.ts", spelled)], [EVENT])
    assert _contradictions(findings) == []
    unrelated = ["const button = { type: 'submit', label: 'Send' };"]
    findings, _ = _review(build, [build.file("src/button.ts", unrelated)], [EVENT])
    assert _contradictions(findings) == []
