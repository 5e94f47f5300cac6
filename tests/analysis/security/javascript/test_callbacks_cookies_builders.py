"""JavaScript/TypeScript: values produced by `.map` / `useMemo` callbacks, Fastify cookies,
CORS origin callbacks that echo the Origin, and SQL condition text in ORM query builders."""

import pytest

from tests.analysis.security.review import review, rule_lines


def _rules(build, path: str, code: list[str]) -> list[tuple[str, int]]:
    return rule_lines(review(build, path, code))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("`<td>${row.label}</td>`", [("xss", 4)]),
        ("`<td>${he.encode(row.label)}</td>`", []),
    ],
)
def test_rows_mapped_to_markup(build, cell, expected):
    code = [
        "router.post('/preview', (req, res) => {",
        "  const rows = req.body.rows;",
        f"  const cells = rows.map((row) => {cell}).join('');",
        "  res.send(`<table><tr>${cells}</tr></table>`);",
        "});",
    ]
    assert _rules(build, "src/routes/preview.js", code) == expected


@pytest.mark.parametrize(
    ("factory", "expected"),
    [
        ("() => props.markup", [("xss", 4)]),
        ("() => sanitizeHtml(props.markup)", []),
    ],
)
def test_memoised_html(build, factory, expected):
    code = [
        "export function Note(props) {",
        f"  const html = useMemo({factory}, [props.markup]);",
        "  return (",
        "    <section dangerouslySetInnerHTML={{ __html: html }} />",
        "  );",
        "}",
    ]
    assert _rules(build, "web/src/Note.jsx", code) == expected


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ("{ httpOnly: true, secure: false }", [("insecure-cookie", 2)]),
        ("{ httpOnly: true, secure: true, sameSite: 'lax' }", []),
    ],
)
def test_fastify_set_cookie(build, options, expected):
    code = [
        "fastify.post('/auth', async (request, reply) => {",
        f"  reply.setCookie('auth_token', await issue(request.body), {options});",
        "  return { ok: true };",
        "});",
    ]
    assert _rules(build, "src/auth.js", code) == expected


@pytest.mark.parametrize(
    ("origin", "credentials", "expected"),
    [
        ("function (requestOrigin, done) { done(null, true); }", "true", [("permissive-cors", 1)]),
        ("(o, cb) => cb(null, o)", "true", [("permissive-cors", 1)]),
        ("(o, cb) => cb(null, TRUSTED.includes(o))", "true", []),
        ("(o, cb) => cb(null, o)", "false", []),
    ],
)
def test_cors_origin_callback(build, origin, credentials, expected):
    code = [f"server.use(cors({{ origin: {origin}, credentials: {credentials} }}));"]
    assert _rules(build, "src/server.js", code) == expected


BUILDER_HEAD = ["import { DataSource } from 'typeorm';", ""]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("`o.status = '${status}'`", [("sql-injection", 5)]),
        ('"o.customer = \'" + customer + "\'"', [("sql-injection", 5)]),
        ("'o.status = :status', { status }", []),
        ("`${ALIAS}.status = :status`, { status }", []),
    ],
)
def test_typeorm_condition_text(build, condition, expected):
    code = [
        *BUILDER_HEAD,
        "const ALIAS = 'o';",
        "export function open(ds: DataSource, status: string, customer: string) {",
        f"  return ds.getRepository(Order).createQueryBuilder(ALIAS).andWhere({condition});",
        "}",
    ]
    assert _rules(build, "src/orders/open.ts", code) == expected


def test_where_on_a_document_query_is_not_sql(build):
    code = [
        "const mongoose = require('mongoose');",
        "function byTag(tag) {",
        "  return Post.find().where(`tags.${tag}`).exists(true);",
        "}",
    ]
    assert [r for r in _rules(build, "src/posts.js", code) if r[0] == "sql-injection"] == []
