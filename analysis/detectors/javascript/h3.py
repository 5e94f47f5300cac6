"""h3's request utilities (the server of Nuxt and Nitro, which auto-import them): called with
the handler's event they return request data — `getQuery(event)`, `getRouterParam(event,
"id")`, `readBody(event)`, `readMultipartFormData(event)`, headers and cookies. The
schema-validated readers (`getValidatedQuery`, `readValidatedBody`) are left out. Only files
that define h3 event handlers (or import h3) read these names as sources."""

from __future__ import annotations

from tree_sitter import Node

from analysis.detectors.javascript.file_facts import FileFacts

_READERS = frozenset(
    {"getQuery", "getRouterParams", "getRouterParam", "readBody", "readRawBody", "readFormData",
     "readMultipartFormData", "getHeader", "getHeaders", "getRequestHeader",
     "getRequestHeaders", "getCookie", "parseCookies", "getRequestURL"}
)  # fmt: skip


def h3_request_read(callee: str, call: Node, facts: FileFacts) -> bool:
    if not facts.h3_handlers or callee not in _READERS:
        return False
    given = call.child_by_field_name("arguments")
    return given is not None and given.named_child_count > 0
