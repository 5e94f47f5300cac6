"""Registry: (kind, provider name) -> factory. Adding an integration = one `register` call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ingestion.providers.base import Provider
from warden.controlplane.rows import IntegrationRow
from warden.settings import Settings


@dataclass(frozen=True)
class ProviderContext:
    """What a factory gets: the tenant's integration row and the process settings."""

    tenant_id: str
    integration: IntegrationRow
    settings: Settings


ProviderFactory = Callable[[ProviderContext], Provider]
_FACTORIES: dict[tuple[str, str], ProviderFactory] = {}


def register(kind: str, provider: str) -> Callable[[ProviderFactory], ProviderFactory]:
    def decorator(factory: ProviderFactory) -> ProviderFactory:
        _FACTORIES[(kind, provider)] = factory
        return factory

    return decorator


def registered() -> list[tuple[str, str]]:
    _load_builtin_providers()
    return sorted(_FACTORIES)


def build_provider(tenant_id: str, integration: IntegrationRow, settings: Settings) -> Any:
    """Build the provider for one tenant's integration."""
    _load_builtin_providers()
    if integration.tenant_id != tenant_id:
        raise ValueError("integration belongs to another tenant")
    factory = _FACTORIES.get((integration.kind, integration.provider))
    if factory is None:
        raise LookupError(
            f"no provider registered for kind={integration.kind!r} "
            f"provider={integration.provider!r}; known: {sorted(_FACTORIES)}"
        )
    return factory(ProviderContext(tenant_id=tenant_id, integration=integration, settings=settings))


def _load_builtin_providers() -> None:
    """Import the built-in provider packages so their `@register` calls run."""
    import ingestion.providers.folder
    import ingestion.providers.github
    import ingestion.providers.local_git  # noqa: F401
