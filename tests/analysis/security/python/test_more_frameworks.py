"""Tornado, Starlette, Sanic, Bottle, Pyramid and Falcon request sources and sinks, and
`random` used for invite / reset / verification codes; with their safe near misses."""

import pytest

from tests.analysis.security.python.scanning import marked_line, rules, scan

TORNADO = """
import os
import tornado.web
from tornado.httpclient import AsyncHTTPClient
ALLOWED = {"/home", "/account"}
"""
STARLETTE = """
import os
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, StreamingResponse
BASE = "/srv/files"
"""
SANIC = """
from sanic import Sanic, response
app = Sanic("app")
"""
BOTTLE = """
import subprocess
import bottle
from bottle import request, route
"""
PYRAMID = """
from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config
"""
FALCON = """
import falcon
import requests
"""

POSITIVES = [
    (
        "tornado-argument-shell",
        "shell-injection",
        TORNADO,
        """
class Ping(tornado.web.RequestHandler):
    def get(self):
        host = self.get_argument("host")
        os.system("ping -c 1 " + host)  # <-
""",
    ),
    (
        "tornado-query-argument-ssrf",
        "ssrf",
        TORNADO,
        """
class Proxy(tornado.web.RequestHandler):
    async def get(self):
        url = self.get_query_argument("url")
        response = await AsyncHTTPClient().fetch(url)  # <-
        self.finish(response.body)
""",
    ),
    (
        "tornado-redirect",
        "open-redirect",
        TORNADO,
        """
class Login(tornado.web.RequestHandler):
    def post(self):
        target = self.get_body_argument("next")
        self.redirect(target)  # <-
""",
    ),
    (
        "tornado-write-html",
        "xss",
        TORNADO,
        """
class Hello(tornado.web.RequestHandler):
    def get(self):
        name = self.get_argument("name")
        self.write(f"<h1>Hello {name}</h1>")  # <-
""",
    ),
    (
        "tornado-request-body-path",
        "path-traversal",
        TORNADO,
        """
class Save(tornado.web.RequestHandler):
    def put(self):
        name = self.request.body.decode()
        with open(os.path.join("/srv", name), "w") as handle:  # <-
            handle.write("x")
""",
    ),
    (
        "starlette-file-response",
        "path-traversal",
        STARLETTE,
        """
async def download(request: Request):
    name = request.query_params["name"]
    return FileResponse(os.path.join(BASE, name))  # <-
""",
    ),
    (
        "starlette-path-params-stream",
        "path-traversal",
        STARLETTE,
        """
async def stream(request: Request):
    name = request.path_params["name"]
    return StreamingResponse(open(name, "rb"))  # <-
""",
    ),
    (
        "starlette-form-redirect",
        "open-redirect",
        STARLETTE,
        """
async def done(request: Request):
    form = await request.form()
    return RedirectResponse(form["next"])  # <-
""",
    ),
    (
        "sanic-redirect",
        "open-redirect",
        SANIC,
        """
@app.get("/go")
async def go(request):
    return response.redirect(request.args.get("to"))  # <-
""",
    ),
    (
        "sanic-file",
        "path-traversal",
        SANIC,
        """
@app.get("/file")
async def file(request):
    return await response.file(request.args.get("path"))  # <-
""",
    ),
    (
        "bottle-forms-shell",
        "shell-injection",
        BOTTLE,
        """
@route("/convert", method="POST")
def convert():
    name = request.forms.get("name")
    subprocess.run(f"convert {name} out.png", shell=True)  # <-
""",
    ),
    (
        "pyramid-matchdict-redirect",
        "open-redirect",
        PYRAMID,
        """
@view_config(route_name="go")
def go(request):
    return HTTPFound(location=request.params["came_from"])  # <-
""",
    ),
    (
        "pyramid-matchdict-path",
        "path-traversal",
        PYRAMID,
        """
@view_config(route_name="doc")
def doc(request):
    with open("/srv/docs/" + request.matchdict["name"]) as handle:  # <-
        return handle.read()
""",
    ),
    (
        "falcon-get-param-ssrf",
        "ssrf",
        FALCON,
        """
class Fetch:
    def on_get(self, req, resp):
        target = req.get_param("url")
        resp.media = requests.get(target).json()  # <-
""",
    ),
    (
        "falcon-media-redirect",
        "open-redirect",
        FALCON,
        """
class Login:
    def on_post(self, req, resp):
        raise falcon.HTTPFound(req.media["next"])  # <-
""",
    ),
]

