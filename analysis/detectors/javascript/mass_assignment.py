"""Mass assignment: the whole request body (see `request_bodies.whole_body`) written to a model —
as an ORM write's data (`prisma.user.update({ data: body })`, `User.create(req.body)`,
`repo.save(body)`, `knex("t").update(req.body)`), merged into a record (`Object.assign(user,
req.body)`) or passed to a model constructor (`new User(req.body)`). Picked fields, parsed
schemas and Sequelize's `fields` allow-list stay quiet."""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.javascript.request_bodies import PAYLOAD_KEYS, whole_body
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import TaintWalk

# ORM writes whose first or second argument is the record's data: Prisma, Sequelize, TypeORM
# (`save`, `merge`), Mongoose, Knex (`.insert` / `.update`), MongoDB drivers, AdonisJS Lucid
# (`user.merge(data)` / `fill(data)`, `User.firstOrCreate(search, data)` / `updateOrCreate`)
_MASS_METHODS = frozenset(
    {"create", "createMany", "insert", "insertOne", "insertMany", "build", "update", "updateOne",
     "updateMany", "set", "upsert", "findByIdAndUpdate", "findOneAndUpdate", "replaceOne",
     "findOneAndReplace", "bulkCreate", "save", "merge", "fill", "firstOrNew", "firstOrCreate",
     "updateOrCreate"}
)  # fmt: skip
_MERGE_LIBRARIES = frozenset({"_", "lodash", "R", "deepmerge", "merge"})
# Sequelize's `fields` option lists the attributes a create/update may set
_FIELDS_OPTION = re.compile(r"^\{.*\bfields\s*:", re.DOTALL)
_CONFIDENCE = 0.75


def mass_assignment(
    call: Node, callee: str, method: str, args: list[Node], walk: TaintWalk
) -> list[Hit]:
    owner = callee.rsplit(".", 1)[0]
    if callee == "Object.assign":
        candidates = args[1:]
    elif method in _MASS_METHODS and "." in callee and owner not in _MERGE_LIBRARIES:
        candidates = args[:1] if method == "save" else args[:2]
    else:
        return []
    if any(_FIELDS_OPTION.match(text(arg)) for arg in args[1:]):
        return []
    for arg in candidates:
        if whole_body(arg, walk):  # reported at the argument: a multi-line call names it there
            return [walk.hit("mass-assignment", arg, _CONFIDENCE, f"{callee}(request body)")]
        if arg.type != "object":
            continue
        for pair in arg.named_children:  # Prisma `{ data: req.body }`, Mongo `{ $set: body }`
            key, value = _payload(pair)
            if key in PAYLOAD_KEYS and whole_body(value, walk):
                detail = f"{callee}({{ {key}: request body }})"
                return [walk.hit("mass-assignment", pair, _CONFIDENCE, detail)]
    return []


def constructed_from_body(
    node: Node, constructor: str, args: list[Node], walk: TaintWalk
) -> list[Hit]:
    """`new User(req.body)`: a model built from the whole body."""
    if constructor[:1].isupper() and args and whole_body(args[0], walk):
        return [walk.hit("mass-assignment", node, 0.7, f"new {constructor}(request body)")]
    return []


def _payload(pair: Node) -> tuple[str, Node | None]:
    """(key, value) of `data: body` and of the shorthand `{ data }`."""
    if pair.type == "shorthand_property_identifier":
        return text(pair), pair
    if pair.type != "pair":
        return "", None
    return text(pair.child_by_field_name("key")).strip("'\""), pair.child_by_field_name("value")
