"""The request entity of a JAX-RS (Jakarta REST, Quarkus RESTEasy) resource method.

A resource method that takes a body (`@POST`, `@PUT`, `@PATCH`, `@DELETE`; the upper-case
annotations are JAX-RS's own) receives it in its one parameter without a binding annotation
(`@QueryParam`, `@FormParam`, `@Context`, ...): `preview(PreviewRequest request)` is
deserialised from the request body. Validation annotations (`@Valid`, `@NotNull`, ...) do not
change that. Context objects the runtime injects without an annotation (`UriInfo`,
`SecurityContext`, Vert.x `RoutingContext`, ...) are not the entity, and numbers, booleans
and UUIDs cannot carry text to a sink.
"""

from __future__ import annotations

import re

_TAKES_ENTITY = re.compile(r"@(?:POST|PUT|PATCH|DELETE)\b")
_VALIDATION = re.compile(
    r"@(?:Valid|Validated|NotNull|NotBlank|NotEmpty|Size|Pattern|Min|Max|Email|Nonnull|NonNull"
    r"|Positive\w*|Negative\w*|Digits)\b(?:\([^)]*\))?|\bfinal\b"
)
_NOT_ENTITY_TYPES = frozenset(
    {"HttpHeaders", "UriInfo", "SecurityContext", "Request", "Providers", "Sse", "SseEventSink",
     "ResourceInfo", "SimpleResourceInfo", "ResourceContext", "ContainerRequestContext",
     "RoutingContext", "HttpServerRequest", "HttpServerResponse", "AsyncResponse", "Principal",
     "int", "long", "short", "byte", "double", "float", "boolean", "char", "Integer", "Long",
     "Short", "Double", "Float", "Boolean", "UUID", "BigDecimal", "BigInteger"}
)  # fmt: skip


def takes_entity(method_annotations: str) -> bool:
    """Whether a method with these annotations (source text) is a JAX-RS method with a body."""
    return _TAKES_ENTITY.search(method_annotations) is not None


def is_entity(parameter_modifiers: str, declared_type: str) -> bool:
    """An unannotated (or only validated) parameter of a type that carries request data."""
    if declared_type in _NOT_ENTITY_TYPES:
        return False
    return "@" not in _VALIDATION.sub("", parameter_modifiers)
