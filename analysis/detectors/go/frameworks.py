"""Go framework sinks beyond net/http and gin: fiber and echo redirects and file responses,
pgx queries (SQL after the context argument), gorm query fragments, cookies whose flags are
set field by field, and CORS configs that admit every origin with credentials."""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.go.sql_calls import assigned_sql_text
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import Fact, TaintWalk

_FRAMEWORKS = (b"gin-gonic/gin", b"gofiber/fiber", b"labstack/echo")
_FILE_METHODS = frozenset(
    {"File", "FileAttachment", "SendFile", "Download", "Attachment", "Inline"}
)
# the context a pgx call takes first: `ctx`, `s.ctx`, `context.Background()`, `r.Context()`,
# gin `c.Request.Context()`, echo `c.Request().Context()`, fiber `c.UserContext()`
_CONTEXT_ARG = re.compile(
    r"^(?:(?:\w+\.)?\w*[cC]tx|context\.(?:Background|TODO)\(\)"
    r"|\w+(?:\.\w+(?:\(\))?)*\.(?:User)?Context\(\))$"
)
_PGX_METHODS = frozenset({"Query", "QueryRow", "Exec", "SendBatch", "CopyFrom"})
_GORM_FRAGMENTS = frozenset({"Where", "Or", "Not", "Order", "Group", "Having", "Joins", "Select"})
_SESSION = re.compile(r"(?i)sess|token|auth|sid|jwt|remember")
_FIELD_FLAGS = {"Secure": "Secure", "HttpOnly": "HttpOnly", "HTTPOnly": "HttpOnly"}


def _request(fact: Fact | None) -> bool:
    return fact is not None and fact.source is not None and not fact.source.startswith("os.")


def framework_call(walk: TaintWalk, call: Node, callee: str, args: list[Node]) -> list[Hit]:
    method = callee.rsplit(".", 1)[-1]
    source = walk.parsed.source
    hits: list[Hit] = []
    # (cheap tests on the call first: searching the file's text for each call is not)
    file_method = method in _FILE_METHODS and args
    # gin's File is checked with its hardening
    if file_method and b"gin-gonic/gin" not in source and any(n in source for n in _FRAMEWORKS):
        fact = walk.tainted(args[0], "path")
        if _request(fact) and fact is not None:
            detail = f"{fact.source} reaches {callee}"
            hits.append(walk.hit("path-traversal", call, 0.85, detail, fact))
    if "Redirect" in callee and b"gofiber/fiber" in source:
        hits.extend(_fiber_redirect(walk, call, callee, args))
    if method in _PGX_METHODS and len(args) > 1 and _CONTEXT_ARG.match(text(args[0])):
        hits.extend(_query_text(walk, call, args[1], method))
    if method in _GORM_FRAGMENTS and args and b"gorm.io/gorm" in source:
        hits.extend(_gorm_fragment(walk, call, args[0], method))
    if method == "SetCookie" and args and args[-1].type == "identifier":
        hits.extend(_cookie_fields(walk, call, text(args[-1])))
    return hits


def _fiber_redirect(walk: TaintWalk, call: Node, callee: str, args: list[Node]) -> list[Hit]:
    """fiber v2 `c.Redirect(location, status...)`; v3 `c.Redirect().To(location)`."""
    v2 = re.fullmatch(r"(?:c|ctx)\.Redirect", callee) and len(args) == 1
    v3 = re.fullmatch(r"(?:c|ctx)\.Redirect\(\)\.To", callee) and len(args) == 1
    if not (v2 or v3):
        return []
    fact = walk.tainted(args[0], "redirect")
    if not _request(fact) or fact is None or re.match(r"""^["`]/[^/\\]""", text(args[0])):
        return []
    return [walk.hit("open-redirect", call, 0.8, f"{fact.source} reaches {callee}", fact)]


def _query_text(walk: TaintWalk, call: Node, query: Node, method: str) -> list[Hit]:
    fact = walk.fact(query)
    if fact.constant:
        return []
    # a variable without SQL marks still holds SQL when it was started with SQL text and
    # extended with request data (`q := "SELECT ..."; q += ...`)
    unmarked = query.type == "identifier" and "sql" not in fact.marks
    if unmarked and (fact.source is None or not assigned_sql_text(call, text(query))):
        return []
    if fact.tainted_for("sql"):
        return [walk.hit("sql-injection", call, 0.9, f"{fact.source} reaches {method}", fact)]
    if fact.source is None and "sql" in fact.marks:
        detail = "query text built with Sprintf or +"
        return [walk.hit("sql-injection", call, 0.8, detail, fact)]
    return []


