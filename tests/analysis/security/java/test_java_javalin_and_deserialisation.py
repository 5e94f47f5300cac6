"""Java: Javalin and Vert.x request accessors as sources (body, bytes, stream, uploads,
params, headers, cookies), Java deserialisation of them; streams restricted by `resolveClass`
or a JEP 290 filter, the server's own files and JSON binding stay quiet."""

import pytest

from tests.analysis.security.review import review, rule_lines


def _handler(*body: str, params: str = "Context ctx") -> list[str]:
    """A Javalin handler; the body starts on line 5."""
    return [
        "package app;",
        "import io.javalin.http.Context;",
        "public final class DraftController {",
        f"    private void restore({params}) throws Exception {{",
        *body,
        "    }",
        "}",
    ]


@pytest.mark.parametrize(
    "body",
    [
        ["        try (ObjectInputStream in = new ObjectInputStream(ctx.bodyInputStream())) {",
         "            drafts.save((Draft) in.readObject());", "        }"],
        ["        byte[] raw = ctx.bodyAsBytes();",
         "        ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(raw));",
         "        drafts.save((Draft) in.readObject());"],
        ["        var upload = ctx.uploadedFile(\"draft\");",
         "        ObjectInputStream in = new ObjectInputStream(upload.content());",
         "        drafts.save((Draft) in.readObject());"],
        ["        String encoded = ctx.formParam(\"state\");",
         "        byte[] raw = Base64.getDecoder().decode(encoded);",
         "        ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(raw));",
         "        drafts.save((Draft) in.readObject());"],
    ],
)  # fmt: skip
def test_javalin_request_data_deserialised(build, body):
    findings = review(build, "src/DraftController.java", _handler(*body))
    created = next(i for i, line in enumerate(body, 5) if "new ObjectInputStream" in line)
    assert rule_lines(findings) == [("unsafe-deserialization", created)]


@pytest.mark.parametrize(
    "body",
    [
        # a JEP 290 filter admits only the draft classes
        ["        try (ObjectInputStream in = new ObjectInputStream(ctx.bodyInputStream())) {",
         '        in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("app.Draft;!*"));',
         "            drafts.save((Draft) in.readObject());", "        }"],
        # an allow-list in resolveClass
        ["        ObjectInputStream in = new ObjectInputStream(ctx.bodyInputStream()) {",
         "            @Override protected Class<?> resolveClass(ObjectStreamClass d)",
         "                    throws IOException, ClassNotFoundException {",
         '            if (!d.getName().equals("app.Draft")) throw new InvalidClassException("x");',
         "                return super.resolveClass(d);", "            }", "        };",
         "        drafts.save((Draft) in.readObject());"],
        # the server's own file, not the request
        ["        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(C))) {",
         "            drafts.save((Draft) in.readObject());", "        }"],
        # JSON into a typed class is not Java deserialisation
        ["        Draft draft = ctx.bodyAsClass(Draft.class);", "        drafts.save(draft);"],
    ],
)  # fmt: skip
def test_deserialisation_near_misses(build, body):
    assert rule_lines(review(build, "src/DraftController.java", _handler(*body))) == []


def test_javalin_header_and_cookie_reads_are_sources(build):
    for read in ('ctx.header("X-Callback")', 'ctx.cookie("return_to")'):
        code = _handler(f"        String target = {read};", "        ctx.redirect(target);")
        findings = review(build, "src/DraftController.java", code)
        assert rule_lines(findings) == [("open-redirect", 6)], read


def test_vertx_routing_context_body_and_params(build):
    code = _handler(
        "        Buffer raw = rc.body().buffer();",
        "        var in = new ObjectInputStream(new ByteArrayInputStream(raw.getBytes()));",
        "        drafts.save((Draft) in.readObject());",
        params="RoutingContext rc",
    )
    assert rule_lines(review(build, "src/DraftController.java", code)) == [
        ("unsafe-deserialization", 6)
    ]
