"""Injection sinks: SQL, NoSQL, shell, code, template, LDAP, XPath, deserialisation, XML
entities and regular expressions. Data from a request reaches a sink -> high confidence;
merely non-constant data only where the construction itself is the smell (SQL assembled
with f-strings, `shell=True` with a variable, eval of a variable)."""

from __future__ import annotations

import ast
import re

from analysis.detectors.python.callsite import CallSite, Reporter
from analysis.detectors.python.deserialisation import check_deserialisation
from analysis.detectors.python.values import (
    DATA,
    TEMPLATE_SANDBOX,
    Value,
)
from analysis.detectors.regex_safety import is_redos_prone

_SQL_WORDS = re.compile(
    r"(?i)\b(select|insert|update|delete|create|drop|alter|merge|truncate|grant|where|values"
    r"|order\s+by|from)\b"
)
# `execute_sql` is peewee's `Database.execute_sql(sql, params)`
_ALWAYS_SQL = frozenset(
    {"execute", "executemany", "executescript", "exec_driver_sql", "mogrify", "execute_sql"}
)
# raw SQL fragments spliced into a query builder (peewee `SQL("...", params)`)
_SQL_FRAGMENTS = frozenset({"peewee.SQL"})
_MAYBE_SQL = frozenset({"raw", "text", "read_sql", "read_sql_query", "RawSQL", "query"})
_DJANGO_EXTRA = ("where", "select", "tables", "order_by")
_SUBPROCESS = frozenset(
    {
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
    }
)
_ALWAYS_SHELL = frozenset(
    {
        "os.system",
        "os.popen",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "asyncio.create_subprocess_shell",
        "commands.getoutput",
    }
)
_TEMPLATES = frozenset(
    {
        "flask.render_template_string",
        "jinja2.Template",
        "django.template.Template",
        "mako.template.Template",
        "quart.render_template_string",
    }
)
_MONGO_METHODS = frozenset(
    {
        "find",
        "find_one",
        "find_one_and_update",
        "find_one_and_delete",
        "find_one_and_replace",
        "update_one",
        "update_many",
        "delete_one",
        "delete_many",
        "count_documents",
        "aggregate",
        "replace_one",
    }
)
_MONGO_MODULES = ("pymongo", "motor", "mongoengine", "flask_pymongo", "mongomock")
_STDLIB_XML = frozenset(
    {
        "xml.etree.ElementTree.fromstring",
        "xml.etree.ElementTree.parse",
        "xml.etree.ElementTree.XML",
        "xml.etree.cElementTree.fromstring",
        "xml.dom.minidom.parseString",
        "xml.dom.minidom.parse",
        "xml.dom.pulldom.parseString",
        "xml.sax.parseString",
        "xml.sax.parse",
        "lxml.etree.fromstring",
        "lxml.etree.parse",
        "lxml.etree.XML",
    }
)
_REGEX_CALLS = frozenset(
    {
        "re.compile",
        "re.match",
        "re.search",
        "re.fullmatch",
        "re.findall",
        "re.finditer",
        "re.sub",
        "re.subn",
        "re.split",
    }
)
_DATA = frozenset({DATA})


def check_injection(site: CallSite, out: Reporter) -> None:
    _sql(site, out)
    _nosql(site, out)
    _shell(site, out)
    _code(site, out)
    _template(site, out)
    _ldap(site, out)
    _xpath(site, out)
    check_deserialisation(site, out)
    _xml(site, out)
    _regex(site, out)


def _how(value: Value) -> str:
    return value.built or "a non-constant value"


def _sql(site: CallSite, out: Reporter) -> None:
    short = site.short
    if short == "extra" and site.receiver is not None:
        for key in _DJANGO_EXTRA:
            found = site.arg(-1, key)
            if found is not None and not found[1].constant:
                _sql_value(site, out, found[1], "QuerySet.extra()", always=True)
        return
    if site.name in _SQL_FRAGMENTS:
        found = site.arg(0, "sql")
        if found is not None:
            _sql_value(site, out, found[1], f"{site.name}() fragment", always=True)
        return
    if short not in _ALWAYS_SQL and short not in _MAYBE_SQL:
        return
    found = site.arg(0, "sql") or site.arg(0, "statement")
    if found is None:
        return
    _sql_value(site, out, found[1], site.sink_label, always=short in _ALWAYS_SQL)


def _sql_value(site: CallSite, out: Reporter, value: Value, sink: str, *, always: bool) -> None:
    if value.constant or not (always or _SQL_WORDS.search(value.text)):
        return
    remote = 0.95
    local = 0.85 if value.built else None
    dynamic = 0.75 if value.built else None
    out.sink(
        "sql-injection",
        site.node,
        value,
        sink,
        kind="sql",
        remote=remote,
        local=local,
        dynamic=dynamic,
        dynamic_detail=f"{site.short}() receives SQL built with {_how(value)}",
    )


def _nosql(site: CallSite, out: Reporter) -> None:
    if site.short not in _MONGO_METHODS or site.receiver is None:
        return
    found = site.arg(0, "filter")
    if found is None:
        return
    node, value = found
    mongo = site.imports_any(*_MONGO_MODULES) or re.search(r"(?i)coll|mongo|db", site.name)
    where = _where_clause(node)
    if where is not None:
        out.report(
            "nosql-injection", site.node, 0.8, "$where runs JavaScript built from a variable"
        )
    if not mongo:
        return
    out.sink(
        "nosql-injection",
        site.node,
        value,
        f"{site.short}() filter",
        kind="nosql",
        remote=0.85,
        shapes=_DATA,
    )


