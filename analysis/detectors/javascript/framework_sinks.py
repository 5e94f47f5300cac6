"""Sinks of frameworks whose APIs differ from Express's: Hapi redirects and cookie state
(`h.redirect`, `h.state` / `server.state` with `isSecure: false`), Angular's
`DomSanitizer.bypassSecurityTrust*` fed by `ActivatedRoute` data or an `@Input()`."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from analysis.detectors.javascript.frameworks import checked_choice
from analysis.detectors.javascript.outbound import fixed_origin
from analysis.detectors.javascript.spec import arguments, callee_name
from analysis.detectors.security_catalog import Hit
from analysis.detectors.treesitter.parsers import text
from analysis.detectors.treesitter.taint import TaintWalk

_HAPI_REDIRECT = frozenset({"h.redirect", "h.response.redirect"})
_HAPI_STATE = frozenset({"h.state", "server.state"})
_WEAK_STATE = re.compile(r"\b(isSecure|isHttpOnly)\s*:\s*false\b")
_RELATIVE = re.compile(r"""^[`'"]/[^/\\`'"$]""")
_BYPASS = re.compile(r"^bypassSecurityTrust(?:Html|Script|Style|Url|ResourceUrl)$")
_INPUT_FIELD = re.compile(
    rb"@Input\(\s*[^)]*\)\s*(?:(?:public|private|protected|readonly)\s+)*(?:set\s+)?(\w+)"
)


def check_framework_sinks(node: Node, walk: TaintWalk) -> Iterable[Hit]:
    if node.type != "call_expression":
        return ()
    callee = callee_name(node)
    method = callee.rsplit(".", 1)[-1]
    args = arguments(node)
    if not args:
        return ()
    if callee in _HAPI_REDIRECT or (method == "redirect" and callee.startswith("h.response(")):
        return _redirect(node, callee, args[0], walk)
    if callee in _HAPI_STATE:
        return _state(node, callee, args, walk)
    if _BYPASS.match(method):
        return _bypass(node, method, args[0], walk)
    return ()


def _redirect(call: Node, callee: str, target: Node, walk: TaintWalk) -> list[Hit]:
    fact = walk.tainted(target, "redirect")
    if fact is None or fact.source in (None, "process.env"):
        return []
    if _RELATIVE.match(text(target)) or fixed_origin(target, walk) or checked_choice(target):
        return []
    return [walk.hit("open-redirect", call, 0.8, f"{fact.source} reaches {callee}", fact)]


def _state(call: Node, callee: str, args: list[Node], walk: TaintWalk) -> list[Hit]:
    options = next((a for a in args if a.type == "object"), None)
    if options is None:
        return []
    weak = sorted(set(_WEAK_STATE.findall(text(options))))
    if not weak:
        return []
    flags = " and ".join(f"{flag}: false" for flag in weak)
    return [walk.hit("insecure-cookie", call, 0.8, f"{callee}() cookie with {flags}")]


def _bypass(call: Node, method: str, value: Node, walk: TaintWalk) -> list[Hit]:
    fact = walk.fact(value)
    if fact.constant or (fact.source is not None and not fact.tainted_for("html")):
        return []
    if fact.source is not None and fact.source != "process.env":
        return [walk.hit("xss", call, 0.85, f"{fact.source} reaches {method}", fact)]
    field = _input_field(value)
    if field and field in _inputs(walk):
        return [walk.hit("xss", call, 0.75, f"@Input() {field} reaches {method}", fact)]
    return []


def _input_field(value: Node) -> str:
    """`this.content` / `content` -> `content`."""
    raw = text(value)
    match = re.fullmatch(r"(?:this\.)?(\w+)", raw.strip())
    return match.group(1) if match else ""


def _inputs(walk: TaintWalk) -> set[str]:
    found = walk.notes.get("angular_inputs")
    if found is None:
        found = {name.decode() for name in _INPUT_FIELD.findall(walk.parsed.source)}
        walk.notes["angular_inputs"] = found  # type: ignore[assignment]
    return found  # type: ignore[return-value]
