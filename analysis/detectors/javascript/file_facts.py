"""What a JavaScript/TypeScript file says about itself, read once from its source: the local
names its imports give to sanitiser modules (DOMPurify, sanitize-html, xss, escape-html,
mongo-sanitize, `path.basename`), whether it is a Next.js server-action module (`"use server"`
first), whether it imports a schema-validation library, and whether it strips query operators
from every request (express-mongo-sanitize middleware, Mongoose's `sanitizeFilter` option),
whether it defines h3 event handlers (Nuxt / Nitro server routes), and the local names of the
imported functions that never return (they throw: SvelteKit's `error()` / `redirect()`,
Next.js's `notFound()` / `redirect()`), which end a guard's branch like `throw` does."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

HTML = frozenset({"html"})
NOSQL = frozenset({"nosql"})
PATH = frozenset({"path"})
_DEFAULT = ""  # the module itself (default export / CommonJS export / namespace)

# module -> {export ("" = the module value) or "export.method": sink kinds its result is safe for}
_MODULE_SANITISERS: dict[str, dict[str, frozenset[str]]] = {
    "dompurify": {".sanitize": HTML, "sanitize": HTML},
    "isomorphic-dompurify": {".sanitize": HTML, "sanitize": HTML},
    "sanitize-html": {_DEFAULT: HTML},
    "xss": {_DEFAULT: HTML, ".filterXSS": HTML, "filterXSS": HTML},
    "escape-html": {_DEFAULT: HTML},
    "mongo-sanitize": {_DEFAULT: NOSQL},
    "express-mongo-sanitize": {".sanitize": NOSQL, "sanitize": NOSQL},
    # the last segment of a path: no directory part left to climb out with
    "path": {".basename": PATH, "basename": PATH},
    "node:path": {".basename": PATH, "basename": PATH},
}
# module -> exports that always throw (SvelteKit 2 `error` / `redirect`; next/navigation)
_THROWING_EXPORTS: dict[str, frozenset[str]] = {
    "@sveltejs/kit": frozenset({"error", "redirect"}),
    "next/navigation": frozenset(
        {"notFound", "redirect", "permanentRedirect", "forbidden", "unauthorized"}
    ),
}
# modules whose default export builds a sanitiser instance: `const purify = DOMPurify(window)`
_FACTORIES = {"dompurify": ".sanitize", "isomorphic-dompurify": ".sanitize"}
_VALIDATION_MODULES = frozenset(
    {"zod", "yup", "joi", "@hapi/joi", "valibot", "superstruct", "class-validator",
     "class-transformer", "express-validator", "@sinclair/typebox"}
)  # fmt: skip
_IMPORT = re.compile(
    r"""\bimport\s+(?:type\s+)?(?:(?P<default>[\w$]+)\s*,?\s*)?(?:\*\s*as\s+(?P<ns>[\w$]+)\s*)?"""
    r"""(?:\{(?P<named>[^}]*)\}\s*)?from\s*['"](?P<module>[^'"]+)['"]"""
    r"""|\b(?:const|let|var)\s+(?:(?P<rdefault>[\w$]+)|\{(?P<rnamed>[^}]*)\})\s*=\s*"""
    r"""require\(\s*['"](?P<rmodule>[^'"]+)['"]\s*\)"""
)
#: each leading comment matches one way only: a line comment runs to its newline and a block
#: comment cannot contain `*/` (a lazy `.*?`, or a line comment that may stop anywhere, lets a
#: crafted file of many comments backtrack exponentially)
_USE_SERVER = re.compile(
    r"""^\s*(?:(?://[^\n]*(?:\n|\Z)|/\*(?:[^*]|\*(?!/))*\*/)\s*)*['"]use server['"]"""
)
# h3 (Nuxt and Nitro server routes auto-import it): an event handler, or an import from h3
_H3_HANDLER = re.compile(
    r"""\b(?:define(?:Cached|Lazy)?EventHandler|eventHandler)\s*[(<]"""
    r"""|\bfrom\s*['"](?:h3|nitropack/runtime)['"]"""
)
_FILTER_OPTION = re.compile(
    r"""\bset\(\s*['"]sanitizeFilter['"]\s*,\s*true\s*\)|\bsanitizeFilter\s*:\s*true\b"""
)


@dataclass(frozen=True)
class FileFacts:
    sanitisers: dict[str, frozenset[str]] = field(default_factory=dict)  # callee -> kinds
    server_actions: bool = False  # a `"use server"` module: its exports are server actions
    validates: bool = False  # imports a schema-validation library
    operators_stripped: bool = False  # request data cannot carry `$` query operators
    h3_handlers: bool = False  # h3 / Nitro / Nuxt server routes: `getQuery(event)` is request data
    throwers: frozenset[str] = frozenset()  # callees that never return: `error`, `kit.redirect`


NO_FACTS = FileFacts()


@lru_cache(maxsize=64)
def file_facts(source: bytes) -> FileFacts:
    raw = source.decode("utf-8", "replace")
    sanitisers: dict[str, frozenset[str]] = {}
    modules: set[str] = set()
    stripping: list[str] = []  # local names of express-mongo-sanitize
    throwers: set[str] = set()
    for found in _IMPORT.finditer(raw):
        module = found["module"] or found["rmodule"]
        modules.add(module)
        throwers.update(_throwers(found, _THROWING_EXPORTS.get(module, frozenset())))
        exports = _MODULE_SANITISERS.get(module)
        if exports is None:
            continue
        whole = [n for n in (found["default"], found["ns"], found["rdefault"]) if n]
        for name in whole:
            for export, kinds in exports.items():
                if not export or export.startswith("."):
                    sanitisers[name + export] = kinds
            if module in _FACTORIES:
                sanitisers.update(_instances(raw, name, _FACTORIES[module]))
            if module == "express-mongo-sanitize":
                stripping.append(name)
        for imported, local in _named(found["named"] or found["rnamed"] or ""):
            if imported in exports:
                sanitisers[local] = exports[imported]
    if "xss" in modules:  # `const filter = new FilterXSS(options); filter.process(html)`
        for name in re.findall(r"\b([\w$]+)\s*=\s*new\s+(?:[\w$]+\.)?FilterXSS\b", raw):
            sanitisers[f"{name}.process"] = HTML
    return FileFacts(
        sanitisers=sanitisers,
        server_actions=bool(_USE_SERVER.match(raw)),
        validates=bool(modules & _VALIDATION_MODULES),
        operators_stripped=_strips_operators(raw, stripping),
        h3_handlers=_H3_HANDLER.search(raw) is not None,
        throwers=frozenset(throwers),
    )


def _throwers(found: re.Match[str], exports: frozenset[str]) -> set[str]:
    """Local callee names of `exports` an import binds (`error`, `fail`, `kit.error`)."""
    if not exports:
        return set()
    names = {local for imported, local in _named(found["named"] or found["rnamed"] or "")
             if imported in exports}  # fmt: skip
    for whole in (found["default"], found["ns"], found["rdefault"]):
        if whole:
            names.update(f"{whole}.{export}" for export in exports)
    return names


def calls_thrower(raw: str, facts: FileFacts) -> bool:
    """`raw` calls one of the file's never-returning imports (`error(400, "...")`, not
    `console.error(...)`)."""
    return any(re.search(rf"(?<![\w$.]){re.escape(name)}\s*\(", raw) for name in facts.throwers)


def _named(block: str) -> list[tuple[str, str]]:
    """`{ a, b as c }` (import) / `{ a, b: c }` (require): (exported name, local name)."""
    pairs: list[tuple[str, str]] = []
    for part in block.split(","):
        words = re.split(r"\s+as\s+|\s*:\s*", part.strip().removeprefix("type "))
        if words and words[0]:
            pairs.append((words[0], words[-1]))
    return pairs


def _instances(raw: str, factory: str, method: str) -> dict[str, frozenset[str]]:
    pattern = rf"\b([\w$]+)\s*=\s*{re.escape(factory)}\s*\("
    return {f"{name}{method}": HTML for name in re.findall(pattern, raw)}


def _strips_operators(raw: str, stripping: list[str]) -> bool:
    """`app.use(mongoSanitize())` removes `$`/`.` keys from every request's body, query and
    params; Mongoose's `sanitizeFilter` wraps operator objects in filters with `$eq`."""
    if _FILTER_OPTION.search(raw):
        return True
    return any(re.search(rf"\.use\(\s*{re.escape(name)}\s*\(", raw) for name in stripping)
