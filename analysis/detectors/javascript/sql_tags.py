"""Tagged templates of SQL libraries: each `${value}` becomes a bound parameter, never SQL
text, so the query is safe for SQL whatever the values hold.

Tags: `sql` (Drizzle, Kysely, slonik, `@vercel/postgres`, postgres.js and Neon instances
conventionally named `sql`, `@databases`, `sql-template-tag`), `SQL` (sql-template-strings),
`Prisma.sql`, Prisma's `$queryRaw` / `$executeRaw`, slonik's `sql.fragment`, `sql.unsafe`
and typed `sql.type(schema)` / `sql.typeAlias(name)`. The escape hatches that splice text
— `sql.raw(text)`, `Prisma.raw(text)`, `$queryRawUnsafe(text)` — are sinks of their own.

TypeScript's generic tag `sql<Row>`...`` is parsed by tree-sitter either as an instantiation
expression or as the comparisons `sql < Row > `...``; both shapes are recognised.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text

_TAG = re.compile(
    r"^(?:(?:sql|SQL)(?:\.(?:fragment|unsafe))?|(?:[\w$]+\.)*Prisma\.sql"
    r"|(?:[\w$]+\.)*\$(?:queryRaw|executeRaw)|sql\.(?:type|typeAlias)\(.*\))$",
    re.DOTALL,
)
SQL = frozenset({"sql"})
_TYPED = frozenset({"instantiation_expression", "non_null_expression"})


def is_sql_tag(tag: Node | None) -> bool:
    """`tag` (the function of a tagged template) is a parameterising SQL tag."""
    while tag is not None and tag.type in _TYPED and tag.named_children:
        tag = tag.named_children[0]  # `sql<Row>`: the tag without its type arguments
    return tag is not None and _TAG.match(re.sub(r"\s+|\?(?=\.)", "", text(tag))) is not None


def tagged_sql_call(call: Node) -> bool:
    """`sql`SELECT ... ${value}`` (a call whose arguments are a template string)."""
    arguments = call.child_by_field_name("arguments")
    return (
        call.type == "call_expression"
        and arguments is not None
        and arguments.type == "template_string"
        and is_sql_tag(call.child_by_field_name("function"))
    )


def sql_tagged_template(template: Node) -> bool:
    """The template string is the text of a SQL tag (also `sql<Row>`...`` in TypeScript)."""
    parent = template.parent
    if parent is None:
        return False
    if parent.type == "call_expression":
        return tagged_sql_call(parent)
    if parent.type != "binary_expression" or text(parent.child_by_field_name("operator")) != ">":
        return False
    left = parent.child_by_field_name("left")
    if left is None or left.type != "binary_expression":
        return False
    if text(left.child_by_field_name("operator")) != "<":
        return False
    return is_sql_tag(left.child_by_field_name("left"))
