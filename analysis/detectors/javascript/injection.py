"""JavaScript/TypeScript sinks fed by the taint engine: injection, XSS, paths, SSRF, redirects,
deserialisation, mass assignment and regular expressions."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from analysis.detectors.javascript.frameworks import (
    calls_unserialize,
    checked_choice,
    is_fs_import,
    resolve_alias,
)
from analysis.detectors.javascript.mass_assignment import constructed_from_body, mass_assignment
from analysis.detectors.javascript.nosql import NOSQL_METHODS, nosql_filter
from analysis.detectors.javascript.outbound import fixed_origin
from analysis.detectors.javascript.responses import renders_html
from analysis.detectors.javascript.spec import arguments, callee_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import Fact, TaintWalk

_SQL_METHODS = frozenset({"query", "execute", "raw", "unsafe", "literal", "prepare"})
_RAW_SQL_METHODS = frozenset(
    {"raw", "whereRaw", "orderByRaw", "havingRaw", "joinRaw", "groupByRaw", "selectRaw",
     "unsafe", "literal", "$queryRawUnsafe", "$executeRawUnsafe", "rawQuery"}
)  # fmt: skip
# query-builder methods whose first argument is SQL condition text (TypeORM, MikroORM)
_BUILDER_CONDITIONS = frozenset({"where", "andWhere", "orWhere", "having", "andHaving", "orHaving"})
_SQL_BUILDER_IMPORT = re.compile(r"""(?:from|require\()\s*['"](?:typeorm|@mikro-orm/[\w-]+)['"]""")
_SHELL_OBJECTS = frozenset({"child_process", "childProcess", "cp", "shell", "shelljs"})
_SHELL_CALLS = frozenset({"exec", "execSync"})
_SPAWN_CALLS = frozenset({"spawn", "spawnSync", "execFile", "execFileSync"})
_VM_CALLS = frozenset({"runInNewContext", "runInThisContext", "runInContext", "compileFunction"})
_TEMPLATE_CALLS = re.compile(
    r"^(?:ejs\.render|ejs\.compile|pug\.compile|pug\.render|jade\.compile|Handlebars\.compile"
    r"|handlebars\.compile|nunjucks\.renderString|_\.template|lodash\.template|doT\.template"
    r"|mustache\.render|Mustache\.render|hbs\.compile)$"
)
_RESPONSE_WRITES = frozenset({"send", "write", "end"})
_FS_READ_WRITE = re.compile(
    r"^(?:fs|fsp|fsPromises|fs\.promises|fse|fsExtra)\.(?:readFile|readFileSync|createReadStream"
    r"|writeFile|writeFileSync|createWriteStream|appendFile|appendFileSync|unlink|unlinkSync|rm"
    r"|rmSync|readdir|readdirSync|open|openSync|stat|statSync|access|copyFile|rename|mkdir)$"
)
_SEND_FILE = frozenset({"sendFile", "download", "sendfile"})
# Bun's file API: `Bun.file(path)` opens (and a handler may return it as the response body),
# `Bun.write(path, data)` writes
_BUN_FILES = frozenset({"Bun.file", "Bun.write"})
_HTTP_CLIENT = re.compile(
    r"^(?:fetch|axios|axios\.(?:get|post|put|patch|delete|head|request)|got|got\.(?:get|post)"
    r"|https?\.(?:get|request)|request|needle|superagent\.(?:get|post)|ky|undici\.request)$"
)
_RELATIVE = re.compile(r"""^[`'"]/[^/\\`'"$]""")
_HTML_MARKUP = re.compile(r"<[a-zA-Z/!]")


def _is_request(fact: Fact | None) -> bool:
    return fact is not None and fact.source is not None and fact.source != "process.env"


def _detail(fact: Fact, sink: str) -> str:
    return f"{fact.source} reaches {sink}"


def check_injection(node: Node, walk: TaintWalk) -> Iterable[Hit]:
    kind = node.type
    if kind == "call_expression":
        return _call(node, walk)
    if kind == "new_expression":
        return _new(node, walk)
    if kind == "assignment_expression":
        return _html_property(node, walk)
    if kind == "jsx_attribute":
        return _dangerous_html(node, walk)
    if kind == "regex":
        return _regex_literal(node, walk)
    if kind == "variable_declarator":
        _note_sql_build(node, walk)
    return ()


def _call(call: Node, walk: TaintWalk) -> list[Hit]:
    callee = resolve_alias(walk, callee_name(call))
    method = callee.rsplit(".", 1)[-1]
    owner = callee.rsplit(".", 1)[0] if "." in callee else ""
    args = arguments(call)
    first = args[0] if args else None
    hits: list[Hit] = []
    if first is None:
        return hits
    if method in _SQL_METHODS or method in _RAW_SQL_METHODS:
        hits.extend(_sql(call, method, first, walk))
    if method in _BUILDER_CONDITIONS and owner and _sql_query_builder(call, walk):
        hits.extend(_builder_condition(call, method, first, walk))
    if method in NOSQL_METHODS and owner:
        hits.extend(nosql_filter(call, first, walk))
    if method in _SHELL_CALLS and (owner in _SHELL_OBJECTS or _imports_exec(walk, owner)):
        hits.extend(_code_like(walk, "shell-injection", call, first, "shell", callee, 0.75))
    if method in _SPAWN_CALLS and (owner in _SHELL_OBJECTS or _imports_exec(walk, owner)):
        fact = walk.tainted(first, "shell")
        if fact is not None:
            hits.append(walk.hit("shell-injection", call, 0.8, _detail(fact, callee), fact))
        elif "shell: true" in re.sub(r"\s+", " ", text(call)) and not walk.fact(first).constant:
            hits.append(walk.hit("shell-injection", call, 0.7, "spawn with shell: true", None))
    if callee == "eval" or (method in _VM_CALLS and owner == "vm"):
        hits.extend(_code_like(walk, "code-injection", call, first, "code", callee, 0.75))
    if callee in ("setTimeout", "setInterval") and first.type in (
        "string",
        "template_string",
        "binary_expression",
    ):
        hits.extend(_code_like(walk, "code-injection", call, first, "code", callee, 0.7))
    if _TEMPLATE_CALLS.match(callee):
        fact = walk.tainted(first, "template")
        if fact is not None:
            hits.append(walk.hit("template-injection", call, 0.9, _detail(fact, callee), fact))
    hits.extend(_output_sinks(call, callee, method, args, walk))
    if callee in ("serialize.unserialize", "unserialize") or method == "unserialize":
        hits.append(walk.hit("unsafe-deserialization", call, 0.85, "node-serialize unserialize"))
    if callee == "require" and _literal(first) == "node-serialize" and not calls_unserialize(walk):
        hits.append(
            walk.hit("unsafe-deserialization", call, 0.85, "node-serialize can run functions")
        )
    if method in ("parseXml", "parseXmlString") and re.search(r"noent\s*:\s*true", text(call)):
        hits.append(walk.hit("xxe", call, 0.85, "libxmljs parse with noent: true"))
    hits.extend(mass_assignment(call, callee, method, args, walk))
    return hits


def _sql(call: Node, method: str, first: Node, walk: TaintWalk) -> list[Hit]:
    fact = walk.fact(first)
    sql_like = "sql" in fact.marks
    if fact.constant or not (sql_like or method in _RAW_SQL_METHODS or fact.source):
        return []
    walk.notes.setdefault("sql_used", set()).update(fact.lines)
    if fact.tainted_for("sql"):
        confidence = 0.9 if sql_like or method in _RAW_SQL_METHODS else 0.75
        return [walk.hit("sql-injection", call, confidence, _detail(fact, method), fact)]
    if fact.source is not None:
        return []  # request data that a sanitiser (parseInt, escape) made safe
    if sql_like or first.type in ("template_string", "binary_expression"):
        return [
            walk.hit(
                "sql-injection",
                call,
                0.85 if first.type != "identifier" else 0.75,
                "query text built with a template literal or concatenation",
                fact,
            )
        ]
    return []


def _sql_query_builder(call: Node, walk: TaintWalk) -> bool:
    """A TypeORM / MikroORM query builder: the chain starts at createQueryBuilder, or the
    file imports an ORM whose builder takes SQL condition text."""
    if "createQueryBuilder(" in text(call.child_by_field_name("function")):
        return True
    source = text(walk.parsed.root)
    return bool(_SQL_BUILDER_IMPORT.search(source))


def _builder_condition(call: Node, method: str, first: Node, walk: TaintWalk) -> list[Hit]:
    """`qb.where(`name LIKE '%${term}%'`)`: the condition is SQL text; values belong in
    named parameters (`where('name LIKE :term', { term })`)."""
    if first.type not in ("template_string", "binary_expression"):
        return []
    fact = walk.fact(first)
    if fact.constant or (fact.source is not None and not fact.tainted_for("sql")):
        return []
    confidence = 0.9 if fact.tainted_for("sql") else 0.8
    detail = (
        _detail(fact, method)
        if fact.source
        else f"{method}() condition built with a template literal or concatenation"
    )
    return [walk.hit("sql-injection", first, confidence, detail, fact)]  # chains span lines


def _note_sql_build(node: Node, walk: TaintWalk) -> None:
    value = node.child_by_field_name("value")
    if value is None or value.type not in ("template_string", "binary_expression"):
        return
    fact = walk.fact(value)
    if "sql" in fact.marks and not fact.constant:
        walk.notes.setdefault("sql_build", set()).add(walk.line(node))


def _code_like(
    walk: TaintWalk, rule: str, call: Node, first: Node, kind: str, callee: str, base: float
) -> list[Hit]:
    fact = walk.fact(first)
    if fact.tainted_for(kind):
        return [walk.hit(rule, call, 0.9, _detail(fact, callee), fact)]
    if fact.constant or fact.source is not None:
        return []
    return [walk.hit(rule, call, base, f"{callee} of a non-constant value", fact)]


def _imports_exec(walk: TaintWalk, owner: str) -> bool:
    return owner == "" and b"child_process" in walk.parsed.source


def _output_sinks(
    call: Node, callee: str, method: str, args: list[Node], walk: TaintWalk
) -> list[Hit]:
    hits: list[Hit] = []
    first = args[0]
    is_response = callee.startswith(("res.", "response.", "reply.")) or ".status(" in callee
    koa = callee in ("ctx.redirect", "ctx.response.redirect", "NextResponse.redirect")
    if is_response and method in _RESPONSE_WRITES and renders_html(call, callee, first):
        fact = walk.tainted(first, "html")
        if _is_request(fact) and fact is not None:
            markup = first.type in ("template_string", "binary_expression") and bool(
                _HTML_MARKUP.search(text(first))
            )
            confidence = 0.85 if markup else 0.7
            hits.append(walk.hit("xss", call, confidence, _detail(fact, callee), fact))
    if callee in ("document.write", "document.writeln") or method == "insertAdjacentHTML":
        target = args[-1]
        hits.extend(_html_value(walk, call, target, callee))
    if (
        is_response
        and method in _SEND_FILE
        and "root" not in text(call.child_by_field_name("arguments"))
    ):
        fact = walk.tainted(first, "path")
        if _is_request(fact) and fact is not None:
            hits.append(walk.hit("path-traversal", call, 0.85, _detail(fact, callee), fact))
    if _FS_READ_WRITE.match(callee) or callee in _BUN_FILES or is_fs_import(walk, callee):
        fact = walk.tainted(first, "path")
        if _is_request(fact) and fact is not None:
            hits.append(walk.hit("path-traversal", call, 0.85, _detail(fact, callee), fact))
    if _HTTP_CLIENT.match(callee) and not fixed_origin(first, walk):
        fact = walk.tainted(first, "ssrf")
        if _is_request(fact) and fact is not None:
            hits.append(walk.hit("ssrf", call, 0.85, _detail(fact, callee), fact))
    if (is_response or koa) and method == "redirect":
        target = args[-1]
        fact = walk.tainted(target, "redirect")
        relative = _RELATIVE.match(text(target)) or fixed_origin(target, walk)
        if _is_request(fact) and fact is not None and not relative and not checked_choice(target):
            hits.append(walk.hit("open-redirect", call, 0.8, _detail(fact, callee), fact))
    return hits


def _html_value(walk: TaintWalk, at: Node, value: Node, sink: str) -> list[Hit]:
    fact = walk.fact(value)
    if fact.tainted_for("html"):
        return [walk.hit("xss", at, 0.9, _detail(fact, sink), fact)]
    dynamic = value.type in ("template_string", "binary_expression")
    if dynamic and not fact.constant and fact.source is None and "html" not in fact.sanitised:
        return [walk.hit("xss", at, 0.6, f"{sink} built from non-constant values", fact)]
    return []


def _html_property(node: Node, walk: TaintWalk) -> list[Hit]:
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    if left is None or right is None or left.type != "member_expression":
        return []
    prop = text(left.child_by_field_name("property"))
    if prop not in ("innerHTML", "outerHTML"):
        return []
    return _html_value(walk, node, right, prop)


def _dangerous_html(node: Node, walk: TaintWalk) -> list[Hit]:
    if not text(node).startswith("dangerouslySetInnerHTML"):
        return []
    for child in _walk_pairs(node):
        if text(child.child_by_field_name("key")).strip("'\"") != "__html":
            continue
        value = child.child_by_field_name("value")
        fact = walk.fact(value)
        if fact.constant or "html" in fact.sanitised or ANY in fact.sanitised:
            return []
        confidence = 0.9 if fact.source else 0.65
        detail = (
            _detail(fact, "dangerouslySetInnerHTML")
            if fact.source
            else ("dangerouslySetInnerHTML with a value that is not sanitised")
        )
        return [walk.hit("xss", node, confidence, detail, fact)]
    return []


ANY = "*"


def _walk_pairs(node: Node) -> list[Node]:
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        if current.type == "pair":
            found.append(current)
        stack.extend(current.children)
    return found


def _new(node: Node, walk: TaintWalk) -> list[Hit]:
    constructor = callee_name(node)
    args = arguments(node)
    if constructor == "Function" and args:
        facts = [walk.fact(a) for a in args]
        tainted = next((f for f in facts if f.tainted_for("code")), None)
        if tainted is not None:
            return [walk.hit("code-injection", node, 0.9, _detail(tainted, "new Function"))]
        if not all(f.constant for f in facts):
            return [walk.hit("code-injection", node, 0.75, "new Function(...) compiles code")]
        return []
    if constructor == "RegExp" and args:
        fact = walk.fact(args[0])
        if _is_request(fact) and fact.tainted_for("regex"):
            return [walk.hit("redos", node, 0.8, _detail(fact, "new RegExp"), fact)]
        if fact.constant and fact.value is not None and _prone(fact.value):
            return [walk.hit("redos", node, 0.7, "nested or overlapping quantifiers")]
        return []
    if constructor == "vm.Script" and args:
        return _code_like(walk, "code-injection", node, args[0], "code", "vm.Script", 0.7)
    return constructed_from_body(node, constructor, args, walk)


def _regex_literal(node: Node, walk: TaintWalk) -> list[Hit]:
    pattern = node.child_by_field_name("pattern")
    if pattern is not None and _prone(text(pattern)):
        return [walk.hit("redos", node, 0.7, "nested or overlapping quantifiers")]
    return []


def _prone(pattern: str) -> bool:
    from analysis.detectors.regex_safety import is_redos_prone

    try:
        return is_redos_prone(pattern)
    except (ValueError, RecursionError):
        return False


def _literal(node: Node) -> str | None:
    if node.type != "string":
        return None
    return text(node)[1:-1]
