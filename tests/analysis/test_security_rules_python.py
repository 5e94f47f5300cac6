"""Python security rules: true positives, near misses, only added lines, with and without
the head content (AST on the file, AST on the hunk, per-line patterns)."""

import pytest

from analysis.detectors.security_rules import SecurityRulesReviewer

PRELUDE = [
    "import hashlib, os, pickle, marshal, ssl, subprocess, yaml, requests",
    "from flask import Flask",
    "from flask_cors import CORS",
    "from fastapi.middleware.cors import CORSMiddleware",
    "app = Flask(__name__)",
    "",
    "def handler(cursor, uid, cmd, data, name):",
]

POSITIVES = [
    ('cursor.execute(f"SELECT * FROM users WHERE id = {uid}")', "sql-injection", "CWE-89"),
    ('cursor.execute("SELECT * FROM users WHERE id = %s" % uid)', "sql-injection", "CWE-89"),
    (
        'cursor.execute("SELECT * FROM users WHERE name = \'" + name + "\'")',
        "sql-injection",
        "CWE-89",
    ),
    ('cursor.execute("DELETE FROM t WHERE id = {}".format(uid))', "sql-injection", "CWE-89"),
    ('subprocess.run(f"tar xf {name}", shell=True)', "shell-injection", "CWE-78"),
    ("subprocess.check_output(cmd, shell=True)", "shell-injection", "CWE-78"),
    ('os.system("rm -rf " + name)', "shell-injection", "CWE-78"),
    ("os.popen(cmd)", "shell-injection", "CWE-78"),
    ("eval(data)", "code-injection", "CWE-95"),
    ('exec(f"x = {data}")', "code-injection", "CWE-95"),
    ("pickle.loads(data)", "unsafe-deserialization", "CWE-502"),
    ("marshal.loads(data)", "unsafe-deserialization", "CWE-502"),
    ("yaml.load(data)", "unsafe-deserialization", "CWE-502"),
    ("yaml.load(data, Loader=yaml.Loader)", "unsafe-deserialization", "CWE-502"),
    ('requests.get("https://api", verify=False)', "tls-verification-disabled", "CWE-295"),
    ("ctx = ssl._create_unverified_context()", "tls-verification-disabled", "CWE-295"),
    ("digest = hashlib.md5(password.encode()).hexdigest()", "weak-password-hash", "CWE-916"),
    # a fast hash is no password hash, however strong the digest
    ("digest = hashlib.sha256(password.encode()).hexdigest()", "weak-password-hash", "CWE-916"),
    ("digest = hashlib.sha1(data).hexdigest()", "weak-hash", "CWE-328"),
    ("app.run(host='0.0.0.0', debug=True)", "debug-mode-enabled", "CWE-489"),
    ('CORS(app, origins="*")', "permissive-cors", "CWE-942"),
    ('app.add_middleware(CORSMiddleware, allow_origins=["*"])', "permissive-cors", "CWE-942"),
    ('resp.headers["Access-Control-Allow-Origin"] = "*"', "permissive-cors", "CWE-942"),
]

NEGATIVES = [
    'cursor.execute("SELECT * FROM users WHERE id = %s", (uid,))',
    'cursor.execute("SELECT * FROM users WHERE id = ?", [uid])',
    'cursor.execute("SELECT count(*) FROM users")',
    'df.query(f"age > {uid}")',
    'subprocess.run(["tar", "xf", name], check=True)',
    'subprocess.run("ls -la", shell=True)',
    'os.system("make clean")',
    'eval("1 + 1")',
    "ast.literal_eval(data)",
    "yaml.safe_load(data)",
    "yaml.load(data, Loader=yaml.SafeLoader)",
    'requests.get("https://api", verify=True)',
    "hashlib.md5(data, usedforsecurity=False).hexdigest()",
    "hashlib.sha256(data).hexdigest()",
    'hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)',
    "app.run(debug=False)",
    'CORS(app, origins=["https://app.example.com"])',
    '# cursor.execute(f"SELECT * FROM users WHERE id = {uid}")',
    '"""Never call eval(data) or pickle.loads(data) here."""',
    'log.info("verify=False is forbidden; os.system(cmd) too")',
]


def _review(build, body: list[str], *, path: str = "app/handlers.py", with_content: bool = True):
    lines = PRELUDE + [f"    {line}" for line in body]
    context = build.context([build.file(path, lines, PRELUDE, with_content=with_content)])
    return SecurityRulesReviewer().review(context, [])


@pytest.mark.parametrize("with_content", [True, False], ids=["ast-on-head", "patch-only"])
@pytest.mark.parametrize(("code", "rule_id", "cwe"), POSITIVES)
def test_true_positive(build, code, rule_id, cwe, with_content):
    findings = _review(build, [code], with_content=with_content)
    matching = [f for f in findings if f.rule_id == rule_id]
    assert matching, [f.rule_id for f in findings]
    assert matching[0].cwe == cwe
    assert matching[0].start_line == len(PRELUDE) + 1
    assert matching[0].evidence == code


@pytest.mark.parametrize("with_content", [True, False], ids=["ast-on-head", "patch-only"])
@pytest.mark.parametrize("code", NEGATIVES)
def test_near_miss_is_clean(build, code, with_content):
    assert _review(build, [code], with_content=with_content) == []


def test_query_built_earlier_in_the_function_is_traced_to_execute(build):
    findings = _review(build, ['sql = f"SELECT * FROM t WHERE id = {uid}"', "cursor.execute(sql)"])
    assert [(f.rule_id, f.start_line) for f in findings] == [("sql-injection", len(PRELUDE) + 2)]


def test_constant_command_variable_is_clean(build):
    assert _review(build, ['command = "ls -la"', "subprocess.run(command, shell=True)"]) == []


def test_multiline_call_in_a_patch_without_content_is_parsed_as_a_hunk(build):
    body = ["cursor.execute(", '    f"SELECT * FROM users WHERE id = {uid}"', ")"]
    findings = _review(build, body, with_content=False)
    assert [f.rule_id for f in findings] == ["sql-injection"]


def test_module_level_debug_flag(build):
    context = build.context([build.file("settings.py", ["DEBUG = True", "ALLOWED_HOSTS = []"])])
    findings = SecurityRulesReviewer().review(context, [])
    assert [(f.rule_id, f.start_line) for f in findings] == [("debug-mode-enabled", 1)]


def test_preexisting_vulnerable_line_is_not_reported(build):
    before = ["import os", "def f(cmd):", "    os.system(cmd)", "    return 1"]
    after = ["import os", "def f(cmd):", "    os.system(cmd)", "    return 2"]
    context = build.context([build.file("app/legacy.py", after, before)])
    assert SecurityRulesReviewer().review(context, []) == []


def test_test_files_are_scanned_with_lower_confidence(build):
    prod = _review(build, ['requests.get("https://api", verify=False)'])
    test = _review(build, ['requests.get("https://api", verify=False)'], path="tests/test_api.py")
    assert test[0].confidence < prod[0].confidence
    assert test[0].confidence < 0.5  # below the default reporting threshold


def test_unparseable_head_falls_back_to_the_diff(build):
    lines = ["{% if x %}", "import os", "os.system(cmd)", "{% endif %}"]
    context = build.context([build.file("templates/gen.py", lines)])
    findings = SecurityRulesReviewer().review(context, [])
    assert [(f.rule_id, f.start_line) for f in findings] == [("shell-injection", 3)]
