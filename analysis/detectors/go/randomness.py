"""math/rand (and math/rand/v2) drawing a value that must be unguessable.

Both packages document that their output is predictable and point to crypto/rand for
security-sensitive work. Random numbers are also used for jitter, sampling and shuffling,
so the purpose is read from the names around the call, nearest first: the variable or struct
field it is stored in (`token :=`, `Session{ID: ...}`), a composite literal's type, then the
enclosing function (`func newResetCode()`). A benign name (jitter, backoff, sample, ...)
decides for "not a secret" when it is nearer than a secret one.

A generic helper (`func randString(n int) string` built on `rand.Intn`) is judged by its
callers in the file: the names around each call, and a cookie the result is stored in
(`id := newID(); http.SetCookie(w, &http.Cookie{Name: "sid", Value: id})`).

Calls go through the package (by its import name, `rand` or an alias) or through a generator
the file made with `rand.New(...)`; `crypto/rand` under the same name is not confused with it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tree_sitter import Node

from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import ParsedSource, text, walk
from analysis.detectors.treesitter.taint import TaintWalk

_VALUE_FUNCTIONS = frozenset(
    {"Int", "Intn", "IntN", "Int31", "Int31n", "Int32", "Int32N", "Int63", "Int63n", "Int64",
     "Int64N", "Uint", "UintN", "Uint32", "Uint32N", "Uint64", "Uint64N", "N", "Read", "Perm",
     "Float32", "Float64"}
)  # fmt: skip
_IMPORT = re.compile(rb'(?m)^\s*(?:import\s+)?(?:(\w+)\s+)?"math/rand(?:/v2)?"')
_SECRET_WORD = re.compile(
    r"\b(?:token|secret|password|passwd|passphrase|passcode|pass|pwd|nonce|salt|otp|totp|"
    r"session|sess|sid|apikey|csrf|xsrf|reset|key|credential|invite|verification|pin)s?\b"
)
_BENIGN_WORD = re.compile(
    r"\b(?:jitter|backoff|delay|sleep|wait|retry|sample|sampling|shuffle|ttl|timeout|"
    r"interval|weight|index|idx|color|colour|port|latency|chaos|fuzz|test|demo|seed)s?\b"
)
_DECLARATIONS = frozenset({"function_declaration", "method_declaration"})
_MAX_PARENTS = 14


def weak_random(walk_: TaintWalk, call: Node, callee: str, args: list[Node]) -> list[Hit]:
    receiver, _, method = callee.rpartition(".")
    source = walk_.parsed.source
    if method not in _VALUE_FUNCTIONS or not receiver or b"math/rand" not in source:
        return []
    packages, generators = _random_sources(source)
    if receiver not in packages and receiver not in generators:
        return []
    around = _names_around(call)
    if method == "Read" and args:  # `rand.Read(sessionKey)` fills its argument
        around.insert(0, text(args[0]))
    purpose = _secret_purpose(around)
    if purpose is None and not _benign(around):
        purpose = _purpose_at_callers(walk_.parsed, call)
    if purpose is None:
        return []
    detail = f"math/rand value used for {purpose}; it is predictable"
    return [walk_.hit("insecure-randomness", call, 0.75, detail)]


@lru_cache(maxsize=32)
def _random_sources(source: bytes) -> tuple[frozenset[str], frozenset[str]]:
    """The names math/rand is imported under, and the generators the file makes with it
    (`gen := rand.New(rand.NewSource(...))`, `var gen = rand.New(...)`)."""
    packages = frozenset((m.group(1) or b"rand").decode() for m in _IMPORT.finditer(source))
    if not packages:
        return packages, frozenset()
    made = rb"|".join(re.escape(p.encode()) for p in packages)
    pattern = rb"\b(\w+)\s*:?=\s*(?:" + made + rb")\.New\("
    return packages, frozenset(m.decode() for m in re.findall(pattern, source))


def _words(name: str) -> str:
    """`newSessionID` -> `new session id`; `reset_code` -> `reset code`."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return re.sub(r"[^A-Za-z0-9]+", " ", spaced).lower()


