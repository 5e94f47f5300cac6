"""JavaScript/TypeScript and config-file security patterns on added lines."""

import pytest

from analysis.detectors.security_rules import SecurityRulesReviewer

PRELUDE = [
    "const { exec, execSync } = require('child_process');",
    "const crypto = require('crypto');",
    "",
]

POSITIVES = [
    ("db.query(`SELECT * FROM users WHERE id = ${req.params.id}`);", "sql-injection", "CWE-89"),
    ("db.query('SELECT * FROM users WHERE name = \\'' + name + '\\'');", "sql-injection", "CWE-89"),
    ('db.query("SELECT * FROM users WHERE name = \'" + name + "\'");', "sql-injection", "CWE-89"),
    ("knex.raw(`DELETE FROM t WHERE id = ${id}`);", "sql-injection", "CWE-89"),
    ("const sql = `SELECT * FROM users WHERE id = ${id}`;", "sql-injection", "CWE-89"),
    ("exec(`git log ${branch}`, cb);", "shell-injection", "CWE-78"),
    ("execSync('rm -rf ' + dir);", "shell-injection", "CWE-78"),
    ("child_process.exec(command);", "shell-injection", "CWE-78"),
    ("eval(req.body.code);", "code-injection", "CWE-95"),
    ("const fn = new Function('a', body);", "code-injection", "CWE-95"),
    ("const serialize = require('node-serialize');", "unsafe-deserialization", "CWE-502"),
    ("import serialize from 'node-serialize';", "unsafe-deserialization", "CWE-502"),
    (
        "const agent = new https.Agent({ rejectUnauthorized: false });",
        "tls-verification-disabled",
        "CWE-295",
    ),
    ("process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';", "tls-verification-disabled", "CWE-295"),
    (
        "const h = crypto.createHash('md5').update(password).digest('hex');",
        "weak-password-hash",
        "CWE-916",
    ),
    ("const etag = crypto.createHash('sha1').update(body).digest('hex');", "weak-hash", "CWE-328"),
    ("app.use(cors({ origin: '*' }));", "permissive-cors", "CWE-942"),
    ("res.setHeader('Access-Control-Allow-Origin', '*');", "permissive-cors", "CWE-942"),
]

NEGATIVES = [
    "db.query('SELECT * FROM users WHERE id = ?', [id]);",
    "db.query('SELECT * FROM users WHERE id = $1', [id]);",
    "const rows = await sql`SELECT * FROM users WHERE id = ${id}`;",
    "exec('ls -la', cb);",
    "const match = /(\\d+)/.exec(text);",
    "const m = pattern.exec(input);",
    "const result = JSON.parse(body);",
    "eval('2 + 2');",
    "const agent = new https.Agent({ rejectUnauthorized: true });",
    "const h = crypto.createHash('sha256').update(body).digest('hex');",
    "app.use(cors({ origin: ['https://app.example.com'] }));",
    "// db.query(`SELECT * FROM users WHERE id = ${id}`);",
    "/**\n * eval(userInput) is forbidden in this module\n */",
    "const label = 'Access-Control-Allow-Origin';",
]


def _review(build, body: list[str], path: str = "src/server.ts"):
    context = build.context([build.file(path, PRELUDE + body, PRELUDE)])
    return SecurityRulesReviewer().review(context, [])


@pytest.mark.parametrize(("code", "rule_id", "cwe"), POSITIVES)
def test_true_positive(build, code, rule_id, cwe):
    findings = _review(build, [code])
    matching = [f for f in findings if f.rule_id == rule_id]
    assert matching, [f.rule_id for f in findings]
    assert (matching[0].cwe, matching[0].start_line) == (cwe, len(PRELUDE) + 1)


@pytest.mark.parametrize("code", NEGATIVES)
def test_near_miss_is_clean(build, code):
    assert _review(build, [code]) == []


def test_exec_without_child_process_in_the_file_is_not_shell(build):
    context = build.context([build.file("src/db.js", ["db.exec(statement);"])])
    assert SecurityRulesReviewer().review(context, []) == []


def test_multiline_template_query_is_joined(build):
    body = ["const rows = await db.query(`", "  SELECT * FROM users", "  WHERE id = ${id}`);"]
    findings = _review(build, body)
    assert [(f.rule_id, f.start_line) for f in findings] == [("sql-injection", len(PRELUDE) + 1)]


@pytest.mark.parametrize(
    ("path", "line", "rule_id"),
    [
        ("deploy/.env", "NODE_TLS_REJECT_UNAUTHORIZED=0", "tls-verification-disabled"),
        ("nginx/site.conf", "add_header Access-Control-Allow-Origin *;", "permissive-cors"),
        ("chart/values.yaml", 'Access-Control-Allow-Origin: "*"', "permissive-cors"),
    ],
)
def test_config_files(build, path, line, rule_id):
    context = build.context([build.file(path, [line])])
    assert [f.rule_id for f in SecurityRulesReviewer().review(context, [])] == [rule_id]


def test_markdown_docs_are_not_scanned(build):
    context = build.context(
        [build.file("docs/cors.md", ["Never send `Access-Control-Allow-Origin: *`."])]
    )
    assert SecurityRulesReviewer().review(context, []) == []
