"""Warden's exception hierarchy: every error a caller may want to handle on purpose."""


class WardenError(Exception):
    """Base class of every Warden error."""


class InvalidTenantError(WardenError, ValueError):
    """A tenant id that does not match the slug rule."""


class NotFoundError(WardenError, LookupError):
    """A tenant, integration, repository or delivery that does not exist."""


class AlreadyExistsError(WardenError):
    """Creating something that already exists."""


class SecretUnavailableError(WardenError):
    """A credential reference that cannot be resolved. Never carries the secret value."""


class NormalisationError(WardenError, ValueError):
    """A vendor payload that cannot become a canonical record; the reason is kept."""
