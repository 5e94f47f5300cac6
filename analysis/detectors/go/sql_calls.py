"""Where the SQL text sits in a Go database call, and whether a query variable holds SQL.

database/sql: `Query/QueryRow/Exec/Prepare(query, args...)`, each with a `...Context(ctx,
query, ...)` form. sqlx adds `Select/Get(dest, query, args...)`, `Queryx/QueryRowx/MustExec/
Preparex/PrepareNamed(query, ...)`, `NamedQuery/NamedExec(query, arg)`, all again with a
`...Context` form, and package functions taking the database first
(`sqlx.Select(db, dest, query, ...)`, `sqlx.GetContext(ctx, db, dest, query, ...)`).

A query variable that is started with SQL text and extended with request data
(`q := "SELECT ..."; q += fmt.Sprintf(" AND a = '%s'", v)`) holds SQL even though the
extension alone does not read as SQL: `assigned_sql_text` finds such variables.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text

#: method -> index of the query among the arguments of its plain (no context) form
_QUERY_INDEX = {
    "Query": 0, "QueryRow": 0, "Exec": 0, "Prepare": 0, "Raw": 0, "MustExec": 0,
    "Queryx": 0, "QueryRowx": 0, "NamedExec": 0, "NamedQuery": 0, "Preparex": 0,
    "PrepareNamed": 0, "Select": 1, "Get": 1,
}  # fmt: skip
_DEST_FIRST = frozenset({"Select", "Get"})
SQL_TEXT = re.compile(
    r"(?is)\b(?:select\s.+\sfrom|insert\s+into|update\s+\w+\s+set|delete\s+from)\b"
)
_FUNCTIONS = frozenset({"function_declaration", "method_declaration", "func_literal"})
_ASSIGNMENTS = frozenset({"short_var_declaration", "assignment_statement", "var_spec"})


def is_sql_method(method: str) -> bool:
    return method in _QUERY_INDEX or (
        method.endswith("Context") and method.removesuffix("Context") in _QUERY_INDEX
    )


def query_argument(callee: str, method: str, args: list[Node]) -> Node | None:
    """The argument holding the SQL text, or None when the call does not have the shape of
    a database call (`client.Get(url)` has no destination before the query)."""
    plain = method.removesuffix("Context") if method not in _QUERY_INDEX else method
    index = _QUERY_INDEX.get(plain)
    if index is None:
        return None
    if method != plain:
        index += 1  # the context comes first
    if callee.startswith("sqlx.") and callee.count(".") == 1:
        index += 1  # package function: the database (queryer / execer) is an argument
    if plain in _DEST_FIRST and len(args) <= index:
        return None
    return args[index] if index < len(args) else None


def assigned_sql_text(call: Node, name: str) -> bool:
    """Whether `name` is assigned SQL text (`q := "SELECT ..."`, `var q = ...`) in the
    function around `call`, before it."""
    scope = call.parent
    while scope is not None and scope.type not in _FUNCTIONS:
        scope = scope.parent
    if scope is None:
        return False
    stack = [scope]
    while stack:
        node = stack.pop()
        if node.start_byte >= call.start_byte:
            continue
        if node.type in _ASSIGNMENTS and _assigns(node, name):
            value = node.child_by_field_name("right") or node.child_by_field_name("value")
            if value is not None and SQL_TEXT.search(text(value)):
                return True
        stack.extend(node.named_children)
    return False


def _assigns(node: Node, name: str) -> bool:
    if node.type == "var_spec":
        return any(text(n) == name for n in node.children_by_field_name("name"))
    left = node.child_by_field_name("left")
    return left is not None and any(text(n) == name for n in left.named_children)
