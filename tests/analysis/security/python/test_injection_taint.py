"""Injection classes: request data reaching a sink directly, through a variable and through
a local helper is reported (citing the path); parameterised, sanitised, constant and
safe-API code stays quiet."""

import pytest

from tests.analysis.security.python.scanning import marked_line, rules, scan

FLASK = """
import os, sqlite3, subprocess, shlex, pickle, yaml, re, ldap
from flask import Flask, request, render_template_string
from jinja2 import Template
from lxml import etree
from sqlalchemy import text
from pymongo import MongoClient
app = Flask(__name__)
db = MongoClient().shop
"""

POSITIVES = [
    (
        "sql-direct",
        "sql-injection",
        """
@app.route("/u")
def user():
    cur = sqlite3.connect("x.db").cursor()
    cur.execute(f"SELECT * FROM users WHERE id = {request.args['id']}")  # <-
""",
    ),
    (
        "sql-variable",
        "sql-injection",
        """
@app.route("/u")
def user():
    uid = request.args.get("id")
    query = "SELECT * FROM users WHERE id = " + uid
    cur = sqlite3.connect("x.db").cursor()
    cur.execute(query)  # <-
""",
    ),
    (
        "sql-helper-builds",
        "sql-injection",
        """
def by_name(name):
    return "SELECT * FROM users WHERE name = '%s'" % name

@app.route("/u")
def user():
    cur = sqlite3.connect("x.db").cursor()
    cur.execute(by_name(request.form["name"]))  # <-
""",
    ),
    (
        "sql-helper-executes",
        "sql-injection",
        """
def run(cur, sql):
    return cur.execute(sql)  # <-

@app.route("/u")
def user():
    cur = sqlite3.connect("x.db").cursor()
    run(cur, "DELETE FROM t WHERE id = {}".format(request.json["id"]))
""",
    ),
    (
        "sqlalchemy-text",
        "sql-injection",
        """
@app.route("/u")
def user(session):
    session.execute(text(f"SELECT * FROM t WHERE name = '{request.args['n']}'"))  # <-
""",
    ),
    (
        "django-raw-extra",
        "sql-injection",
        """
def search(request):
    term = request.GET["q"]
    return Item.objects.extra(where=[f"name LIKE '%{term}%'"])  # <-
""",
    ),
    (
        "nosql-body",
        "nosql-injection",
        """
@app.route("/login", methods=["POST"])
def login():
    return db.users.find_one({"user": request.json["user"], "pw": request.json["pw"]})  # <-
""",
    ),
    (
        "nosql-where",
        "nosql-injection",
        """
def by_age(age):
    return db.users.find({"$where": "this.age > " + age})  # <-
""",
    ),
    (
        "shell-os-system",
        "shell-injection",
        """
@app.route("/ping")
def ping():
    host = request.args["host"]
    os.system("ping -c 1 " + host)  # <-
""",
    ),
    (
        "shell-true-helper",
        "shell-injection",
        """
def archive(name):
    subprocess.run(f"tar czf out.tgz {name}", shell=True)  # <-

@app.route("/a")
def a():
    archive(request.args["dir"])
""",
    ),
    (
        "eval-input",
        "code-injection",
        """
@app.route("/calc")
def calc():
    expression = request.args["e"]
    return str(eval(expression))  # <-
""",
    ),
    (
        "exec-stdin",
        "code-injection",
        """
def main():
    exec(input("code> "))  # <-
""",
    ),
    (
        "ssti-string",
        "template-injection",
        """
@app.route("/hello")
def hello():
    return render_template_string("<h1>Hello " + request.args["name"] + "</h1>")  # <-
""",
    ),
    (
        "ssti-jinja-template",
        "template-injection",
        """
@app.route("/t")
def t():
    source = request.form["template"]
    return Template(source).render()  # <-
""",
    ),
    (
        "ldap-filter",
        "ldap-injection",
        """
@app.route("/who")
def who():
    conn = ldap.initialize("ldaps://ldap")
    user = request.args["user"]
    return conn.search_s("dc=example", ldap.SCOPE_SUBTREE, f"(uid={user})")  # <-
""",
    ),
    (
        "xpath",
        "xpath-injection",
        """
@app.route("/x")
def x():
    tree = etree.parse("users.xml")
    return tree.xpath(f"//user[name='{request.args['name']}']")  # <-
""",
    ),
    (
        "pickle-body",
        "unsafe-deserialization",
        """
@app.route("/load", methods=["POST"])
def load():
    return pickle.loads(request.get_data())  # <-
""",
    ),
    (
        "yaml-load",
        "unsafe-deserialization",
        """
def read(path):
    with open(path) as handle:
        return yaml.load(handle)  # <-
""",
    ),
    (
        "xxe-parser",
        "xxe",
        """
parser = etree.XMLParser(resolve_entities=True)  # <-
""",
    ),
    (
        "xxe-minidom",
        "xxe",
        """
from xml.dom import minidom
@app.route("/xml", methods=["POST"])
def upload():
    return minidom.parseString(request.data).toxml()  # <-
""",
    ),
    (
        "redos-literal",
        "redos",
        """
EMAIL = re.compile(r"^([a-z0-9]+[._-]?)+@example\\.com$")  # <-
""",
    ),
    (
        "regex-from-input",
        "redos",
        """
@app.route("/grep")
def grep():
    return str(re.search(request.args["pattern"], "text"))  # <-
""",
    ),
]

