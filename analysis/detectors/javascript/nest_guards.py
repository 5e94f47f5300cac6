"""NestJS controllers: a route handler without the `@UseGuards(...)` (or custom auth decorator)
that every other handler of the same controller carries, when the class has none itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import ParsedSource, text, walk

_ROUTE_DECORATORS = frozenset({"Get", "Post", "Put", "Patch", "Delete", "All", "Options", "Head"})
# custom decorators that enforce authentication / authorisation (Swagger's `Api*` only document)
_AUTH_DECORATOR = re.compile(
    r"(?i)^(?!api)\w*(?:auth|roles?|permissions?|scopes?|polic(?:y|ies)|guard|protected|jwt"
    r"|admin|acl|ability|abilities)\w*$"
)
_PUBLIC = re.compile(
    r"(?i)^(?:is)?public\w*$|skip\w*(?:auth|guard|jwt)|allow\w*anon|anonymous|^no\w*auth"
    r"|unprotected|unauthenticated|optional\w*auth"
)
_PUBLIC_METADATA = re.compile(r"(?i)['\"](?:is_?)?public['\"]|skip\w*auth|allow\w*anon")
_MIN_GUARDED_SIBLINGS = 2
_CONFIDENCE = 0.7


@dataclass(frozen=True)
class _Handler:
    name: Node
    guards: frozenset[str]
    public: bool


def missing_nest_guard(parsed: ParsedSource) -> list[Hit]:
    hits: list[Hit] = []
    for node in walk(parsed.root):
        if node.type != "class_declaration":
            continue
        decorators = _class_decorators(node)
        names = {_decorator_name(d) for d in decorators}
        if "Controller" not in names or any(_guards_of(d) for d in decorators):
            continue
        if any(_is_public(d) for d in decorators):
            continue
        hits.extend(_unguarded_handlers(parsed, _handlers(node)))
    return hits


def _unguarded_handlers(parsed: ParsedSource, handlers: list[_Handler]) -> list[Hit]:
    hits: list[Hit] = []
    for handler in handlers:
        if handler.guards or handler.public:
            continue
        siblings = [h for h in handlers if h is not handler and not h.public]
        if len(siblings) < _MIN_GUARDED_SIBLINGS or not all(h.guards for h in siblings):
            continue
        common = frozenset.intersection(*(h.guards for h in siblings))
        if not common:
            continue
        line = parsed.line_of(handler.name)
        detail = (
            f"handler {text(handler.name)} lacks {sorted(common)[0]} "
            f"that the other {len(siblings)} handlers of the controller carry"
        )
        hits.append(Hit("missing-auth-guard", line, line, _CONFIDENCE, detail))
    return hits


def _class_decorators(node: Node) -> list[Node]:
    """Decorators written on the class (before `export` they hang on the export statement)."""
    found = [c for c in node.children if c.type == "decorator"]
    parent = node.parent
    if parent is not None and parent.type == "export_statement":
        found.extend(c for c in parent.children if c.type == "decorator")
    return found


def _handlers(node: Node) -> list[_Handler]:
    """Route handler methods of a class body with the decorators written above each."""
    body = node.child_by_field_name("body")
    handlers: list[_Handler] = []
    pending: list[Node] = []
    for member in body.named_children if body is not None else []:
        if member.type == "decorator":
            pending.append(member)
            continue
        decorators = pending + [c for c in member.children if c.type == "decorator"]
        pending = []
        name = member.child_by_field_name("name")
        if member.type != "method_definition" or name is None:
            continue
        if not any(_decorator_name(d) in _ROUTE_DECORATORS for d in decorators):
            continue
        guards = frozenset(g for d in decorators for g in _guards_of(d))
        public = any(_is_public(d) for d in decorators)
        handlers.append(_Handler(name, guards, public))
    return handlers


def _decorator_call(decorator: Node) -> tuple[str, list[Node]]:
    """(name, arguments) of `@Name(args)` / `@Name` / `@ns.Name(args)`."""
    target = next((c for c in decorator.named_children), None)
    if target is None:
        return "", []
    args: list[Node] = []
    if target.type == "call_expression":
        arguments = target.child_by_field_name("arguments")
        args = list(arguments.named_children) if arguments is not None else []
        target = target.child_by_field_name("function") or target
    name = text(target).rsplit(".", 1)[-1]
    return name, args


def _decorator_name(decorator: Node) -> str:
    return _decorator_call(decorator)[0]


def _guards_of(decorator: Node) -> frozenset[str]:
    """The guards a decorator applies: each `@UseGuards` argument, or the custom decorator."""
    name, args = _decorator_call(decorator)
    if name == "UseGuards":
        return frozenset(re.sub(r"\s+", "", text(a)) for a in args)
    if name not in _ROUTE_DECORATORS and _AUTH_DECORATOR.match(name) and not _PUBLIC.search(name):
        return frozenset({f"@{name}"})
    return frozenset()


def _is_public(decorator: Node) -> bool:
    name, args = _decorator_call(decorator)
    if _PUBLIC.search(name):
        return True
    return name == "SetMetadata" and bool(args) and bool(_PUBLIC_METADATA.search(text(args[0])))
