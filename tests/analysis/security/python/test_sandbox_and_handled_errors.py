"""Jinja's sandboxed environments are the documented way to render untrusted templates;
messages of named, expected exceptions are not internal error details, while catch-all
handlers (also inside a tuple) still are."""

import pytest

from tests.analysis.security.python.scanning import marked_line, scan

FLASK = """
import jinja2
from jinja2 import Environment, TemplateError
from jinja2.sandbox import SandboxedEnvironment, ImmutableSandboxedEnvironment
from jinja2 import sandbox
from flask import Flask, request, jsonify
app = Flask(__name__)
"""

SANDBOXED = {
    "module-level-sandbox": """
templates = SandboxedEnvironment(autoescape=True)

@app.post("/notices/render")
def render_notice():
    body = request.json["body"]
    return templates.from_string(body).render(user="ada")
""",
    "immutable-sandbox-in-the-handler": """
@app.post("/notices/render")
def render_notice():
    env = ImmutableSandboxedEnvironment()
    return env.from_string(request.form["body"]).render()
""",
    "sandbox-module-chained": """
@app.post("/notices/render")
def render_notice():
    return sandbox.SandboxedEnvironment().from_string(request.form["body"]).render()
""",
}

UNSANDBOXED = {
    "plain-environment": """
templates = Environment(autoescape=True)

@app.post("/notices/render")
def render_notice():
    body = request.json["body"]
    return templates.from_string(body).render(user="ada")  # <-
""",
    "template-class-next-to-a-sandbox": """
templates = SandboxedEnvironment()

@app.post("/notices/render")
def render_notice():
    return jinja2.Template(request.form["body"]).render()  # <-
""",
}


@pytest.mark.parametrize("name", sorted(SANDBOXED))
def test_user_template_in_a_sandboxed_environment_is_quiet(build, name):
    assert scan(build, FLASK + SANDBOXED[name]) == []


@pytest.mark.parametrize("name", sorted(UNSANDBOXED))
def test_user_template_outside_the_sandbox_is_reported(build, name):
    source = FLASK + UNSANDBOXED[name]
    hits = [(h.rule_id, h.line) for h in scan(build, source)]
    assert hits == [("template-injection", marked_line(source))]


def _handler(caught: str, mark: str = "") -> str:
    return f"""
@app.post("/notices/preview")
def preview():
    try:
        text = SandboxedEnvironment().from_string(request.json["body"]).render()
    except {caught} as exc:
        return jsonify(error=str(exc)), 422{mark}
    return jsonify(text=text)
"""


@pytest.mark.parametrize(
    "caught", ["(TemplateError, KeyError)", "TemplateError", "(jinja2.TemplateError, ValueError)"]
)
def test_message_of_named_expected_exceptions_is_not_a_leak(build, caught):
    assert scan(build, FLASK + _handler(caught)) == []


@pytest.mark.parametrize("caught", ["(TemplateError, Exception)", "Exception", "BaseException"])
def test_catch_all_exception_text_in_the_response_is_a_leak(build, caught):
    source = FLASK + _handler(caught, "  # <-")
    hits = [(h.rule_id, h.line) for h in scan(build, source)]
    assert hits == [("information-leak", marked_line(source))]
