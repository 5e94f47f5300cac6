"""Calls whose result is safe for some sink kinds: escaping and sanitising libraries (also under
the local names a file imports them by), numeric conversions, conversions that leave a string
(a string cannot carry MongoDB query operators such as `{"$ne": null}`), hash digests, file
reads (the contents, not the path) and the results of schema validation (zod, yup, joi,
valibot: the value has the schema's types)."""

from __future__ import annotations

import re

from analysis.detectors.javascript.file_facts import HTML, NOSQL, FileFacts
from analysis.detectors.treesitter.taint import ANY_KIND

_ANY = frozenset({ANY_KIND})
_SQL = frozenset({"sql"})
_SANITISERS: dict[str, frozenset[str]] = {
    "DOMPurify.sanitize": HTML,
    "purify.sanitize": HTML,
    "sanitizeHtml": HTML,
    "sanitize": HTML,
    "escapeHtml": HTML,
    "escape": HTML,
    "he.encode": HTML,
    "he.escape": HTML,
    "validator.escape": HTML,
    "xss": HTML,
    "filterXSS": HTML,
    "encodeURIComponent": frozenset({"html", "redirect", "shell"}),
    "parseInt": _ANY,
    "parseFloat": _ANY,
    "Number": _ANY,
    "Boolean": _ANY,
    "Number.parseInt": _ANY,
    "Number.parseFloat": _ANY,
    "uuidValidate": _ANY,
    "path.basename": frozenset({"path"}),
    "mysql.escape": _SQL,
    "SqlString.escape": _SQL,
    "connection.escape": _SQL,
    "pool.escape": _SQL,
    "db.escape": _SQL,
    "pgFormat": _SQL,
    "shellescape": frozenset({"shell"}),
    "shellQuote.quote": frozenset({"shell"}),
    # a string (or the `$eq`-wrapped filter Mongoose builds) cannot carry query operators
    "String": NOSQL,
    "JSON.stringify": NOSQL,
    "sanitizeFilter": NOSQL,
    "mongoose.sanitizeFilter": NOSQL,
}
_SQL_ESCAPES = (".escape", ".escapeId", ".escapeLiteral", ".escapeIdentifier")
_HASH_DIGEST = re.compile(r"\bcreateH(?:ash|mac)\(.*\.digest$", re.DOTALL)
# reads of a file system: the result is what the file holds (the path is checked at the call)
_FILE_READ = re.compile(
    r"^(?:(?:fs|fsp|fsPromises|fs\.promises|fse|fsExtra)\.)?(?:readFile|readFileSync|readdir"
    r"|readdirSync|stat|statSync|lstat|lstatSync|existsSync)$"
)
# schema objects' methods that return the validated value (zod, yup, joi, valibot)
_SCHEMA_RESULTS = frozenset(
    {"parse", "parseAsync", "safeParse", "safeParseAsync", "validate", "validateSync",
     "validateAsync", "cast", "attempt"}
)  # fmt: skip
# receivers whose `parse` reads text into arbitrary objects: not validation
_NOT_SCHEMAS = frozenset(
    {"JSON", "JSON5", "qs", "querystring", "url", "URL", "path", "Date", "yaml", "YAML", "toml",
     "TOML", "cookie", "csv", "Papa", "dotenv", "marked", "semver", "jwt", "ini", "xml2js"}
)  # fmt: skip


def sanitised_kinds(callee: str, facts: FileFacts) -> frozenset[str] | None:
    """The sink kinds the result of calling `callee` (compacted text) is safe for."""
    imported = facts.sanitisers.get(callee)
    if imported is not None:  # `const clean = require('mongo-sanitize')` shadows the table
        return imported
    if callee in _SANITISERS:
        return _SANITISERS[callee]
    if callee.endswith(_SQL_ESCAPES):
        return _SQL
    if _FILE_READ.match(callee):
        return _ANY  # the file's contents, not the path the request chose
    receiver, _, method = callee.rpartition(".")
    if not receiver:
        return None
    if method == "toString":
        return NOSQL
    if method == "digest" and _HASH_DIGEST.search(callee):
        return _ANY  # a hex / base64 digest
    if facts.validates and method in _SCHEMA_RESULTS and is_schema(receiver):
        return NOSQL
    return None


def is_schema(receiver: str) -> bool:
    """`UserInput` / `z.object({...})` / `schema.strict()`, not `JSON` or `qs`."""
    return re.split(r"[.(]", receiver, maxsplit=1)[0] not in _NOT_SCHEMAS
