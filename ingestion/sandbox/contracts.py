"""GitHub vendor contracts (shared/contracts/github) loaded as JSON Schema validators.

Two families of schema live there:
- REST response schemas: OpenAPI 3.0 operations whose `$ref`s point into
  `rest/_components.schemas.json`. OpenAPI 3.0 spells "may be null" as `nullable: true`,
  which JSON Schema does not know, so the components are translated once on load.
- Webhook payload schemas: JSON Schema draft-07 with `$id`-based relative refs into
  `webhook-schemas/common/`; every file is registered under its own `$id`.

The sandbox and the tests use these to prove that what the fake serves (and what the
webhook builder sends) has the shape the real GitHub publishes.
"""

from __future__ import annotations

import copy
import json
import os
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

CONTRACTS_ENV = "WARDEN_CONTRACTS_DIR"
_COMPONENTS_URI = "urn:warden:github-rest-components"
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def contracts_root() -> Path:
    """The `shared/contracts` folder: `$WARDEN_CONTRACTS_DIR`, else next to the repo."""
    configured = os.environ.get(CONTRACTS_ENV)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / "shared" / "contracts"


def github_contracts_dir() -> Path:
    return contracts_root() / "github"


def load_json(relative: str) -> Any:
    """Load one file under `shared/contracts/github`."""
    return json.loads((github_contracts_dir() / relative).read_text(encoding="utf-8"))


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return "T" in value and parsed.tzinfo is not None

    @checker.checks("uri", raises=ValueError)
    def is_uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        # RFC 3986: an absolute URI is `scheme ":" hier-part`, without whitespace
        return bool(_URI_SCHEME.match(value)) and not any(ch.isspace() for ch in value)

    return checker


FORMAT_CHECKER = _format_checker()


def _openapi_to_jsonschema(node: Any) -> Any:
    """Translate OpenAPI 3.0 `nullable` and local component refs into JSON Schema."""
    if isinstance(node, list):
        return [_openapi_to_jsonschema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _openapi_to_jsonschema(value) for key, value in node.items()}
    ref = out.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/"):
        out["$ref"] = _COMPONENTS_URI + ref
    if out.pop("nullable", False):
        if "type" in out:
            kind = out["type"]
            out["type"] = [*kind, "null"] if isinstance(kind, list) else [kind, "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [{"type": "null"}, out]}
    return out


@cache
def _rest_registry() -> Registry:
    components = load_json("rest/_components.schemas.json")["schemas"]
    document = {"components": {"schemas": _openapi_to_jsonschema(components)}}
    resource = Resource.from_contents(document, default_specification=DRAFT7)
    return Registry().with_resource(_COMPONENTS_URI, resource)


@cache
def rest_operation(operation: str) -> dict[str, Any]:
    """The operation file, e.g. `pulls.list` -> rest/pulls.list.json."""
    return load_json(f"rest/{operation}.json")


def rest_response_validator(operation: str, status: int | str = 200) -> Draft202012Validator:
    """Validator for the JSON body of one REST operation's response."""
    return _rest_validator(operation, str(status))


@cache
def _rest_validator(operation: str, status: str) -> Draft202012Validator:
    response = rest_operation(operation)["responses"][status]
    schema = response["content"]["application/json"]["schema"]
    return Draft202012Validator(
        copy.deepcopy(_openapi_to_jsonschema(schema)),
        registry=_rest_registry(),
        format_checker=FORMAT_CHECKER,
    )


def validate_rest_response(operation: str, body: Any, status: int = 200) -> None:
    """Raise `jsonschema.ValidationError` (the best match) if `body` breaks the contract."""
    validator = rest_response_validator(operation, status)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        raise errors[0]


@cache
def _webhook_registry() -> Registry:
    root = github_contracts_dir() / "webhook-schemas"
    registry = Registry()
    for path in sorted(root.rglob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT7)
        registry = registry.with_resource(contents.get("$id", str(path)), resource)
    return registry.crawl()


@cache
def webhook_validator(event: str, action: str) -> Draft7Validator:
    """Validator for `webhook-schemas/<event>/<action>.schema.json` (draft-07)."""
    schema = load_json(f"webhook-schemas/{event}/{action}.schema.json")
    return Draft7Validator(schema, registry=_webhook_registry(), format_checker=FORMAT_CHECKER)


def validate_webhook_payload(event: str, payload: dict[str, Any]) -> None:
    """Raise `jsonschema.ValidationError` if the payload breaks the event/action schema."""
    action = payload.get("action")
    if not isinstance(action, str):
        raise ValueError("webhook payload has no string 'action'")
    validator = webhook_validator(event, action)
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.absolute_path))
    if errors:
        raise errors[0]
