"""Java: request text compiled as a template by FreeMarker, Velocity, Thymeleaf (string
resolver), Pebble and Groovy, with JAX-RS/Quarkus entities, form and query parameters as
sources. Templates loaded by name, constant template text and a file-based Thymeleaf
resolver stay quiet; a JAX-RS context object is not the request entity."""

import pytest

from tests.analysis.security.review import review, rule_lines


def _resource(imports: list[str], params: str, *body: str, verb: str = "@POST") -> list[str]:
    """A JAX-RS resource; the body starts at line len(imports) + 6."""
    return [
        "package app;",
        *imports,
        '@Path("/preview")',
        "public class PreviewResource {",
        f"    {verb}",
        f"    public String preview({params}) throws Exception {{",
        *body,
        "    }",
        "}",
    ]


FREEMARKER = ["import freemarker.template.Template;"]
VELOCITY = ["import org.apache.velocity.app.Velocity;"]
THYMELEAF = [
    "import org.thymeleaf.TemplateEngine;",
    "import org.thymeleaf.templateresolver.StringTemplateResolver;",
]
PEBBLE = ["import io.pebbletemplates.pebble.PebbleEngine;"]
GROOVY = ["import groovy.text.SimpleTemplateEngine;"]

FLAGGED = [
    # the request entity (an unannotated parameter of a JAX-RS method), via a record accessor
    (FREEMARKER, "@Valid PreviewRequest request",
     ['        Template t = new Template("p", new StringReader(request.template()), cfg);']),
    # the source-name form of the constructor
    (FREEMARKER, '@FormParam("body") String body',
     ['        Template t = new Template("p", "preview.ftl", new StringReader(body), cfg);']),
    (FREEMARKER, "String text",
     ['        templates.putTemplate("preview", text);']),
    (VELOCITY, '@QueryParam("t") String tpl',
     ['        Velocity.evaluate(new VelocityContext(), out, "preview", tpl);']),
    (THYMELEAF, "Draft draft",
     ["        return engine.process(draft.getBody(), new Context());"]),
    (PEBBLE, '@FormParam("t") String t',
     ["        return pebble.getLiteralTemplate(t).toString();"]),
    (GROOVY, "String script",
     ["        return new SimpleTemplateEngine().createTemplate(script).make(model).toString();"]),
]  # fmt: skip

QUIET = [
    # loaded by name from the classpath; the request only fills the model
    (FREEMARKER, "PreviewRequest request",
     ['        Template t = cfg.getTemplate("notifications/preview.ftl");',
      "        t.process(Map.of(\"subject\", request.subject()), out);"]),
    # constant template text
    (FREEMARKER, "PreviewRequest request",
     ['        Template t = new Template("p", new StringReader("<p>${subject}</p>"), cfg);']),
    (VELOCITY, '@QueryParam("name") String name',
     ["        VelocityContext ctx = new VelocityContext();", '        ctx.put("name", name);',
      '        Velocity.evaluate(ctx, out, "greeting", "Hello $name");']),
    # a file resolver: the request picks data, the template is a fixed name
    (["import org.thymeleaf.TemplateEngine;"], "Draft draft",
     ["        var model = new Context(Locale.ROOT, Map.of(\"d\", draft));",
      '        return engine.process("drafts/preview", model);']),
    # a JAX-RS context object is injected, it is not the request entity
    (FREEMARKER, "UriInfo info",
     ['        Template t = new Template("p", new StringReader(info.getPath()), cfg);']),
]  # fmt: skip


@pytest.mark.parametrize(("imports", "params", "body"), FLAGGED)
def test_request_text_compiled_as_template(build, imports, params, body):
    code = _resource(imports, params, *body)
    line = len(imports) + 6
    assert rule_lines(review(build, "src/PreviewResource.java", code)) == [
        ("template-injection", line)
    ]


@pytest.mark.parametrize(("imports", "params", "body"), QUIET)
def test_template_near_misses(build, imports, params, body):
    code = _resource(imports, params, *body)
    assert rule_lines(review(build, "src/PreviewResource.java", code)) == []


def test_get_resource_parameters_are_not_an_entity(build):
    """Only a method that takes a body (POST/PUT/PATCH/DELETE) has an entity parameter."""
    body = ['        Template t = new Template("p", new StringReader(request.template()), cfg);']
    code = _resource(FREEMARKER, "PreviewRequest request", *body, verb="@GET")
    assert rule_lines(review(build, "src/PreviewResource.java", code)) == []
