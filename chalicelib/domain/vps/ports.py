"""What VPS reselling needs from a cloud provider (Linode first), independent of its SDK.

Prices are integer US cents; memory, disk and transfer are MiB as the providers report them.
Adapters raise the errors below (never the SDK's own), so the domain and the workflows can tell
a retryable outage from a refusal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from chalicelib.domain.shared.errors import DomainError, ServiceUnavailable

InstanceStatus = Literal[
    "provisioning",
    "booting",
    "running",
    "shutting_down",
    "offline",
    "rebooting",
    "deleting",
    "migrating",
    "other",
]


class ProviderUnavailable(ServiceUnavailable):
    """The provider answered 5xx, 429 or not at all: retry later (`retry_after` seconds when it said)."""

    code = "provider_unavailable"

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ProviderRejected(DomainError):
    """The provider refused the request (4xx): retrying the same request will not help."""

    code = "provider_rejected"

    def __init__(self, message: str, *, status: int, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.field = field


class ProviderAuthFailed(ProviderRejected):
    """The API key is wrong, revoked or lacks a scope (401/403)."""

    code = "provider_auth_failed"


@dataclass(frozen=True)
class ProviderType:
    """A size the provider sells (Linode: a type such as g6-nanode-1)."""

    id: str
    label: str
    vcpus: int
    memory_mb: int
    disk_mb: int
    transfer_mb: int
    hourly_cents: int  # the provider's price to us, rounded up to the cent
    monthly_cents: int


@dataclass(frozen=True)
class ProviderRegion:
    id: str
    label: str
    country: str
    status: str  # "ok" or "outage"


@dataclass(frozen=True)
class ProviderInstance:
    id: str
    label: str
    status: InstanceStatus
    region: str
    type_id: str
    ipv4: tuple[str, ...] = ()
    ipv6: str | None = None
    tags: tuple[str, ...] = ()
    created: datetime | None = None


@dataclass(frozen=True)
class ProviderEvent:
    """An account event (Linode: GET /v4/account/events)."""

    id: int
    action: str  # e.g. linode_boot, linode_shutdown, linode_reboot, linode_delete, linode_migrate
    status: str  # scheduled, started, finished, failed, notification
    entity_type: str | None
    entity_id: str | None
    created: datetime | None = None


@dataclass(frozen=True)
class ProviderCheck:
    """What `test` found with the credentials."""

    account: str  # the account's e-mail or company, never the key
    regions: int
    types: int
    instances: int


@dataclass(frozen=True)
class NewInstance:
    label: str
    region: str
    type_id: str
    tags: tuple[str, ...]
    root_password: str
    authorized_keys: tuple[str, ...] = field(default_factory=tuple)


class CloudProvider(Protocol):
    """One provider account, reached with one API key."""

    def check(self) -> ProviderCheck: ...

    def types(self) -> Sequence[ProviderType]: ...

    def regions(self) -> Sequence[ProviderRegion]: ...

    def create_instance(self, spec: NewInstance) -> ProviderInstance: ...

    def instances(self, *, tag: str | None = None) -> Sequence[ProviderInstance]:
        """Every instance (all pages), or those carrying `tag`."""
        ...

    def instance(self, instance_id: str) -> ProviderInstance | None:
        """None when the provider no longer has it (404)."""
        ...

    def boot(self, instance_id: str) -> None: ...

    def shutdown(self, instance_id: str) -> None: ...

    def reboot(self, instance_id: str) -> None: ...

    def delete_instance(self, instance_id: str) -> bool:
        """True when deleted now, False when it was already gone (404): deleting twice is safe."""
        ...

    def events(self, *, after_id: int | None = None) -> Sequence[ProviderEvent]:
        """Account events with an id greater than `after_id`, oldest first (all pages)."""
        ...


class CloudProviders(Protocol):
    """Opens a provider account by type; `base_url` points the SDK elsewhere (the local sandbox)."""

    def connect(self, provider_type: str, api_key: str, *, base_url: str | None = None) -> CloudProvider:
        """Raises ValidationFailed for a type that is not supported yet."""
        ...