def _where_clause(node: ast.expr) -> ast.expr | None:
    """The non-literal JavaScript of a `{"$where": ...}` filter."""
    if not isinstance(node, ast.Dict):
        return None
    for key, value in zip(node.keys, node.values, strict=True):
        is_where = isinstance(key, ast.Constant) and key.value == "$where"
        if is_where and not isinstance(value, ast.Constant):
            return value
    return None


def _shell(site: CallSite, out: Reporter) -> None:
    found = site.arg(0, "args") or site.arg(0, "cmd") or site.arg(0, "command")
    if found is None or found[1].constant:
        return
    value = found[1]
    if site.name in _ALWAYS_SHELL:
        sink = f"{site.name}()"
    elif site.name in _SUBPROCESS and _is_true(site.keyword("shell")):
        sink = f"{site.name}(..., shell=True)"
    else:
        return
    if (
        value.shape in ("list", "tuple")
        and site.name in _SUBPROCESS
        and not _is_true(site.keyword("shell"))
    ):
        return
    out.sink(
        "shell-injection",
        site.node,
        value,
        sink,
        kind="shell",
        remote=0.95,
        local=0.8,
        dynamic=0.75,
        dynamic_detail=f"{sink} with a non-constant command ({_how(value)})",
    )


def _code(site: CallSite, out: Reporter) -> None:
    if not (isinstance(site.node.func, ast.Name) and site.name in ("eval", "exec", "compile")):
        return
    found = site.arg(0, "source")
    if found is None or found[1].constant:
        return
    out.sink(
        "code-injection",
        site.node,
        found[1],
        f"{site.name}()",
        kind="code",
        remote=0.95,
        local=0.85,
        dynamic=0.7,
        dynamic_detail=f"{site.name}() of a non-constant value",
    )


def _template(site: CallSite, out: Reporter) -> None:
    receiver = site.receiver
    is_template = site.name in _TEMPLATES or (
        site.short == "from_string" and receiver is not None and receiver.shape != TEMPLATE_SANDBOX
    )
    if site.short == "Template" and site.imports_any("jinja2", "mako", "django"):
        is_template = True
    if not is_template:
        return
    found = site.arg(0, "source")
    if found is None or found[1].constant:
        return
    value = found[1]
    out.sink(
        "template-injection",
        site.node,
        value,
        f"{site.sink_label}()",
        kind="template",
        remote=0.9,
        local=0.7,
        dynamic=0.6 if value.built else None,
        dynamic_detail=f"template source built with {_how(value)}",
    )


def _ldap(site: CallSite, out: Reporter) -> None:
    if not site.imports_any("ldap", "ldap3") or site.name.startswith("re."):
        return
    if site.short in ("search_s", "search_st", "search_ext_s", "search_ext"):
        found = site.arg(2, "filterstr")
    elif site.short in ("search", "paged_search") and site.receiver is not None:
        found = site.arg(1, "search_filter") or site.arg(2, "filterstr")
    else:
        return
    if found is None or found[1].constant:
        return
    value = found[1]
    out.sink(
        "ldap-injection",
        site.node,
        value,
        f"{site.short}() filter",
        kind="ldap",
        remote=0.9,
        dynamic=0.6 if value.built else None,
        dynamic_detail=f"LDAP filter built with {_how(value)}",
    )


def _xpath(site: CallSite, out: Reporter) -> None:
    if site.short not in ("xpath", "XPath", "evaluate") or (
        site.short == "evaluate" and not site.imports_any("lxml")
    ):
        return
    found = site.arg(0, "_path") or site.arg(0, "path")
    if found is None or found[1].constant:
        return
    value = found[1]
    out.sink(
        "xpath-injection",
        site.node,
        value,
        f"{site.short}()",
        kind="xpath",
        remote=0.9,
        dynamic=0.6 if value.built else None,
        dynamic_detail=f"XPath expression built with {_how(value)}",
    )


def _xml(site: CallSite, out: Reporter) -> None:
    if site.name.startswith("defusedxml"):
        return
    if (site.short == "XMLParser" and site.name.startswith(("lxml", "etree"))) or (
        site.short == "XMLParser" and site.imports_any("lxml")
    ):
        if _is_true(site.keyword("resolve_entities")) or _is_false(site.keyword("no_network")):
            out.report("xxe", site.node, 0.85, "lxml XMLParser resolves external entities")
        return
    if site.short == "setFeature" and site.node.args and len(site.node.args) >= 2:
        feature = ast.unparse(site.node.args[0])
        if "external" in feature and _is_true(site.node.args[1]):
            out.report("xxe", site.node, 0.85, f"SAX feature {feature} enabled")
        return
    if site.name in _STDLIB_XML:
        if site.name.startswith("lxml.") and site.arg(1, "parser") is not None:
            return  # an explicit lxml parser decides: its XMLParser(...) call is judged itself
        found = site.arg(0, "text") or site.arg(0, "source")
        if found is not None:
            out.sink("xxe", site.node, found[1], f"{site.name}()", kind="xxe", remote=0.7)


def _regex(site: CallSite, out: Reporter) -> None:
    if site.name not in _REGEX_CALLS:
        return
    found = site.arg(0, "pattern")
    if found is None:
        return
    value = found[1]
    if isinstance(value.literal, str) and is_redos_prone(value.literal):
        shown = value.literal if len(value.literal) <= 40 else value.literal[:37] + "..."
        out.report(
            "redos", site.node, 0.7, f"{site.name}() with a backtracking-prone pattern {shown!r}"
        )
        return
    out.sink("redos", site.node, value, f"{site.name}() pattern", kind="regex", remote=0.75)


def _is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _is_false(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False
