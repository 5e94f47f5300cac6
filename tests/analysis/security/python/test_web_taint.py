"""Web classes: XSS, path traversal, SSRF, open redirect, mass assignment, error details in
responses and session cookies; with their sanitised / validated near misses."""

import pytest

from tests.analysis.security.python.scanning import marked_line, scan

FLASK = """
import os, traceback, requests, httpx
from pathlib import Path
from urllib.parse import urlparse
from flask import Flask, request, redirect, send_file, jsonify, make_response, url_for
from markupsafe import Markup, escape
from werkzeug.utils import secure_filename
app = Flask(__name__)
BASE = Path("/srv/files").resolve()
ALLOWED_HOSTS = {"api.example.com"}
UPLOADS = "/srv/uploads"
"""

POSITIVES = [
    (
        "markup",
        "xss",
        """
@app.route("/bio")
def bio():
    return Markup(request.args["bio"])  # <-
""",
    ),
    (
        "html-response",
        "xss",
        """
@app.route("/hi")
def hi():
    name = request.args["name"]
    return make_response(f"<h1>Hello {name}</h1>")  # <-
""",
    ),
    (
        "returned-html",
        "xss",
        """
@app.route("/hi")
def hi():
    return "<p>" + request.args["q"] + "</p>"  # <-
""",
    ),
    (
        "inline-safe-filter",
        "xss",
        """
from flask import render_template_string
@app.route("/bio")
def bio():
    return render_template_string("<div>{{ bio|safe }}</div>", bio=request.form["bio"])  # <-
""",
    ),
    (
        "django-mark-safe",
        "xss",
        """
from django.utils.safestring import mark_safe
def comment(request):
    return mark_safe(request.POST["comment"])  # <-
""",
    ),
    (
        "open-join",
        "path-traversal",
        """
@app.route("/read")
def read():
    path = os.path.join(UPLOADS, request.args["name"])
    with open(path) as handle:  # <-
        return handle.read()
""",
    ),
    (
        "send-file",
        "path-traversal",
        """
@app.route("/dl")
def download():
    return send_file(request.args["file"])  # <-
""",
    ),
    (
        "path-read-text",
        "path-traversal",
        """
@app.route("/doc/<name>")
def doc(name):
    return (BASE / name).read_text()  # <-
""",
    ),
    (
        "upload-save",
        "path-traversal",
        """
@app.route("/up", methods=["POST"])
def upload():
    upload = request.files["f"]
    upload.save(os.path.join(UPLOADS, upload.filename))  # <-
""",
    ),
    (
        "ssrf-direct",
        "ssrf",
        """
@app.route("/fetch")
def fetch():
    return requests.get(request.args["url"]).text  # <-
""",
    ),
    (
        "ssrf-host",
        "ssrf",
        """
def call(host):
    return httpx.get(f"https://{host}/status")  # <-

@app.route("/probe")
def probe():
    return call(request.args["host"]).text
""",
    ),
    (
        "redirect-next",
        "open-redirect",
        """
@app.route("/login")
def login():
    return redirect(request.args["next"])  # <-
""",
    ),
    (
        "redirect-variable",
        "open-redirect",
        """
@app.route("/go")
def go():
    target = request.args.get("to", "/")
    return redirect(target)  # <-
""",
    ),
    (
        "mass-kwargs",
        "mass-assignment",
        """
@app.route("/users", methods=["POST"])
def create():
    user = User(**request.json)  # <-
    return jsonify(user.id)
""",
    ),
    (
        "mass-dict-update",
        "mass-assignment",
        """
@app.route("/users/<int:uid>", methods=["PUT"])
def update(uid):
    user = load(uid)
    user.__dict__.update(request.get_json())  # <-
""",
    ),
    (
        "mass-setattr",
        "mass-assignment",
        """
@app.route("/users/<int:uid>", methods=["PATCH"])
def patch(uid):
    user = load(uid)
    for key, value in request.json.items():
        setattr(user, key, value)  # <-
""",
    ),
    (
        "traceback-returned",
        "information-leak",
        """
@app.route("/x")
def x():
    try:
        return work()
    except Exception:
        return jsonify(error=traceback.format_exc()), 500  # <-
""",
    ),
    (
        "exception-text-returned",
        "information-leak",
        """
@app.route("/y")
def y():
    try:
        return work()
    except Exception as error:
        return {"error": str(error)}, 500  # <-
""",
    ),
    (
        "session-cookie",
        "insecure-cookie",
        """
@app.route("/in")
def sign_in():
    response = make_response("ok")
    response.set_cookie("session_id", new_session())  # <-
    return response
""",
    ),
    (
        "django-setting",
        "insecure-cookie",
        """
SESSION_COOKIE_SECURE = False  # <-
""",
    ),
]

