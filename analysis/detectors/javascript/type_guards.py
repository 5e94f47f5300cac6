"""Type guards and validations that leave a value a primitive. A string cannot carry MongoDB
query operators (`{"$ne": null}`), so it is safe as a filter value; a number is safe for every
sink. Three shapes:

- early exits: `if (typeof t !== "string" || ...) return res.status(400)...` -> `t` below;
- branches: `if (typeof t === "string" && ...) { ... }` -> `t` inside (negated: the `else`);
- assertions as statements: `await validateOrReject(dto)` (class-validator),
  `assert(typeof t === "string")`, `Joi.assert(body, schema)`, `Schema.parse(body)` (zod,
  yup, joi: with a validation library imported).

With the file's literal tables (see `allow_lists`), allow-list tests count too: after
`if (!COLUMNS.includes(c)) return ...` or inside `if (dir === "asc" || dir === "desc") {...}`
the value is one of the literals, safe for every sink. An exit is a `return`, a `throw`,
`next(...)`, or a call of an imported function that always throws (SvelteKit's `error()`).

Tests combine: `A || B` is false only when both are, `A && B` is true only when both are.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.javascript.allow_lists import LITERAL, LiteralTables, membership
from analysis.detectors.javascript.file_facts import NOSQL, FileFacts, calls_thrower
from analysis.detectors.javascript.sanitisers import is_schema
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import ANY_KIND

_ANY = frozenset({ANY_KIND})
_TYPEOF_KINDS = {"string": NOSQL, "number": _ANY, "boolean": _ANY, "bigint": _ANY}
_PREDICATES = {
    "Number.isInteger": _ANY,
    "Number.isSafeInteger": _ANY,
    "Number.isFinite": _ANY,
    "isValidObjectId": NOSQL,
    "mongoose.isValidObjectId": NOSQL,
    "isObjectIdOrHexString": NOSQL,
    "mongoose.isObjectIdOrHexString": NOSQL,
    "ObjectId.isValid": NOSQL,
    "Types.ObjectId.isValid": NOSQL,
    "mongoose.Types.ObjectId.isValid": NOSQL,
}
_VALIDATOR_PREDICATE = re.compile(r"^validator\.is[A-Z]\w*$")  # validator.js: strings only
_EXIT = re.compile(r"\b(?:return|throw)\b|\bnext\s*\(")
_VALUE_TYPES = frozenset({"identifier", "member_expression"})
_ASSERTS = frozenset({"assert", "assert.ok", "assert.strict"})
_ASSERT_EQUAL = frozenset({"assert.equal", "assert.strictEqual"})
_THROWING_SCHEMA = frozenset({"parse", "parseAsync", "validateSync", "validateAsync"})

Facts = dict[str, frozenset[str]]


def exit_guards(
    node: Node, facts: FileFacts, tables: LiteralTables | None = None
) -> list[tuple[str, frozenset[str]]]:
    """Names a statement leaves primitive (or one of the file's literals) for the code after
    it."""
    if node.type == "if_statement":
        if not exits(node.child_by_field_name("consequence"), facts):
            return []
        return sorted(when_false(node.child_by_field_name("condition"), tables).items())
    if node.type == "expression_statement" and node.named_children:
        return sorted(_assertion(node.named_children[0], facts, tables).items())
    return []


def exits(block: Node | None, facts: FileFacts) -> bool:
    """`block` returns, throws or calls a function that always throws."""
    if block is None:
        return False
    raw = text(block)
    return bool(_EXIT.search(raw)) or calls_thrower(raw, facts)


def branch_guards(
    node: Node, tables: LiteralTables | None = None
) -> list[tuple[Node, str, frozenset[str]]]:
    """Names primitive inside the `if` body (the test held) or its `else` (it failed)."""
    if node.type != "if_statement":
        return []
    condition = node.child_by_field_name("condition")
    found: list[tuple[Node, str, frozenset[str]]] = []
    for field, holds in (("consequence", when_true), ("alternative", when_false)):
        branch = node.child_by_field_name(field)
        if branch is not None:
            found.extend(
                (branch, name, kinds) for name, kinds in sorted(holds(condition, tables).items())
            )
    return found


def when_true(condition: Node | None, tables: LiteralTables | None = None) -> Facts:
    return _holds(condition, True, tables)


def when_false(condition: Node | None, tables: LiteralTables | None = None) -> Facts:
    return _holds(condition, False, tables)


def _holds(condition: Node | None, truth: bool, tables: LiteralTables | None) -> Facts:
    """Names `condition` leaves primitive when it evaluates to `truth`."""
    condition = _unwrap(condition)
    if condition is None:
        return {}
    if condition.type == "binary_expression":
        operator = text(condition.child_by_field_name("operator"))
        left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
        if operator in ("&&", "||"):
            sides = (_holds(left, truth, tables), _holds(right, truth, tables))
            every_side_holds = (operator == "&&") == truth
            return _either(*sides) if every_side_holds else _both(*sides)
    if _operator(condition) == "!":
        return _holds(condition.child_by_field_name("argument"), not truth, tables)
    test = _test(condition)
    if test is None and tables is not None:
        found = membership(condition, tables)
        test = (found[0], LITERAL, found[1]) if found is not None else None
    return {test[0]: test[1]} if test is not None and test[2] == truth else {}


def _test(node: Node) -> tuple[str, frozenset[str], bool] | None:
    """(name, kinds, positive): `typeof x === "string"` is positive, `!==` negative;
    `Number.isInteger(x)` / `isValidObjectId(x)` / `validator.isEmail(x)` are positive."""
    if node.type == "binary_expression":
        operator = text(node.child_by_field_name("operator"))
        if operator not in ("===", "==", "!==", "!="):
            return None
        sides = (node.child_by_field_name("left"), node.child_by_field_name("right"))
        typeof = next((s for s in sides if s is not None and _is_typeof(s)), None)
        literal = next((s for s in sides if s is not None and s.type == "string"), None)
        if typeof is None or literal is None:
            return None
        kinds = _TYPEOF_KINDS.get(text(literal)[1:-1])
        value = typeof.child_by_field_name("argument")
        if kinds is None or value is None or value.type not in _VALUE_TYPES:
            return None
        return text(value), kinds, operator in ("===", "==")
    if node.type == "call_expression":
        callee = re.sub(r"\s+", "", text(node.child_by_field_name("function")))
        kinds = _PREDICATES.get(callee) or (NOSQL if _VALIDATOR_PREDICATE.match(callee) else None)
        value = _first_argument(node)
        if kinds is None or value is None or value.type not in _VALUE_TYPES:
            return None
        return text(value), kinds, True
    return None


def outside_type_tests(condition: Node) -> tuple[str, set[str]]:
    """The condition's text with its `typeof x === "string"` tests and its presence tests
    (`x.length === 0`, `x === ""`, `x == null`) blanked, and the names used outside them: a
    type or presence test narrows a value, it does not allow-list it."""
    raw = condition.text or b""
    names: set[str] = set()
    blanks: list[tuple[int, int]] = []
    stack = [condition]
    while stack:
        node = stack.pop()
        if node.type == "binary_expression" and (_test(node) is not None or _presence(node)):
            blanks.append(
                (node.start_byte - condition.start_byte, node.end_byte - condition.start_byte)
            )
            continue
        if node.type == "identifier":
            names.add(text(node))
        stack.extend(node.children)
    for start, end in blanks:
        raw = raw[:start] + b" " * (end - start) + raw[end:]
    return raw.decode("utf-8", "replace"), names


_EMPTY = frozenset({'""', "''", "``", "null", "undefined"})
_ORDERING = frozenset({"===", "==", "!==", "!=", "<", ">", "<=", ">="})


def _presence(node: Node) -> bool:
    """`x.length === 0`, `name.length > 200`, `x === ""`, `x != null`: whether a value is
    there (or how long it is), not which value it is."""
    if text(node.child_by_field_name("operator")) not in _ORDERING:
        return False
    sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
    for side in sides:
        if side is None:
            return False
        if side.type == "member_expression" and text(side.child_by_field_name("property")) == (
            "length"
        ):
            return True
    return any(side is not None and text(side) in _EMPTY for side in sides)


def _assertion(expression: Node, facts: FileFacts, tables: LiteralTables | None) -> Facts:
    """A statement that throws unless its argument is valid."""
    awaited = expression.type == "await_expression"
    call = expression.named_children[0] if awaited and expression.named_children else expression
    if call.type != "call_expression":
        return {}
    callee = re.sub(r"\s+", "", text(call.child_by_field_name("function")))
    value = _first_argument(call)
    if value is None:
        return {}
    if callee in _ASSERTS:
        return when_true(value, tables)
    if callee in _ASSERT_EQUAL:
        arguments = call.child_by_field_name("arguments")
        pair = [c for c in arguments.named_children if c.type != "comment"] if arguments else []
        if len(pair) == 2 and _is_typeof(pair[0]) and pair[1].type == "string":
            inner = pair[0].child_by_field_name("argument")
            kinds = _TYPEOF_KINDS.get(text(pair[1])[1:-1])
            if inner is not None and inner.type in _VALUE_TYPES and kinds is not None:
                return {text(inner): kinds}
        return {}
    if value.type not in _VALUE_TYPES:
        return {}
    receiver, _, method = callee.rpartition(".")
    validated = callee in ("validateOrReject", "Joi.assert", "Joi.attempt") or (
        facts.validates
        and receiver
        and is_schema(receiver)
        and (method in _THROWING_SCHEMA or (method == "validate" and awaited))
    )
    return {text(value): NOSQL} if validated else {}


def _either(first: Facts, second: Facts) -> Facts:
    return {**first, **{name: first.get(name, frozenset()) | k for name, k in second.items()}}


def _both(first: Facts, second: Facts) -> Facts:
    """Names both sides make primitive: safe for what both kinds of primitive are safe for."""
    joined: Facts = {}
    for name in first.keys() & second.keys():
        a, b = first[name], second[name]
        joined[name] = b if ANY_KIND in a else a if ANY_KIND in b else a & b
    return {name: kinds for name, kinds in joined.items() if kinds}


def _operator(node: Node) -> str:
    return text(node.child_by_field_name("operator")) if node.type == "unary_expression" else ""


def _is_typeof(node: Node) -> bool:
    return _operator(node) == "typeof"


def _first_argument(call: Node) -> Node | None:
    arguments = call.child_by_field_name("arguments")
    if arguments is None:
        return None
    given = [c for c in arguments.named_children if c.type != "comment"]
    return given[0] if given else None


def _unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node
