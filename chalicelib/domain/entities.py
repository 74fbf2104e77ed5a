"""Domain records, independent of storage and of the wire format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from chalicelib.domain.ports import PortBinding, VolumeMount

T = TypeVar("T")

PLATFORM_ROLES = ("admin", "user")
ORG_ROLES = ("owner", "member")


@dataclass(frozen=True)
class User:
    id: str
    email: str
    name: str
    role: str
    default_org_id: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    slug: str
    owner_id: str
    settings: dict[str, object]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Membership:
    organization_id: str
    organization_name: str
    user_id: str
    role: str


@dataclass(frozen=True)
class Principal:
    """Who is asking: verified token claims plus the organization they act in."""

    user_id: str
    role: str
    token_id: str
    token_expires: int
    organization_id: str = ""
    organization_role: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Resources:
    cpu_millis: int
    memory_bytes: int
    storage_bytes: int | None = None


@dataclass(frozen=True)
class ContainerRequest:
    """A validated create request (the seed's body)."""

    name: str
    image: str
    resources: Resources
    environment: dict[str, str] = field(default_factory=dict)
    ports: tuple[PortBinding, ...] = ()
    volumes: tuple[VolumeMount, ...] = ()


@dataclass(frozen=True)
class ContainerChanges:
    """A validated PUT: only the fields the user sent."""

    name: str | None = None
    image: str | None = None
    environment: dict[str, str] | None = None
    ports: tuple[PortBinding, ...] | None = None
    volumes: tuple[VolumeMount, ...] | None = None


@dataclass(frozen=True)
class Container:
    id: str
    organization_id: str
    name: str
    image: str
    resources: Resources
    environment: dict[str, str]
    ports: tuple[PortBinding, ...]
    volumes: tuple[VolumeMount, ...]
    replicas: int
    status: str
    status_reason: str | None
    exit_code: int | None
    host_id: str | None
    engine_ids: tuple[str, ...]
    generation: int
    created_by: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Host:
    id: str
    name: str
    url: str
    status: str
    cpu_capacity_millis: int
    memory_capacity_bytes: int
    cpu_allocated_millis: int
    memory_allocated_bytes: int
    has_tls: bool
    is_default: bool
    created_at: datetime

    @property
    def free_cpu_millis(self) -> int:
        return self.cpu_capacity_millis - self.cpu_allocated_millis

    @property
    def free_memory_bytes(self) -> int:
        return self.memory_capacity_bytes - self.memory_allocated_bytes


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
