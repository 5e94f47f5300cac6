"""A criterion's field serialised under another name.

What a client sees of a record is its serialisation name, not the identifier the code
holds it in: a Go struct tag (`json:"progress"`), Jackson's `@JsonProperty("progress")`,
Gson's `@SerializedName` or kotlinx's `@SerialName`, a pydantic `Field(alias=...)` /
`serialization_alias=...`, or else the attribute name of a pydantic model field. A
ticket naming the field `progress_pct` is contradicted by a record that serialises
`progress` instead, when:

- no serialised name and no string literal in the change spells `progress_pct`;
- the record serialises another field the same criterion names (`state`), so it is
  the record the criterion describes;
- the record's name is the ticket's cut short or extended (`progress` / `progress_pct`,
  `user` / `user_id`: the same leading or trailing words) and not a name the ticket
  itself uses.

Python dict and JS/TS object literals count as records too: their (quoted, or in JS/TS
plain) keys are what `json.dumps` / `res.json` send.

A record serialising a different field (`created_by` next to a missing `created_at`) is
no rename; identifiers, columns and variables never count, only serialised names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.detectors.requirement_terms import split_identifier
from analysis.files import FileView

_GO_TAG = re.compile(r"`[^`]*?\bjson:\"([^\"]*)\"")
_GO_FIELD = re.compile(r"^\s*([A-Z]\w*)\s")
_ANNOTATED = re.compile(
    r"@(?:JsonProperty|SerializedName|SerialName)\(\s*(?:value\s*=\s*)?\"([^\"]+)\""
)
_PYDANTIC_ALIAS = re.compile(r"\b(serialization_alias|alias)\s*=\s*[\"']([^\"']+)[\"']")
_PY_ATTRIBUTE = re.compile(r"^(\s+)([A-Za-z_]\w*)\s*:\s*[^=\s]")
_RECORD = re.compile(
    r"\btype\s+\w+\s+struct\b|\bstruct\s*\{|^(\s*)(?:[\w@]+\s+)*(?:class|record)\s+[A-Za-z_]\w*"
)
_PY_MODEL = re.compile(r"^(\s*)class\s+\w+\s*\([^)]*\bBaseModel\b")
_PY_INTERNAL = frozenset({"model_config"})
_STRING = re.compile(r"\"([^\"\\]*)\"|'([^'\\]*)'|`([^`\\]*)`")
_LANGUAGES = frozenset({"go", "java", "kt", "py"})
_LITERAL_LANGUAGES = frozenset({"py", "js", "jsx", "mjs", "cjs", "ts", "tsx"})
#: a brace, or a key at the start of a literal entry: `{"type": x` / `, 'data': y` / `type: x`
_QUOTED_KEY = r"[\"']([A-Za-z_][\w-]*)[\"']\s*:"
_LITERAL_TOKEN = re.compile(rf"[{{}}]|(?:^|(?<=[{{,]))\s*{_QUOTED_KEY}")
_JS_LITERAL_TOKEN = re.compile(
    rf"[{{}}]|(?:^|(?<=[{{,]))\s*(?:{_QUOTED_KEY}|([A-Za-z_$][\w$]*)\s*:(?!:))"
)
_MIN_SHARED_LETTERS = 4


@dataclass(frozen=True)
class WireName:
    """A serialised field name, the line declaring it and the record it belongs to."""

    path: str
    line: int
    name: str
    record: int  # line of the enclosing struct / class (0: none seen; minus: a literal's brace)


def wire_names(views: list[FileView]) -> list[WireName]:
    """Serialised field names declared in the changed files (head content when known)."""
    found: list[WireName] = []
    for view in views:
        extension = view.path.rsplit(".", 1)[-1].lower()
        if view.is_test:
            continue
        if extension in _LITERAL_LANGUAGES:
            found.extend(_literal_keys(view.path, _numbered_lines(view), extension != "py"))
        if extension not in _LANGUAGES:
            continue
        lines = _numbered_lines(view)
        if extension == "py" and "alias_generator" in "\n".join(text for _, text in lines):
            found.extend(_names(view.path, lines, plain_attributes=False))
        else:
            found.extend(_names(view.path, lines, plain_attributes=extension == "py"))
    return found


def string_literals(views: list[FileView]) -> frozenset[str]:
    """The text of every quoted literal on the added lines."""
    found: set[str] = set()
    for view in views:
        for text in view.added.values():
            for match in _STRING.finditer(text):
                found.add(next((group for group in match.groups() if group is not None), ""))
    return frozenset(found)


def serialised_rename(
    wanted: str,
    siblings: frozenset[str],
    names: list[WireName],
    literals: frozenset[str],
    ticket_text: str,
) -> WireName | None:
    """The serialised name standing in for the criterion's field `wanted`, if any."""
    if not names or wanted in literals or any(n.name == wanted for n in names):
        return None
    records: dict[tuple[str, int], list[WireName]] = {}
    for name in names:
        records.setdefault((name.path, name.record), []).append(name)
    best: tuple[int, WireName] | None = None
    for members in records.values():
        if not siblings & {member.name for member in members}:
            continue
        for member in members:
            shared = _shared_letters(wanted, member.name)
            if shared < _MIN_SHARED_LETTERS or _named_in(member.name, ticket_text):
                continue
            if best is None or shared > best[0]:
                best = (shared, member)
    return best[1] if best is not None else None