NEAR_MISSES = [
    (
        "sql-parameterised",
        """
@app.route("/u")
def user():
    cur = sqlite3.connect("x.db").cursor()
    cur.execute("SELECT * FROM users WHERE id = ?", (request.args["id"],))
""",
    ),
    (
        "sql-int-cast",
        """
@app.route("/u")
def user():
    uid = int(request.args["id"])
    cur = sqlite3.connect("x.db").cursor()
    cur.execute(f"SELECT * FROM users WHERE id = {uid}")
""",
    ),
    (
        "sql-allow-listed-column",
        """
COLUMNS = {"name", "created"}
@app.route("/u")
def user():
    order = request.args.get("order", "name")
    if order not in COLUMNS:
        return "bad", 400
    cur = sqlite3.connect("x.db").cursor()
    cur.execute(f"SELECT * FROM users ORDER BY {order}")
""",
    ),
    (
        "sql-constant-helper",
        """
def table():
    return "users"

def count(cur):
    cur.execute(f"SELECT count(*) FROM {table()}")
""",
    ),
    (
        "sqlalchemy-bound",
        """
@app.route("/u")
def user(session):
    session.execute(text("SELECT * FROM t WHERE name = :n"), {"n": request.args["n"]})
""",
    ),
    (
        "nosql-string-field",
        """
@app.route("/u")
def user():
    return db.users.find_one({"user": request.args.get("user")})
""",
    ),
    (
        "shell-list",
        """
@app.route("/ping")
def ping():
    subprocess.run(["ping", "-c", "1", request.args["host"]], check=True)
""",
    ),
    (
        "shell-quoted",
        """
@app.route("/ping")
def ping():
    os.system("ping -c 1 " + shlex.quote(request.args["host"]))
""",
    ),
    (
        "shell-constant",
        """
def clean():
    command = "make clean"
    subprocess.run(command, shell=True)
""",
    ),
    (
        "eval-constant",
        """
VALUE = eval("1 + 2")
""",
    ),
    (
        "template-file",
        """
@app.route("/hello")
def hello():
    return render_template_string("<h1>Hello {{ name }}</h1>", name=request.args["name"])
""",
    ),
    (
        "ldap-escaped",
        """
from ldap.filter import escape_filter_chars
@app.route("/who")
def who():
    conn = ldap.initialize("ldaps://ldap")
    user = escape_filter_chars(request.args["user"])
    return conn.search_s("dc=example", ldap.SCOPE_SUBTREE, f"(uid={user})")
""",
    ),
    (
        "xpath-variables",
        """
@app.route("/x")
def x():
    tree = etree.parse("users.xml")
    return tree.xpath("//user[name=$name]", name=request.args["name"])
""",
    ),
    (
        "yaml-safe",
        """
@app.route("/y", methods=["POST"])
def y():
    return yaml.safe_load(request.data)
""",
    ),
    (
        "defusedxml",
        """
import defusedxml.ElementTree as SafeET
@app.route("/xml", methods=["POST"])
def upload():
    return SafeET.fromstring(request.data).tag
""",
    ),
    (
        "redos-linear",
        """
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
""",
    ),
    (
        "regex-escaped-input",
        """
@app.route("/grep")
def grep():
    return str(re.search(re.escape(request.args["pattern"]), "text"))
""",
    ),
    (
        "sql-in-docstring",
        '''
def explain():
    """Never write cursor.execute(f"SELECT {request.args['id']}")."""
    return 1
''',
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


def test_evidence_names_the_source_to_sink_path(build):
    source = (
        FLASK
        + """
@app.route("/u")
def user():
    uid = request.args["id"]
    query = f"SELECT * FROM users WHERE id = {uid}"
    cur = sqlite3.connect("x.db").cursor()
    cur.execute(query)
"""
    )
    (hit,) = scan(build, source)
    start = source.strip("\n").splitlines().index('    uid = request.args["id"]') + 1
    assert hit.detail == (
        f"request.args['id'] -> uid (line {start}) -> query (line {start + 1}) -> cur.execute"
    )
    assert hit.confidence >= 0.9


def test_request_data_outranks_merely_non_constant_data(build):
    tainted = scan(
        build,
        FLASK
        + """
@app.route("/u")
def user():
    cur = sqlite3.connect("x.db").cursor()
    cur.execute(f"SELECT * FROM t WHERE id = {request.args['id']}")
""",
    )
    unknown = scan(
        build,
        FLASK
        + """
def user(cur, uid):
    cur.execute(f"SELECT * FROM t WHERE id = {uid}")
""",
    )
    assert [h.rule_id for h in tainted] == [h.rule_id for h in unknown] == ["sql-injection"]
    assert tainted[0].confidence > unknown[0].confidence


def test_helper_finding_is_reported_once_at_the_changed_line(build):
    source = (
        FLASK
        + """
def find(cur, uid):
    cur.execute(f"SELECT * FROM t WHERE id = {uid}")

@app.route("/u")
def user():
    find(sqlite3.connect("x.db").cursor(), request.args["id"])
"""
    )
    hits = scan(build, source)
    assert [h.rule_id for h in hits] == ["sql-injection"]
    assert "request.args['id'] -> find() (line 15) -> cur.execute (line 11)" in hits[0].detail
    assert hits[0].line == 11  # the sink inside the helper, both being added


def test_environment_value_in_a_shell_string_is_reported_below_request_data(build):
    hits = scan(
        build,
        FLASK
        + """
def deploy():
    os.system("deploy " + os.environ["TARGET"])
""",
    )
    assert [h.rule_id for h in hits] == ["shell-injection"]
    assert "os.environ" in hits[0].detail
    assert hits[0].confidence < 0.95


def test_unsafe_deserialisation_is_always_reported(build):
    assert rules(scan(build, FLASK + "def f(blob):\n    return pickle.loads(blob)\n")) == {
        "unsafe-deserialization"
    }


@pytest.mark.parametrize(
    ("parser", "expected"),
    [
        ("etree.XMLParser(resolve_entities=False, no_network=True)", []),
        ("etree.XMLParser(resolve_entities=True)", [("xxe", 4)]),  # the parser line, once
    ],
)
def test_an_explicit_lxml_parser_decides_not_the_parse_call(build, parser, expected):
    source = "\n".join(
        [
            "from flask import request",
            "from lxml import etree",
            "",
            f"PARSER = {parser}",
            "def upload():",
            "    return etree.fromstring(request.data, PARSER)",
        ]
    )
    assert [(h.rule_id, h.line) for h in scan(build, source) if h.rule_id == "xxe"] == expected
