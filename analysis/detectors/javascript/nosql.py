"""MongoDB / Mongoose filters built from request data: a `$where` clause that is not constant,
the request value as the whole filter, or a request value as a field's filter value (an
object such as `{"$ne": null}` there becomes a query operator).

Quiet when the value is a primitive: always text (path parameters, headers), converted
(`String(x)`), type-checked (`typeof x === "string"`), schema-validated, validated by
express-validator, or when the file strips operators from every request
(express-mongo-sanitize, Mongoose `sanitizeFilter`)."""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.javascript.express_validator import covers, validated_fields
from analysis.detectors.javascript.file_facts import FileFacts
from analysis.detectors.javascript.handler_params import ROUTE_PARAMS
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import Fact, TaintWalk

NOSQL_METHODS = frozenset(
    {"find", "findOne", "where", "findOneAndUpdate", "findOneAndDelete", "updateOne",
     "updateMany", "deleteOne", "deleteMany", "countDocuments", "count", "exists"}
)  # fmt: skip
_VALUES = frozenset({"identifier", "member_expression", "subscript_expression"})
# request data that is always text: path parameters, headers, `searchParams.get(...)`,
# `req.get(...)`, Hono's `c.req.param(...)` (bodies, query strings and cookies can be objects)
_STRING_SOURCE = re.compile(
    r"\.(?:params|pathParameters|headers)$|\.(?:get|header)$|^(?:c|ctx|context)\.req\.param$"
)


def nosql_filter(call: Node, first: Node, walk: TaintWalk) -> list[Hit]:
    raw = text(first)
    if "$where" in raw and not walk.fact(first).constant:
        return [walk.hit("nosql-injection", call, 0.85, "$where with a non-constant value")]
    fact = walk.tainted(first, "nosql")
    if not _from_request(fact) or _operators_stripped(walk):
        return []
    if first.type in _VALUES:
        return [walk.hit("nosql-injection", call, 0.8, f"{fact.source} used as query filter", fact)]
    if first.type != "object":
        return []
    for pair in first.named_children:
        value = pair.child_by_field_name("value")
        if value is None or value.type not in ("member_expression", "identifier"):
            continue
        pair_fact = walk.tainted(value, "nosql")
        if _from_request(pair_fact) and not covers(validated_fields(call), value):
            detail = f"{pair_fact.source} value (may be an operator object) in a filter"
            return [walk.hit("nosql-injection", call, 0.7, detail, pair_fact)]
    return []


def _from_request(fact: Fact | None) -> bool:
    """Request data that may be an object (JSON bodies, `qs`-parsed query strings)."""
    if fact is None or fact.source is None or fact.source == "process.env":
        return False
    return fact.source != ROUTE_PARAMS and not _STRING_SOURCE.search(fact.source)


def _operators_stripped(walk: TaintWalk) -> bool:
    """express-mongo-sanitize middleware or Mongoose's `sanitizeFilter` in this file."""
    facts = getattr(walk.spec, "file", None)
    return isinstance(facts, FileFacts) and facts.operators_stripped
