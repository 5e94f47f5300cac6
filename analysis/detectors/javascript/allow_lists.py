"""Allow-lists that leave a value one of a fixed set of literals: after `COLUMNS.includes(v)`,
`SORTS.has(v)`, `v in ORDER_BY`, `Object.hasOwn(MAP, v)` or `v === "asc"` holds, `v` is one
of the literals written in the file (or a key of a literal table), so it cannot carry
injected text into any sink (an ORDER BY column, a shell argument, a path).

The collection must be a *literal table*: an array, object, `new Set(...)` / `new Map(...)` or
`Object.freeze(...)` built only from literals, written inline or bound by a `const` of the
file (`as const` allowed), a TypeScript `enum`, or `Object.keys/values(...)` of one. A
collection filled at run time (`new Set(await loadColumns())`, `let` bindings) is not.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import ANY_KIND

#: safe for every sink, and known to be one of the file's literals
LITERAL = frozenset({ANY_KIND, "literal"})
_SCALARS = frozenset({"number", "true", "false", "null", "undefined"})
_WRAPPERS = frozenset(
    {"as_expression", "satisfies_expression", "parenthesized_expression", "non_null_expression"}
)
_COLLECTIONS = frozenset({"Set", "Map"})
_TABLE_VIEWS = frozenset({"Object.keys", "Object.values", "Object.freeze"})
_MEMBERSHIP = frozenset({"includes", "has", "hasOwnProperty"})
_OWNERSHIP = frozenset({"Object.hasOwn", "Reflect.has"})
_VALUE_TYPES = frozenset({"identifier", "member_expression"})
_EQUALITY = {"===": True, "==": True, "!==": False, "!=": False}
# `T.indexOf(v) <op> n`: positive when it says "found"
_FOUND = {(">=", "0"): True, (">", "-1"): True, ("!==", "-1"): True, ("!=", "-1"): True,
          ("===", "-1"): False, ("==", "-1"): False, ("<", "0"): False}  # fmt: skip


class LiteralTables:
    """Which names of a file are literal tables, resolved on first use of each name: its
    declarations are found in the source text (no walk over the whole tree)."""

    def __init__(self) -> None:
        self._known: dict[str, bool] = {}

    def holds(self, node: Node | None) -> bool:
        """`node` evaluates to a literal table."""
        return _literal_table(unwrap(node), self._named)

    def _named(self, identifier: Node) -> bool:
        name = text(identifier)
        known = self._known.get(name)
        if known is None:
            self._known[name] = False  # a table defined through itself is not one
            root = identifier
            while root.parent is not None:
                root = root.parent
            known = self._known[name] = _declares_table(root, name, self._named)
        return known


def membership(node: Node, tables: LiteralTables) -> tuple[str, bool] | None:
    """(value, positive) when `node` tests a value against a literal table or a literal:
    positive tests hold when the value is one of the literals (`T.has(v)`, `v === "a"`),
    negative ones when it is not (`v !== "a"`, `T.indexOf(v) === -1`)."""
    if node.type == "call_expression":
        return _member_call(node, tables)
    if node.type != "binary_expression":
        return None
    operator = text(node.child_by_field_name("operator"))
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return None
    if operator == "in":
        return (_name(left), True) if _value(left) and tables.holds(right) else None
    if operator in _EQUALITY:
        for value, other in ((left, right), (right, left)):
            if _value(value) and is_literal(other):
                return _name(value), _EQUALITY[operator]
    for call, number in ((left, right), (right, left)):
        found = _FOUND.get((operator if call is left else _flip(operator), text(number)))
        if found is None or call.type != "call_expression":
            continue
        function = call.child_by_field_name("function")
        if function is None or function.type != "member_expression":
            continue
        if text(function.child_by_field_name("property")) != "indexOf":
            continue
        value = _only_argument(call)
        if (
            value is not None
            and _value(value)
            and tables.holds(function.child_by_field_name("object"))
        ):
            return _name(value), found
    return None


def _member_call(call: Node, tables: LiteralTables) -> tuple[str, bool] | None:
    """`T.includes(v)` / `T.has(v)` / `T.hasOwnProperty(v)` / `Object.hasOwn(T, v)`."""
    function = call.child_by_field_name("function")
    arguments = call.child_by_field_name("arguments")
    if function is None or arguments is None:
        return None
    given = [c for c in arguments.named_children if c.type != "comment"]
    callee = "".join(text(function).split())
    if callee in _OWNERSHIP and len(given) == 2:
        table, value = given
    elif function.type == "member_expression" and len(given) == 1:
        if text(function.child_by_field_name("property")) not in _MEMBERSHIP:
            return None
        table, value = function.child_by_field_name("object"), given[0]
    else:
        return None
    return (_name(value), True) if _value(value) and tables.holds(table) else None


def _flip(operator: str) -> str:
    return {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(operator, operator)


def _only_argument(call: Node) -> Node | None:
    arguments = call.child_by_field_name("arguments")
    given = [c for c in arguments.named_children if c.type != "comment"] if arguments else []
    return given[0] if len(given) == 1 else None


def _value(node: Node) -> bool:
    """A variable or a member path (also under a cast: `col as SortColumn`)."""
    inner = unwrap(node)
    return inner is not None and inner.type in _VALUE_TYPES


def _name(node: Node) -> str:
    return text(unwrap(node))


def unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type in _WRAPPERS and node.named_children:
        node = node.named_children[0]
    return node


def is_literal(node: Node | None) -> bool:
    """A string without substitutions, a number, a boolean, null."""
    node = unwrap(node)
    if node is None:
        return False
    if node.type in _SCALARS:
        return True
    if node.type == "unary_expression":
        return text(node.child_by_field_name("operator")) == "-" and is_literal(
            node.child_by_field_name("argument")
        )
    if node.type in ("string", "template_string"):
        return not any(c.type == "template_substitution" for c in node.named_children)
    return False


def _literal_table(node: Node | None, named: Callable[[Node], bool]) -> bool:
    """An inline literal collection (`["a", "b"]`, `new Set([...])`, `{ a: "x" }`), a name
    `named` accepts, or `Object.keys/values/freeze(...)` of one."""
    node = unwrap(node)
    if node is None:
        return False
    kind = node.type
    if kind == "identifier":
        return named(node)
    if kind == "array":
        return all(
            is_literal(c) or _literal_table(c, named)
            for c in node.named_children
            if c.type != "comment"
        )
    if kind == "object":
        return all(_literal_pair(c, named) for c in node.named_children if c.type != "comment")
    if kind in ("new_expression", "call_expression"):
        head = node.child_by_field_name("constructor" if kind == "new_expression" else "function")
        arguments = node.child_by_field_name("arguments")
        given = [c for c in arguments.named_children if c.type != "comment"] if arguments else []
        callee = "".join(text(head).split())
        wanted = _COLLECTIONS if kind == "new_expression" else _TABLE_VIEWS
        return callee in wanted and len(given) == 1 and _literal_table(given[0], named)
    return False


def _literal_pair(pair: Node, named: Callable[[Node], bool]) -> bool:
    if pair.type != "pair":
        return False
    key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
    if key is None or key.type == "computed_property_name":
        return False
    return is_literal(value) or _literal_table(value, named)


def _declares_table(root: Node, name: str, named: Callable[[Node], bool]) -> bool:
    """The file declares `name` only as literal tables: `const NAME = <literal table>` (`as
    const` allowed; it may be built from another table: `new Set(Object.keys(COLUMNS))`) or
    a TypeScript enum of literals. A `let`/`var`, or a `const` of anything else anywhere in
    the file (another scope reusing the name), makes it not one."""
    source = root.text or b""
    pattern = rb"\b(const|let|var|enum)\s+(" + re.escape(name.encode()) + rb")\b"
    found = False
    for match in re.finditer(pattern, source):
        declared = root.named_descendant_for_byte_range(match.start(2), match.end(2))
        holder = declared.parent if declared is not None else None
        if holder is None or declared is None or declared.type != "identifier":
            continue
        if holder.type == "enum_declaration":
            body = holder.child_by_field_name("body")
            members = body.named_children if body is not None else []
            if not all(_enum_member(member) for member in members):
                return False
        elif holder.type == "variable_declarator":
            keyword = text(holder.parent.child_by_field_name("kind")) if holder.parent else ""
            if keyword != "const":
                return False
            if not _literal_table(holder.child_by_field_name("value"), named):
                return False
        else:
            continue
        found = True
    return found


def _enum_member(member: Node) -> bool:
    if member.type in ("property_identifier", "comment"):
        return True
    return member.type == "enum_assignment" and is_literal(member.child_by_field_name("value"))
