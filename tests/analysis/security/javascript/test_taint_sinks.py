"""JavaScript/TypeScript: request data reaching sinks directly, via variables and via local
helpers; near misses (placeholders, argument arrays, sanitisers, allow-lists) stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines

HANDLER_OPEN = [
    "const express = require('express');",
    "const { exec, execFile } = require('child_process');",
    "const app = express();",
    "app.post('/items', async (req, res) => {",
]
HANDLER_CLOSE = ["});"]
FIRST = len(HANDLER_OPEN) + 1

POSITIVES = [
    (["await db.query(`SELECT * FROM items WHERE id = ${req.query.id}`);"], "sql-injection"),
    (
        ["const id = req.params.id;", "await db.query('SELECT * FROM t WHERE id = ' + id);"],
        "sql-injection",
    ),
    (["await knex('t').whereRaw(`name = '${req.body.name}'`);"], "sql-injection"),
    (["await Item.find({ $where: `this.owner == '${req.body.owner}'` });"], "nosql-injection"),
    (["await Item.findOne(req.body);"], "nosql-injection"),
    (["exec(`tar xf ${req.body.archive}`);"], "shell-injection"),
    (["const dir = req.query.dir;", "exec('ls ' + dir, cb);"], "shell-injection"),
    (["eval(req.body.expression);"], "code-injection"),
    (["const fn = new Function('x', req.body.src);"], "code-injection"),
    (["setTimeout('run(' + req.query.arg + ')', 10);"], "code-injection"),
    (["const html = ejs.render(req.body.template, {});"], "template-injection"),
    (["res.send(`<h1>Hi ${req.query.name}</h1>`);"], "xss"),
    (["fs.readFile(path.join(__dirname, 'files', req.params.name), cb);"], "path-traversal"),
    (["res.sendFile(req.query.file);"], "path-traversal"),
    (["const r = await axios.get(req.query.target);"], "ssrf"),
    (["const u = req.body.url;", "const r = await fetch(u);"], "ssrf"),
    (["res.redirect(req.query.next);"], "open-redirect"),
    (["await User.create(req.body);"], "mass-assignment"),
    (["Object.assign(user, req.body);"], "mass-assignment"),
    (["const re = new RegExp(req.query.pattern);"], "redos"),
    (["const doc = libxmljs.parseXml(req.body.xml, { noent: true });"], "xxe"),
    (["const obj = serialize.unserialize(req.cookies.profile);"], "unsafe-deserialization"),
    (["res.status(500).send(err.stack);"], "information-leak"),
]

NEAR_MISSES = [
    ["await db.query('SELECT * FROM items WHERE id = ?', [req.query.id]);"],
    ["await db.query('SELECT * FROM items WHERE id = $1', [req.params.id]);"],
    ["const rows = await sql`SELECT * FROM items WHERE id = ${req.query.id}`;"],
    ["const TABLE = 'items';", "await db.query(`SELECT * FROM ${TABLE}`);"],
    ["await db.query(`SELECT * FROM t WHERE id = ${parseInt(req.query.id, 10)}`);"],
    ["execFile('git', ['log', req.query.ref], cb);"],
    ["exec('git status', cb);"],
    ["const m = /^(\\d+)-(\\d+)$/.exec(req.query.range);"],
    ["res.send(`<h1>Hi ${escapeHtml(req.query.name)}</h1>`);"],
    ["res.json({ name: req.query.name });"],
    [
        "const target = path.resolve(BASE, req.params.name);",
        "if (!target.startsWith(BASE)) return res.status(400).end();",
        "fs.readFile(target, cb);",
    ],
    ["res.sendFile(req.params.name, { root: PUBLIC_DIR });"],
    [
        "const url = req.query.url;",
        "if (!ALLOWED_HOSTS.has(new URL(url).host)) return res.status(400).end();",
        "const r = await fetch(url);",
    ],
    ["const r = await fetch(`https://api.example.com/items/${req.params.id}`);"],
    ["res.redirect('/items/' + req.params.id);"],
    ["await User.create({ name: req.body.name, email: req.body.email });"],
    ["const r = await fetch(process.env.UPSTREAM_URL);"],
    ["const re = new RegExp('^[a-z]+$');"],
    ["const doc = libxmljs.parseXml(req.body.xml);"],
    ["res.status(500).send('internal error');"],
    ["// exec(`tar xf ${req.body.archive}`);"],
]


@pytest.mark.parametrize(("body", "rule_id"), POSITIVES)
def test_tainted_flow_is_reported_on_its_line(build, body, rule_id):
    findings = review(build, "src/routes/items.js", HANDLER_OPEN + body + HANDLER_CLOSE)
    assert (rule_id, FIRST + len(body) - 1) in rule_lines(findings), rule_lines(findings)


@pytest.mark.parametrize("body", NEAR_MISSES)
def test_near_miss_stays_quiet(build, body):
    findings = review(build, "src/routes/items.js", HANDLER_OPEN + body + HANDLER_CLOSE)
    assert rule_lines(findings) == []


def test_flow_through_a_local_helper_function(build):
    code = [
        "function byName(name) {",
        '  return "SELECT * FROM users WHERE name = \'" + name + "\'";',
        "}",
        "app.get('/u', async (req, res) => {",
        "  const q = byName(req.query.name);",
        "  res.json(await db.query(q));",
        "});",
    ]
    findings = review(build, "src/users.ts", code)
    assert ("sql-injection", 6) in rule_lines(findings)
    hit = next(f for f in findings if f.start_line == 6)
    assert "req.query" in hit.message and hit.confidence >= 0.85


def test_sanitiser_in_helper_clears_the_flow(build):
    code = [
        "const toInt = (v) => Number.parseInt(v, 10);",
        "app.get('/u', async (req, res) => {",
        "  const id = toInt(req.query.id);",
        "  res.json(await db.query(`SELECT * FROM users WHERE id = ${id}`));",
        "});",
    ]
    assert rule_lines(review(build, "src/users.js", code)) == []


def test_only_added_lines_are_reported_and_unchanged_sinks_move_to_the_added_source(build):
    before = [
        "app.get('/u', async (req, res) => {",
        "  const id = 1;",
        "  res.json(await db.query(`SELECT * FROM users WHERE id = ${id}`));",
        "  exec(`ls ${req.query.dir}`);",
        "});",
    ]
    after = list(before)
    after[1] = "  const id = req.query.id;"
    findings = review(build, "src/users.js", after, before)
    assert rule_lines(findings) == [("sql-injection", 2)]


def test_patch_only_files_are_parsed_from_the_hunks(build):
    code = [*HANDLER_OPEN, "  res.redirect(req.query.next);", *HANDLER_CLOSE]
    findings = review(build, "src/a.js", code, content=False)
    assert rule_lines(findings) == [("open-redirect", FIRST)]


def test_browser_sources_reach_dom_sinks(build):
    code = [
        "const q = new URLSearchParams(location.search).get('q');",
        "document.getElementById('out').innerHTML = '<b>' + q + '</b>';",
        "document.getElementById('safe').innerHTML = DOMPurify.sanitize(q);",
        "document.getElementById('text').textContent = q;",
    ]
    assert rule_lines(review(build, "web/search.js", code)) == [("xss", 2)]


def test_react_dangerously_set_inner_html(build):
    code = [
        "export function Post({ post }) {",
        "  return <div>",
        "    <div dangerouslySetInnerHTML={{ __html: post.body }} />",
        "    <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(post.body) }} />",
        "    <div dangerouslySetInnerHTML={{ __html: '<br/>' }} />",
        "  </div>;",
        "}",
    ]
    assert rule_lines(review(build, "web/Post.tsx", code)) == [("xss", 3)]
