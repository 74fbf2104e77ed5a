"""Notifications: what a member reads in the app; the organization's webhook endpoints and deliveries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

# The kinds capabilities raise (chalicelib.domain.shared.notices), with what they mean to a customer. An
# endpoint subscribes to kinds, to a whole area ("container.*") or to everything ("*"); an area's new kinds
# reach the endpoints subscribed to the area without a change here.
KINDS: dict[str, str] = {
    "container.running": "A container is running (after a deployment, an update or by itself again)",
    "container.failed": "A deployment or update failed, or a container crashed or ran out of memory",
    "container.exited": "A container's process ended by itself (exit code 0)",
    "vps.running": "A VPS instance is running",
    "vps.failed": "A VPS instance could not be created or failed",
    "image.ready": "An uploaded or built image is ready to deploy",
    "image.failed": "An image could not be loaded or built",
    "billing.low_balance": "The balance runs out soon at the current usage",
    "billing.suspended": "The organization was suspended for non-payment and its workloads stopped",
    "billing.resumed": "A top-up ended the suspension and the workloads started again",
    "billing.termination_notice": "Suspended workloads will be deleted soon",
    "billing.terminated": "Suspended workloads were deleted",
    "invoice.issued": "A monthly invoice was issued",
    "ticket.replied": "Support replied to a ticket",
    "ticket.status_changed": "A ticket's status changed",
    "webhook.ping": "A test event sent from the webhooks page",
    # monitoring
    "alert.firing": "An alert rule fires (a metric sustained past its threshold, or an event)",
    "alert.resolved": "A firing alert resolved",
    # backups
    "backup.failed": "A backup (or a scheduled backup) failed or could not start",
    "backup.missed": "A scheduled backup did not run on time",
    "backup.verification_failed": "A backup could not be proven restorable (corrupted or incomplete)",
    "backup.restore_failed": "A backup could not be restored",
}
ALL_EVENTS = "*"
AREAS = tuple(sorted({kind.split(".")[0] for kind in KINDS}))
EVENT_PATTERNS = (ALL_EVENTS, *(f"{area}.*" for area in AREAS), *KINDS)
MAX_ENDPOINTS = 10
MAX_TITLE = 200
MAX_BODY = 2000
MAX_DESCRIPTION = 200
SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix of generated secrets, not a secret

DeliveryStatus = Literal["pending", "delivered", "failed"]
PENDING: DeliveryStatus = "pending"
DELIVERED: DeliveryStatus = "delivered"
FAILED: DeliveryStatus = "failed"


ULID_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def matches(pattern: str, kind: str) -> bool:
    """Whether a subscription pattern ("*", "container.*" or an exact kind) takes events of `kind`."""
    if pattern == ALL_EVENTS:
        return True
    if pattern.endswith(".*"):
        return kind.startswith(pattern[:-1])
    return pattern == kind


@dataclass(frozen=True)
class Notification:
    """One member's copy of a notice (organization-wide notices are written once per member)."""

    id: str
    organization_id: str
    user_id: str
    kind: str
    title: str
    body: str
    created_at: datetime
    resource_type: str | None = None
    resource_id: str | None = None
    read: bool = False


@dataclass(frozen=True)
class NotificationFeed:
    items: list[Notification]
    next_cursor: str | None
    unread_count: int


@dataclass(frozen=True)
class WebhookRequest:
    url: str
    events: tuple[str, ...] = (ALL_EVENTS,)
    description: str = ""


@dataclass(frozen=True)
class WebhookEndpoint:
    """An organization's receiver. The signing secret is kept encrypted and shown once, at creation."""

    id: str
    organization_id: str
    url: str
    events: tuple[str, ...]
    description: str
    secret_encrypted: str
    created_at: datetime
    created_by: str

    def wants(self, kind: str) -> bool:
        return any(matches(pattern, kind) for pattern in self.events)

    def secret_context(self) -> dict[str, str]:
        """The KMS encryption context of the secret: it decrypts only for this endpoint."""
        return secret_context(self.organization_id, self.id)


def secret_context(org_id: str, endpoint_id: str) -> dict[str, str]:
    return {"purpose": "webhook-secret", "organization": org_id, "webhook": endpoint_id}


@dataclass(frozen=True)
class CreatedWebhook:
    endpoint: WebhookEndpoint
    secret: str  # plaintext: answered once, never stored in the clear


@dataclass(frozen=True)
class Attempt:
    """One try at delivering: the receiver's status code, or why there was none."""

    number: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(frozen=True)
class DeliveryRef:
    """Where a delivery and its queue entry are: enough to claim and settle it without a lookup."""

    organization_id: str
    endpoint_id: str
    delivery_id: str
    queue_key: str


@dataclass(frozen=True)
class Delivery:
    """One event for one endpoint: the exact body signed at every attempt, and how the attempts went."""

    id: str
    organization_id: str
    endpoint_id: str
    event_id: str
    kind: str
    body: str
    status: DeliveryStatus
    created_at: datetime
    attempts: tuple[Attempt, ...] = ()
    next_attempt_at: datetime | None = None
    delivered_at: datetime | None = None
    final_error: str | None = None  # why it was given up without another try (endpoint removed)

    @property
    def last(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None


@dataclass(frozen=True)
class DeliveryPolicy:
    """Retries (waits after each failed attempt), timeouts, and whether loopback receivers are allowed."""

    retry_seconds: tuple[int, ...]
    timeout_seconds: float
    allow_loopback: bool = False
    lease_seconds: int = 120  # a claimed delivery whose worker vanished is due again after this
    log_days: int = 30

    @property
    def max_attempts(self) -> int:
        return 1 + len(self.retry_seconds)
