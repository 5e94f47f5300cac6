"""What a Java handler declares about its response body: the media types it sets with
`setContentType(...)`, a `Content-Type` header (`setHeader` / `addHeader` / builder
`header(...)`, `contentType(...)`) — as literals ("text/plain;charset=UTF-8") or as media-type
constants (`MediaType.APPLICATION_JSON_VALUE`, `MediaType.TEXT_PLAIN`).

A browser renders only markup types as a document (HTML, XHTML, SVG, XML with a stylesheet),
so text written to a response declared `text/plain` or `application/json` is not cross-site
scripting. A type this module cannot read (a variable) counts as possibly markup.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from analysis.detectors.java.spec import arguments, method_name
from analysis.detectors.treesitter.parsers import text, walk

_MARKUP = re.compile(r"(?i)html|xml|svg")
_MEDIA_CONSTANT = re.compile(
    r"(?:^|\.)((?:TEXT|APPLICATION|IMAGE|AUDIO|VIDEO|FONT|MULTIPART)_[A-Z0-9_]+?)(?:_VALUE)?$"
)
_CONTENT_TYPE_HEADER = re.compile(r'(?i)^(?:"content-type"|(?:\w+\.)*CONTENT_TYPE)$')
_SETTERS = frozenset({"setContentType", "contentType"})
_HEADER_SETTERS = frozenset({"setHeader", "addHeader", "header", "set", "add"})
_SCOPES = ("method_declaration", "constructor_declaration")


def media_type(node: Node) -> str | None:
    """The media type a content-type argument names ("text/plain"), None when unknown."""
    raw = text(node).strip()
    if node.type == "string_literal":
        return raw.strip('"').split(";")[0].strip().lower() or None
    found = _MEDIA_CONSTANT.search(re.sub(r"\s+", "", raw))
    if found is None:
        return None
    top, _, sub = found.group(1).partition("_")
    return f"{top}/{sub.replace('_', '-')}".lower()


def declared_media_types(scope: Node) -> list[str | None]:
    """Every media type the handler sets on its response (None for ones it cannot read)."""
    declared: list[str | None] = []
    for node in walk(scope):
        if node.type != "method_invocation":
            continue
        name = method_name(node)
        args = arguments(node)
        if name in _SETTERS and len(args) == 1:
            declared.append(media_type(args[0]))
        elif name in _HEADER_SETTERS and len(args) == 2 and _names_content_type(args[0]):
            declared.append(media_type(args[1]))
    return declared


def _names_content_type(header: Node) -> bool:
    return bool(_CONTENT_TYPE_HEADER.match(re.sub(r"\s+", "", text(header))))


def non_markup_response(node: Node) -> bool:
    """The enclosing handler method (lambdas in it included) declares its response type, and
    no declared type is markup."""
    scope = node.parent
    while scope is not None and scope.type not in _SCOPES:
        scope = scope.parent
    if scope is None:
        return False
    declared = declared_media_types(scope)
    return bool(declared) and all(
        kind is not None and not _MARKUP.search(kind) for kind in declared
    )
