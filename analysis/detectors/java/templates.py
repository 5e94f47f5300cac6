"""Request text compiled as a template (server-side template injection).

Template languages reach Java objects (FreeMarker `?new`/`?api`, Velocity `$class`,
Thymeleaf/SpEL `T(...)`, Groovy code), so the template *source* must never come from the
request. Each engine has a call that compiles source text rather than loading a template by
name:

- FreeMarker `new Template(name, Reader|String source, cfg)` (and the forms with a source
  name before the reader), and `StringTemplateLoader.putTemplate(name, source)`;
- Velocity `Velocity.evaluate(context, writer, logTag, String|Reader source)` (also on a
  `VelocityEngine`);
- Thymeleaf `engine.process(template, context)` when the file configures a
  `StringTemplateResolver`, which treats the template name as the template text;
- Pebble `engine.getLiteralTemplate(source)`, Jinjava `jinjava.render(source, bindings)`,
  Groovy `templateEngine.createTemplate(source)`.

Loading a template by name (`cfg.getTemplate("mail.ftl")`, `engine.process("mail/welcome",
ctx)` with a file resolver) is not compiling request text and stays quiet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from analysis.detectors.java.spec import arguments, method_name, qualified_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import TaintWalk

_ENGINE_RECEIVER = re.compile(r"(?i)engine|thymeleaf")


def check_templates(node: Node, walk: TaintWalk) -> Iterable[Hit]:
    if node.type not in ("method_invocation", "object_creation_expression"):
        return ()
    sources = _template_sources(node, walk.parsed.source)
    for source in sources:
        fact = walk.tainted(source, "template")
        if fact is not None and fact.source is not None and "getenv" not in fact.source:
            detail = f"{fact.source} used as template source ({qualified_name(node)})"
            return [walk.hit("template-injection", node, 0.85, detail, fact)]
    return ()


def _template_sources(call: Node, file: bytes) -> list[Node]:
    """The arguments of `call` that an engine compiles as template text."""
    name = method_name(call)
    args = arguments(call)
    if call.type == "object_creation_expression":
        if name in ("Template", "freemarker.template.Template") and b"freemarker" in file:
            return args[1:2] if len(args) == 3 else args[1:3] if len(args) > 3 else []
        return []
    if name == "putTemplate" and len(args) >= 2 and b"freemarker" in file:
        return [args[1]]
    if name == "evaluate" and len(args) == 4 and b"org.apache.velocity" in file:
        return [args[3]]
    thymeleaf = name in ("process", "processThrottled") and len(args) >= 2
    receiver = text(call.child_by_field_name("object")) if thymeleaf else ""
    if thymeleaf and _ENGINE_RECEIVER.search(receiver) and b"StringTemplateResolver" in file:
        return [args[0]]
    if name == "getLiteralTemplate" and args and b"pebble" in file:
        return [args[0]]
    if name == "render" and len(args) == 2 and b"hubspot.jinjava" in file:
        return [args[0]]
    if name == "createTemplate" and args and b"groovy.text" in file:
        return [args[0]]
    return []