def _secret_purpose(names: list[str]) -> str | None:
    """The nearest name that decides: a secret one, unless a benign one comes first."""
    for name in names:
        words = _words(name)
        if _BENIGN_WORD.search(words):
            return None
        if _SECRET_WORD.search(words):
            return name
    return None


def _benign(names: list[str]) -> bool:
    return any(_BENIGN_WORD.search(_words(name)) for name in names)


def _names_around(node: Node) -> list[str]:
    """Names that say what a value is for, nearest first, up to the enclosing declaration."""
    names: list[str] = []
    current = node.parent
    for _ in range(_MAX_PARENTS):
        if current is None:
            break
        kind = current.type
        if kind in ("short_var_declaration", "assignment_statement"):
            names.append(text(current.child_by_field_name("left")))
        elif kind in ("var_spec", "const_spec"):
            names.extend(text(n) for n in current.children_by_field_name("name"))
        elif kind == "keyed_element" and current.named_children:
            names.append(text(current.named_children[0]))
            names.extend(_literal_names(current))
        elif kind in _DECLARATIONS:
            names.append(text(current.child_by_field_name("name")))
            break
        current = current.parent
    return names


def _literal_names(element: Node) -> list[str]:
    """The type of the composite literal holding `element`, and a cookie's `Name` value."""
    literal = element.parent.parent if element.parent is not None else None
    if literal is None or literal.type != "composite_literal":
        return []
    kind = text(literal.child_by_field_name("type"))
    names = [kind]
    if kind.endswith("Cookie"):
        names.extend(_cookie_name(literal))
    return names


def _cookie_name(literal: Node) -> list[str]:
    body = literal.child_by_field_name("body")
    for element in body.named_children if body is not None else []:
        children = element.named_children
        if element.type == "keyed_element" and len(children) == 2 and text(children[0]) == "Name":
            return [text(children[1]).strip('"`')]
    return []


def _purpose_at_callers(parsed: ParsedSource, call: Node) -> str | None:
    """For a call inside a named helper: the purpose its callers in the file give it."""
    declaration = call.parent
    while declaration is not None and declaration.type not in _DECLARATIONS:
        declaration = declaration.parent
    helper = text(declaration.child_by_field_name("name")) if declaration is not None else ""
    if not helper:
        return None
    for site in _calls_by_name(parsed).get(helper, []):
        names = _names_around(site)
        names.extend(_cookies_holding(site))
        purpose = _secret_purpose(names)
        if purpose is not None:
            return purpose
    return None


@lru_cache(maxsize=16)
def _calls_by_name(parsed: ParsedSource) -> dict[str, list[Node]]:
    """Every call of the file by the name it calls (`f(..)` and `x.f(..)` under `f`): one
    walk per file, however many helpers are looked up."""
    found: dict[str, list[Node]] = {}
    for node in walk(parsed.root):
        if node.type != "call_expression":
            continue
        function = node.child_by_field_name("function")
        if function is not None and function.type == "selector_expression":
            function = function.child_by_field_name("field")
        if function is not None:
            found.setdefault(text(function), []).append(node)
    return found


def _cookies_holding(site: Node) -> list[str]:
    """Names of the cookies (`&http.Cookie{Name: ..., Value: v}`) that store the variable
    the call's result was assigned to, in the same function."""
    binding = site.parent
    if binding is not None and binding.type == "expression_list":
        binding = binding.parent
    if binding is None or binding.type not in ("short_var_declaration", "assignment_statement"):
        return []
    left = binding.child_by_field_name("left")
    variable = text(left.named_children[0]) if left is not None and left.named_children else ""
    scope = binding.parent
    while scope is not None and scope.type not in (*_DECLARATIONS, "func_literal"):
        scope = scope.parent
    if not variable.isidentifier() or scope is None:
        return []
    names: list[str] = []
    for node in walk(scope):
        children = node.named_children
        stores = node.type == "keyed_element" and len(children) == 2
        if stores and text(children[0]) == "Value" and text(children[1]) == variable:
            names.extend(n for n in _literal_names(node) if not n.endswith("Cookie"))
    return names
