"""Go: bluemonday policies (inline, in a package variable, in a struct field) sanitise HTML
before `template.HTML`; a `Sanitize` method of another type, and unsanitised text, do not."""

import pytest

from tests.analysis.security.review import review, rule_lines

HEAD = [
    "package comments",
    "",
    "import (",
    '\t"html/template"',
    '\t"net/http"',
    '\t"github.com/microcosm-cc/bluemonday"',
    ")",
    "",
]


def _rules(build, lines: list[str]) -> list[tuple[str, int]]:
    return rule_lines(review(build, "internal/comments/render.go", HEAD + lines))


def _preview(expression: str, *preamble: str) -> list[str]:
    return [
        *preamble,
        "func preview(w http.ResponseWriter, r *http.Request) {",
        '\tbody := r.PostFormValue("body")',
        f"\tview := struct{{ Body template.HTML }}{{Body: template.HTML({expression})}}",
        '\t_ = pageTemplate.ExecuteTemplate(w, "preview.html", view)',
        "}",
    ]


@pytest.mark.parametrize(
    ("expression", "preamble"),
    [
        ("bluemonday.StrictPolicy().Sanitize(body)", ()),
        ("commentPolicy.Sanitize(body)", ("var commentPolicy = bluemonday.UGCPolicy()", "")),
        ("string(commentPolicy.SanitizeBytes([]byte(body)))",
         ("var commentPolicy *bluemonday.Policy", "")),
    ],
)  # fmt: skip
def test_bluemonday_policy_output_is_safe_html(build, expression, preamble):
    assert _rules(build, _preview(expression, *preamble)) == []


def test_policy_held_in_a_struct_field_sanitises_stored_text(build):
    code = [
        "type Renderer struct {",
        "\tclean *bluemonday.Policy",
        "}",
        "",
        "func (rd *Renderer) Card(c Comment) template.HTML {",
        "\treturn template.HTML(rd.clean.Sanitize(c.Markdown + c.Signature))",
        "}",
    ]
    assert _rules(build, code) == []


@pytest.mark.parametrize(
    ("expression", "preamble"),
    [
        ("body", ()),
        ("trimmer.Sanitize(body)", ("var trimmer = markup.NewWhitespaceTrimmer()", "")),
    ],
)  # fmt: skip
def test_unsanitised_or_other_sanitize_methods_are_xss(build, expression, preamble):
    code = _preview(expression, *preamble)
    line = len(HEAD) + len(preamble) + 3
    assert _rules(build, code) == [("xss", line)]
