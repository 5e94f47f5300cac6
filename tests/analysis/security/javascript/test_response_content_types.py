"""XSS through a response write depends on what the browser receives: objects and arrays are
serialised to JSON (Express `res.send({...})`, Fastify `reply.send({...})`), a Fastify string
reply is `text/plain` unless the handler declares a markup type, an Express string reply is
`text/html` by default."""

import pytest

from tests.analysis.security.review import review, rule_lines

FASTIFY_OPEN = [
    "export default async function noteRoutes(app) {",
    "  app.post('/notes/:slug/preview', async (request, reply) => {",
    "    const draft = await app.notes.render(request.params.slug, request.body.text);",
]
FASTIFY_CLOSE = ["  });", "}"]
WRITE_LINE = len(FASTIFY_OPEN) + 1


@pytest.mark.parametrize(
    ("write", "expected"),
    [
        # a markup type declared on the reply: the text is rendered as HTML
        ("return reply.type('text/html; charset=utf-8').send(draft);", [("xss", WRITE_LINE)]),
        ("return reply.header('Content-Type', 'text/html').send(`<p>${draft}</p>`);",
         [("xss", WRITE_LINE)]),
        # Fastify's raw Node response has no default content type
        ("reply.raw.end(`<article>${draft}</article>`);", [("xss", WRITE_LINE)]),
        # JSON replies: objects and arrays are serialised, whatever status code is chained
        ("return reply.code(422).send({ problem: draft });", []),
        ("return reply.status(200).send([draft, request.body.text]);", []),
        ("return reply.send({ preview: draft } as const);", []),
        # a string without a declared type is sent as text/plain
        ("return reply.send(draft);", []),
        # a declared non-markup type
        ("return reply.type('application/json').send(JSON.stringify({ draft }));", []),
    ],
)  # fmt: skip
def test_fastify_reply_content_type_decides(build, write, expected):
    code = [*FASTIFY_OPEN, f"    {write}", *FASTIFY_CLOSE]
    assert rule_lines(review(build, "src/routes/notes.ts", code)) == expected


@pytest.mark.parametrize(
    ("write", "expected"),
    [
        ("res.send(req.query.greeting);", [("xss", 2)]),  # Express strings default to HTML
        ("res.status(400).send(`<b>${req.query.greeting}</b>`);", [("xss", 2)]),
        ("res.status(400).send({ error: `unknown greeting ${req.query.greeting}` });", []),
        ("res.send([req.query.greeting]);", []),
        ("res.type('text/plain').send(req.query.greeting);", []),
    ],
)
def test_express_send_of_objects_is_json(build, write, expected):
    code = ["router.get('/hello', (req, res) => {", f"  {write}", "});"]
    assert rule_lines(review(build, "src/routes/hello.js", code)) == expected
