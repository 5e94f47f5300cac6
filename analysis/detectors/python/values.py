"""Abstract values of the Python taint pass: where data may come from and how it was built.

A `Value` is constant when no `Taint` reaches it. Taint kinds, most to least alarming:
`remote` (request data), `local` (environment, argv, stdin, files), `param` (a parameter
of the function being summarised), `error` (exception text), `unknown` (non-constant data
of unknown origin: parameters of unsummarised code, results of unknown calls).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

REMOTE = "remote"
LOCAL = "local"
PARAM = "param"
ERROR = "error"
UNKNOWN = "unknown"
UNTRUSTED = frozenset({REMOTE, LOCAL})

# what a sanitiser can make data safe for (the taint "cleared" set)
ALL_KINDS = frozenset(
    {
        "sql",
        "nosql",
        "shell",
        "code",
        "template",
        "xss",
        "path",
        "ssrf",
        "xxe",
        "ldap",
        "xpath",
        "redirect",
        "regex",
        "deserialize",
        "mass",
        "prompt",
    }
)

# the shape of tainted data: a scalar string, a mapping of strings (query args, form,
# headers) or arbitrary decoded data (JSON bodies) that may hold dicts and lists
SCALAR = ""
STRINGS = "strings"
DATA = "data"

# the shape of a Jinja sandboxed environment (`jinja2.sandbox.SandboxedEnvironment()`)
TEMPLATE_SANDBOX = "template-sandbox"
# ruamel.yaml `YAML()` objects: round-trip / safe / base, and `typ="unsafe"`
YAML_LOADER = "yaml-loader"
UNSAFE_YAML_LOADER = "unsafe-yaml-loader"

_PRIORITY = {REMOTE: 0, LOCAL: 1, PARAM: 2, ERROR: 3, UNKNOWN: 4}
_MAX_TAINTS = 6
_MAX_TRAIL = 3
MAX_LABEL = 60


@dataclass(frozen=True)
class Taint:
    kind: str
    label: str
    trail: tuple[str, ...] = ()
    cleared: frozenset[str] = frozenset()
    param: int = -1
    shape: str = SCALAR

    def via(self, step: str) -> Taint:
        if self.trail and self.trail[-1] == step:
            return self
        return replace(self, trail=(*self.trail, step)[-_MAX_TRAIL:])

    def path_to(self, sink: str) -> str:
        return " -> ".join((self.label, *self.trail, sink))


@dataclass(frozen=True)
class Value:
    taints: tuple[Taint, ...] = ()
    literal: object = None  # the Python constant, when fully known
    text: str = ""  # the constant string fragments
    built: str = ""  # how a string was assembled from non-constant parts
    prefix: str = ""  # constant text before the first non-constant part
    shape: str = ""  # list | tuple | dict | file | http-client | request | template-sandbox

    @property
    def constant(self) -> bool:
        return not self.taints

    def reaching(self, kind: str) -> tuple[Taint, ...]:
        """Taints a sanitiser has not made safe for `kind`."""
        return tuple(taint for taint in self.taints if kind not in taint.cleared)

    def clear(self, kinds: frozenset[str]) -> Value:
        if not self.taints:
            return self
        taints = tuple(replace(t, cleared=t.cleared | kinds) for t in self.taints)
        return replace(self, taints=taints)

    def via(self, step: str) -> Value:
        if not self.taints:
            return self
        return replace(self, taints=tuple(taint.via(step) for taint in self.taints))

    def with_shape(self, shape: str) -> Value:
        return replace(self, shape=shape)


CONSTANT = Value()


def constant(literal: object) -> Value:
    text = literal if isinstance(literal, str) else ""
    return Value(literal=literal, text=text, prefix=text)


def fresh(kind: str, label: str, shape: str = SCALAR, *, param: int = -1) -> Value:
    return Value(taints=(Taint(kind, label[:MAX_LABEL], shape=shape, param=param),))


def merge_taints(groups: Iterable[tuple[Taint, ...]]) -> tuple[Taint, ...]:
    seen: dict[tuple[str, str, int], Taint] = {}
    for group in groups:
        for taint in group:
            key = (taint.kind, taint.label, taint.param)
            if key not in seen:
                seen[key] = taint
    ranked = sorted(seen.values(), key=lambda taint: _PRIORITY.get(taint.kind, 9))
    return tuple(ranked[:_MAX_TAINTS])


def join(values: Iterable[Value], *, built: str = "", shape: str = "") -> Value:
    """Data that may come from any of `values` (branches, string parts, container items)."""
    items = list(values)
    if not items:
        return CONSTANT
    if len(items) == 1 and not built and not shape:
        return items[0]
    taints = merge_taints(value.taints for value in items)
    text = " ".join(value.text for value in items if value.text)
    inner_built = next((value.built for value in items if value.built), "")
    prefix = _concat_prefix(items)
    return Value(
        taints=taints,
        text=text,
        built=(built if taints else "") or inner_built,
        prefix=prefix,
        shape=shape,
    )


def branches(values: Iterable[Value]) -> Value:
    """One of `values` (if/else arms): keeps a common literal and shape."""
    items = list(values)
    if not items:
        return CONSTANT
    first = items[0]
    if all(value == first for value in items):
        return first
    merged = join(items)
    shapes = {value.shape for value in items}
    prefixes = {value.prefix for value in items}
    return replace(
        merged,
        shape=shapes.pop() if len(shapes) == 1 else "",
        prefix=prefixes.pop() if len(prefixes) == 1 else "",
    )


def _concat_prefix(items: list[Value]) -> str:
    prefix = ""
    for value in items:
        prefix += value.prefix
        if value.taints:
            break
    return prefix
