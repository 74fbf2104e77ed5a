"""Domain errors. Services raise these; the API edge maps each to one HTTP status and JSON shape."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a user may see. `code` is stable, `message` is for people."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class ValidationFailed(DomainError):
    """The request is malformed; `details` names the offending field(s)."""

    status = 400
    code = "validation_error"


class AuthenticationFailed(DomainError):
    """Missing, invalid, expired or revoked credentials."""

    status = 401
    code = "unauthorized"


class PermissionDenied(DomainError):
    """Authenticated, but not allowed to do this."""

    status = 403
    code = "forbidden"


class NotFound(DomainError):
    """Missing, or owned by another organization (indistinguishable on purpose)."""

    status = 404
    code = "not_found"


class PaymentRequired(DomainError):
    """The organization must pay first: it is suspended for non-payment (top up the wallet to resume)."""

    status = 402
    code = "payment_required"


class InsufficientFunds(PaymentRequired):
    """The wallet balance does not cover this debit."""

    code = "insufficient_funds"


class PaymentDeclined(PaymentRequired):
    """The payment provider declined the payment (another payment method may work)."""

    code = "payment_declined"


class Conflict(DomainError):
    """The request clashes with the current state (duplicate, wrong status, no capacity)."""

    status = 409
    code = "conflict"


class NoCapacity(Conflict):
    """No container host can fit the requested CPU/memory."""

    code = "no_capacity"


class QuotaExceeded(Conflict):
    """The organization's package does not allow this much; `details.field` names the limit (containers, cpu,
    memory, storage, vps, backups)."""

    code = "quota_exceeded"


class IdempotencyKeyReused(DomainError):
    """The same Idempotency-Key was sent before with a different request body."""

    status = 422
    code = "idempotency_key_reused"


class PayloadTooLarge(DomainError):
    """The request body is larger than the API accepts."""

    status = 413
    code = "payload_too_large"


class ConfigurationError(RuntimeError):
    """The deployment is missing a setting it cannot run without (raised at first use, never at import)."""


class RateLimited(DomainError):
    """Too many attempts; retry after `retry_after` seconds."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, details: Any = None) -> None:
        super().__init__(message, details=details)
        self.retry_after = retry_after


class ServiceUnavailable(DomainError):
    """A dependency (engine, AWS) is unreachable right now; retrying later may work."""

    status = 503
    code = "service_unavailable"


class StoreUnavailable(ServiceUnavailable):
    """The database throttled the request, failed on its side or could not be reached (transient: retry).

    Raised by the store, so workflows match one stable error name in their Retry.
    """

    code = "store_unavailable"


# Engine errors: raised by ContainerEngine adapters.
class EngineError(DomainError):
    """The Docker Engine refused an operation for a reason that retrying will not fix."""

    status = 502
    code = "engine_error"


class ImageNotFound(EngineError):
    """The image is not on the host and cannot be pulled."""

    status = 400
    code = "image_not_found"


class PortInUse(EngineError):
    """A requested host port is already allocated on the host."""

    status = 409
    code = "port_in_use"


class EngineUnavailable(ServiceUnavailable):
    """The engine did not answer (transient: retry)."""

    code = "engine_unavailable"


class EngineContainerMissing(EngineError):
    """The engine has no container with that id/name."""

    status = 404
    code = "engine_container_missing"