NEAR_MISSES = [
    (
        "tornado-allow-listed-redirect",
        TORNADO,
        """
class Login(tornado.web.RequestHandler):
    def post(self):
        target = self.get_body_argument("next")
        if target not in ALLOWED:
            target = "/home"
        self.redirect("/home" if target not in ALLOWED else "/account")
""",
    ),
    (
        "tornado-write-escaped",
        TORNADO,
        """
import tornado.escape
class Hello(tornado.web.RequestHandler):
    def get(self):
        count = int(self.get_argument("count"))
        self.write(f"<p>{count} items</p>")
""",
    ),
    (
        "tornado-write-json-dict",
        TORNADO,
        """
class Echo(tornado.web.RequestHandler):
    def get(self):
        self.write({"name": self.get_argument("name")})
""",
    ),
    (
        "tornado-fixed-host-fetch",
        TORNADO,
        """
class Status(tornado.web.RequestHandler):
    async def get(self):
        job = int(self.get_argument("job"))
        response = await AsyncHTTPClient().fetch(f"https://api.example.com/jobs/{job}")
        self.finish(response.body)
""",
    ),
    (
        "starlette-basename",
        STARLETTE,
        """
async def download(request: Request):
    name = os.path.basename(request.query_params["name"])
    return FileResponse(os.path.join(BASE, name))
""",
    ),
    (
        "pyramid-relative-redirect",
        PYRAMID,
        """
@view_config(route_name="go")
def go(request):
    return HTTPFound(location="/items/" + str(int(request.matchdict["id"])))
""",
    ),
    (
        "falcon-int-param",
        FALCON,
        """
class Fetch:
    def on_get(self, req, resp):
        page = int(req.get_param("page"))
        resp.media = requests.get(f"https://api.example.com/items?page={page}").json()
""",
    ),
    (
        "bottle-list-args",
        BOTTLE,
        """
@route("/convert", method="POST")
def convert():
    name = request.forms.get("name")
    subprocess.run(["convert", name, "out.png"])
""",
    ),
]


@pytest.mark.parametrize(
    ("case", "rule", "header", "body"), POSITIVES, ids=[p[0] for p in POSITIVES]
)
def test_framework_source_reaching_sink_is_reported(build, case, rule, header, body) -> None:
    source = header + body
    hits = scan(build, source)
    lines = {hit.line for hit in hits if hit.rule_id == rule}
    assert marked_line(source) in lines, (case, hits)


@pytest.mark.parametrize(("case", "header", "body"), NEAR_MISSES, ids=[n[0] for n in NEAR_MISSES])
def test_framework_near_misses_stay_quiet(build, case, header, body) -> None:
    hits = scan(build, header + body)
    assert not hits, (case, hits)


RANDOM_CODES = [
    "invite = ''.join(random.choices(string.ascii_letters, k=12))  # <-",
    "reset_code = random.randint(100000, 999999)  # <-",
    "code = str(random.randint(0, 999999)).zfill(6)  # <-",
    "verify_pin = random.randrange(10000)  # <-",
    "sms_code = ''.join(random.choice(string.digits) for _ in range(6))  # <-",
    "session_key = random.getrandbits(64)  # <-",
]


@pytest.mark.parametrize("line", RANDOM_CODES)
def test_random_codes_are_insecure_randomness(build, line) -> None:
    source = f"import random, string\n\ndef issue(user):\n    {line}\n    return user\n"
    hits = scan(build, source, path="accounts/codes.py")
    assert [h.line for h in hits if h.rule_id == "insecure-randomness"] == [marked_line(source)]


SAFE_RANDOM = [
    "code = ''.join(secrets.choice(string.digits) for _ in range(6))",
    "invite = secrets.token_urlsafe(16)",
    "country_code = random.choice(['GB', 'FR'])",
    "retry_delay = random.uniform(0.5, 2.0)",
    "status_code = random.choice([200, 503])",
]


@pytest.mark.parametrize("line", SAFE_RANDOM)
def test_secrets_and_non_secret_random_stay_quiet(build, line) -> None:
    source = f"import random, secrets, string\n\ndef issue(user):\n    {line}\n    return user\n"
    assert "insecure-randomness" not in rules(scan(build, source, path="accounts/codes.py"))