NEAR_MISSES = [
    (
        "markup-escaped",
        """
@app.route("/bio")
def bio():
    return Markup("<b>%s</b>") % escape(request.args["bio"])
""",
    ),
    (
        "returned-escaped-html",
        """
@app.route("/hi")
def hi():
    return "<p>" + escape(request.args["q"]) + "</p>"
""",
    ),
    (
        "json-response",
        """
@app.route("/hi")
def hi():
    return jsonify(name=request.args["name"])
""",
    ),
    (
        "secure-filename",
        """
@app.route("/up", methods=["POST"])
def upload():
    upload = request.files["f"]
    upload.save(os.path.join(UPLOADS, secure_filename(upload.filename)))
""",
    ),
    (
        "resolved-and-checked",
        """
@app.route("/doc")
def doc():
    target = (BASE / request.args["name"]).resolve()
    if not target.is_relative_to(BASE):
        return "no", 404
    return send_file(target)
""",
    ),
    (
        "basename",
        """
@app.route("/read")
def read():
    name = os.path.basename(request.args["name"])
    with open(os.path.join(UPLOADS, name)) as handle:
        return handle.read()
""",
    ),
    (
        "constant-file",
        """
@app.route("/terms")
def terms():
    return send_file("static/terms.pdf")
""",
    ),
    (
        "ssrf-fixed-host",
        """
@app.route("/user")
def user():
    return requests.get(f"https://api.example.com/users/{request.args['id']}").json()
""",
    ),
    (
        "ssrf-allow-listed",
        """
@app.route("/fetch")
def fetch():
    url = request.args["url"]
    if urlparse(url).netloc not in ALLOWED_HOSTS:
        return "forbidden", 403
    return requests.get(url).text
""",
    ),
    (
        "redirect-url-for",
        """
@app.route("/login")
def login():
    return redirect(url_for("index", next=request.args.get("next")))
""",
    ),
    (
        "redirect-validated",
        """
@app.route("/go")
def go():
    target = request.args.get("to", "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    return redirect("/home")
""",
    ),
    (
        "redirect-relative-path",
        """
@app.route("/item")
def item():
    return redirect(f"/items/{request.args['id']}")
""",
    ),
    (
        "explicit-fields",
        """
@app.route("/users", methods=["POST"])
def create():
    body = request.json
    return jsonify(User(name=body["name"], email=body["email"]).id)
""",
    ),
    (
        "logged-not-returned",
        """
import logging
log = logging.getLogger(__name__)
@app.route("/x")
def x():
    try:
        return work()
    except Exception:
        log.exception("work failed")
        return jsonify(error="internal error"), 500
""",
    ),
    (
        "specific-error-message",
        """
@app.route("/y")
def y():
    try:
        return parse(request.args["v"])
    except ValueError as error:
        return {"error": str(error)}, 400
""",
    ),
    (
        "secure-cookie",
        """
@app.route("/in")
def sign_in():
    response = make_response("ok")
    response.set_cookie("session_id", new_session(), secure=True, httponly=True)
    response.set_cookie("theme", "dark")
    return response
""",
    ),
]


@pytest.mark.parametrize(("case", "rule_id", "body"), POSITIVES, ids=[c[0] for c in POSITIVES])
def test_true_positive(build, case, rule_id, body):
    source = FLASK + body
    hits = scan(build, source)
    matching = [hit for hit in hits if hit.rule_id == rule_id]
    assert matching, (case, hits)
    assert matching[0].line == marked_line(source)


@pytest.mark.parametrize(("case", "body"), NEAR_MISSES, ids=[c[0] for c in NEAR_MISSES])
def test_near_miss_is_quiet(build, case, body):
    assert scan(build, FLASK + body) == []


def test_fastapi_parameters_are_request_data_unless_typed_or_injected(build):
    source = """
import requests
from fastapi import FastAPI, Depends
app = FastAPI()

@app.get("/fetch")
def fetch(url: str, limit: int = 10, client=Depends(get_client)):
    requests.get(url)  # <-
    requests.get(client.base_url)
    return limit
"""
    hits = scan(build, source)
    assert [(h.rule_id, h.line) for h in hits] == [("ssrf", marked_line(source))]
    assert hits[0].detail.startswith("route parameter url")