def _shared_letters(wanted: str, name: str) -> int:
    """Letters of the words `name` shares with `wanted` when one is the other cut short
    (same leading or trailing words); 0 when they are unrelated or the same words."""
    want, have = split_identifier(wanted), split_identifier(name)
    if not want or not have or want == have:
        return 0
    short, long = (want, have) if len(want) < len(have) else (have, want)
    if len(short) == len(long):
        return 0
    if long[: len(short)] == short or long[-len(short) :] == short:
        return sum(len(word) for word in short)
    return 0


def _named_in(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text) is not None


def _literal_keys(path: str, lines: list[tuple[int, str]], plain_keys: bool) -> list[WireName]:
    """Keys of dict / object literals, each with the line of the brace that opened it."""
    token = _JS_LITERAL_TOKEN if plain_keys else _LITERAL_TOKEN
    found: list[WireName] = []
    opened: list[int] = []
    for number, text in lines:
        for match in token.finditer(text):
            if match[0] == "{":
                opened.append(number)
            elif match[0] == "}":
                if opened:
                    opened.pop()
            elif opened:
                name = match[1] or (match[2] if plain_keys else None)
                if name:
                    found.append(WireName(path, number, name, -opened[-1]))
    return found


def _numbered_lines(view: FileView) -> list[tuple[int, str]]:
    head = view.head_lines
    if head is not None:
        return list(enumerate(head, 1))
    return sorted(view.added.items())


def _names(path: str, lines: list[tuple[int, str]], *, plain_attributes: bool) -> list[WireName]:
    found: list[WireName] = []
    record = 0
    model: _ModelBody | None = None
    for number, text in lines:
        opener = _RECORD.search(text)
        if opener is not None:
            record = number
            header = _PY_MODEL.match(text) if plain_attributes else None
            model = _ModelBody(len(header[1])) if header is not None else None
        found.extend(WireName(path, number, name, record) for name in _line_names(text))
        if opener is None and model is not None and text.strip():
            attribute = model.attribute(text)
            if attribute is None and model.closed:
                model = None
            elif attribute is not None and not _PYDANTIC_ALIAS.search(text):
                found.append(WireName(path, number, attribute, record))
    return found


@dataclass
class _ModelBody:
    """The body of a pydantic model: its fields are the annotated names at body level."""

    header_indent: int
    body_indent: int | None = None
    closed: bool = False

    def attribute(self, text: str) -> str | None:
        indent = len(text) - len(text.lstrip())
        if indent <= self.header_indent:
            self.closed = True
            return None
        if self.body_indent is None:
            self.body_indent = indent
        if indent != self.body_indent:
            return None
        match = _PY_ATTRIBUTE.match(text)
        if match is None or match[2] in _PY_INTERNAL or match[2].startswith("_"):
            return None
        return match[2]


def _line_names(text: str) -> list[str]:
    names: list[str] = []
    for match in _GO_TAG.finditer(text):
        name = match[1].split(",", 1)[0]
        if name == "-":
            continue
        if not name:
            field = _GO_FIELD.match(text)
            name = field[1] if field is not None else ""
        if name:
            names.append(name)
    names.extend(match[1] for match in _ANNOTATED.finditer(text))
    aliases = dict((kind, name) for kind, name in _PYDANTIC_ALIAS.findall(text))
    if aliases:
        names.append(aliases.get("serialization_alias") or aliases["alias"])
    return names
