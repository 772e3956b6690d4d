"""Services: the only code that writes. Keyword-only, one transaction, guarded, attributed."""

from ..permissions import PermissionDeniedError


class ServiceError(Exception):
    """A business rule refused the change; the message is shown to the user as is."""


class ConflictError(ServiceError):
    """Someone else changed the record since it was read (optimistic concurrency)."""


__all__ = ["ConflictError", "PermissionDeniedError", "ServiceError"]
