"""Missing auth guards among sibling routes, and the scanner's diff handling: only added
lines, head content vs hunks vs single lines, one finding per problem, a large file."""

import time

from tests.analysis.security.python.scanning import marked_line, scan

FLASK_ROUTES = """
from flask import Flask
from flask_login import login_required
app = Flask(__name__)

@app.route("/orders")
@login_required
def orders():
    return "orders"

@app.route("/invoices")
@login_required
def invoices():
    return "invoices"

@app.route("/admin/export")  # <-
def export_all():
    return "everything"

@app.route("/login")
def login():
    return "form"

@app.route("/")
def index():
    return "home"
"""


def test_flask_route_without_the_shared_guard_is_reported(build):
    hits = scan(build, FLASK_ROUTES)
    assert [(h.rule_id, h.line) for h in hits] == [
        ("missing-auth-guard", marked_line(FLASK_ROUTES))
    ]
    assert "login_required" in hits[0].detail


def test_fastapi_route_without_the_shared_dependency_is_reported(build):
    source = """
from fastapi import FastAPI, Depends
app = FastAPI()

@app.get("/me")
def me(user=Depends(get_current_user)):
    return user

@app.get("/orders")
def orders(user=Depends(get_current_user)):
    return []

@app.delete("/orders/{order_id}")  # <-
def delete_order(order_id: int):
    return None

@app.get("/healthz")
def health():
    return {"ok": True}
"""
    hits = scan(build, source)
    assert [(h.rule_id, h.line) for h in hits] == [("missing-auth-guard", marked_line(source))]


def test_no_guard_reported_when_siblings_disagree_or_a_router_guards_all(build):
    mixed = FLASK_ROUTES.replace("@login_required\ndef invoices", "def invoices")
    assert scan(build, mixed) == []
    router = """
from fastapi import APIRouter, Depends
router = APIRouter(dependencies=[Depends(require_user)])

@router.get("/a")
def a(user=Depends(require_user)):
    return 1

@router.get("/b")
def b(user=Depends(require_user)):
    return 2

@router.get("/c")
def c():
    return 3
"""
    assert scan(build, router) == []


def test_existing_unchanged_route_is_not_reported(build):
    before = FLASK_ROUTES
    after = FLASK_ROUTES.replace('return "everything"', 'return "everything, sorted"')
    assert scan(build, after, before=before) == []


def test_only_added_lines_are_reported_but_the_head_supplies_the_taint(build):
    before = """
from flask import Flask, request
import sqlite3
app = Flask(__name__)

@app.route("/u")
def user():
    uid = request.args["id"]
    cur = sqlite3.connect("x").cursor()
    return "ok"
"""
    after = before.replace(
        '    return "ok"',
        '    cur.execute("SELECT * FROM t WHERE id = " + uid)  # <-\n    return "ok"',
    )
    hits = scan(build, after, before=before)
    assert [(h.rule_id, h.line) for h in hits] == [("sql-injection", marked_line(after))]
    assert hits[0].detail.startswith("request.args['id'] -> uid")


def test_without_head_content_the_hunk_is_parsed(build):
    before = "\n".join(f"x{i} = {i}" for i in range(30))
    after = before + '\nimport os\ndef run(cmd):\n    os.system("sh -c " + cmd)\n'
    hits = scan(build, after, before=before, with_content=False)
    assert [(h.rule_id, h.line) for h in hits] == [("shell-injection", 33)]


def test_lines_that_do_not_parse_alone_fall_back_to_line_patterns(build):
    # a templated hunk does not parse, and the added statement spans two lines
    source = "{% if x %}\nimport subprocess\nsubprocess.run(cmd, shell=True,\n    check=True)\n"
    hits = scan(build, source + "{% endif %}\n", with_content=False)
    assert [(h.rule_id, h.line) for h in hits] == [("shell-injection", 3)]


def test_unparseable_head_uses_the_diff(build):
    source = "{% if x %}\nimport os\nos.system(cmd)\n{% endif %}\n"
    hits = scan(build, source, path="templates/gen.py")
    assert [(h.rule_id, h.line) for h in hits] == [("shell-injection", 3)]


def test_a_5000_line_file_scans_quickly(build):
    block = """
@app.route("/r{n}")
def route_{n}():
    value = request.args.get("v{n}", "")
    parts = [value, "x"]
    text = "-".join(parts) + f"{{value}}"
    if text in ALLOWED:
        cur.execute("SELECT * FROM t WHERE id = ?", (text,))
    for item in range(3):
        text += str(item)
    return helper_{n}(text)

def helper_{n}(data):
    return {{"data": data.strip()}}
"""
    header = (
        "from flask import Flask, request\napp = Flask(__name__)\nALLOWED = {'a'}\ncur = None\n"
    )
    source = header + "".join(block.format(n=n) for n in range(360))
    assert len(source.splitlines()) >= 5000
    started = time.perf_counter()
    hits = scan(build, source)
    elapsed = time.perf_counter() - started
    print(f"\n5,000-line file: {len(source.splitlines())} lines scanned in {elapsed * 1000:.0f} ms")
    assert hits == []