def _gorm_fragment(walk: TaintWalk, call: Node, fragment: Node, method: str) -> list[Hit]:
    """`db.Where(fmt.Sprintf("name = '%s'", v))`: request data spliced into a SQL fragment
    (the `Where("name = ?", v)` form binds it)."""
    built = fragment.type == "binary_expression" or (
        fragment.type == "call_expression" and text(fragment).startswith("fmt.Sprint")
    )
    fact = walk.tainted(fragment, "sql")
    if not built or not _request(fact) or fact is None:
        return []
    return [walk.hit("sql-injection", call, 0.85, f"{fact.source} reaches gorm {method}", fact)]


def cookie_flags_set_later(literal: Node) -> set[str]:
    """Flags assigned as `cookie.Secure = true` after `cookie := &http.Cookie{...}`."""
    binding = literal.parent
    while binding is not None and binding.type == "unary_expression":
        binding = binding.parent
    if binding is not None and binding.type == "expression_list":
        binding = binding.parent
    if binding is None or binding.type not in ("short_var_declaration", "assignment_statement"):
        return set()
    left = binding.child_by_field_name("left")
    name = text(left.named_children[0]) if left is not None and left.named_children else ""
    scope = binding.parent
    if not name.isidentifier() or scope is None:
        return set()
    return {flag for flag, value in _assigned_fields(text(scope), name).items() if value == "true"}


def _assigned_fields(scope: str, name: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for field, value in re.findall(rf"\b{re.escape(name)}\.(\w+)\s*=\s*([^\n;]+)", scope):
        found[_FIELD_FLAGS.get(field, field)] = value.strip()
    return found


def _cookie_fields(walk: TaintWalk, call: Node, name: str) -> list[Hit]:
    """`c := new(http.Cookie); c.Name = "session"; ...; SetCookie(c)` without the flags."""
    scope = call.parent
    while scope is not None and scope.type != "block":
        scope = scope.parent
    body = text(scope)
    created = rf"\b{re.escape(name)}\s*:?=\s*(?:new\(http\.Cookie\)|&?http\.Cookie\{{\}})"
    if not re.search(created, body):
        return []
    fields = _assigned_fields(body, name)
    for flag in ("Secure", "HttpOnly"):
        if fields.get(flag) == "false":
            return [walk.hit("insecure-cookie", call, 0.85, f"cookie with {flag} = false")]
    if not _SESSION.search(fields.get("Name", "")):
        return []
    missing = [flag for flag in ("Secure", "HttpOnly") if fields.get(flag) != "true"]
    if not missing:
        return []
    detail = f"session cookie without {' and '.join(missing)}"
    return [walk.hit("insecure-cookie", call, 0.65, detail)]


def credentialed_any_origin(node: Node, walk: TaintWalk) -> list[Hit]:
    """`AllowOriginFunc: func(string) bool { return true }` next to `AllowCredentials: true`:
    every site may make credentialed requests (gin-contrib/cors, rs/cors)."""
    children = node.named_children
    if len(children) != 2 or text(children[0]) != "AllowOriginFunc":
        return []
    function = children[1]
    if function.type == "literal_element":
        function = function.named_children[0] if function.named_children else function
    body = function.child_by_field_name("body") if function.type == "func_literal" else None
    statements = [c for c in body.named_children if c.type != "comment"] if body else []
    if len(statements) != 1 or re.sub(r"\s+", " ", text(statements[0])) != "return true":
        return []
    siblings = node.parent.named_children if node.parent is not None else []
    credentials = any(
        s.type == "keyed_element"
        and len(s.named_children) == 2
        and text(s.named_children[0]) == "AllowCredentials"
        and text(s.named_children[1]) == "true"
        for s in siblings
    )
    if not credentials:
        return []
    detail = "AllowOriginFunc accepts every origin and credentials are allowed"
    return [walk.hit("permissive-cors", node, 0.85, detail)]
