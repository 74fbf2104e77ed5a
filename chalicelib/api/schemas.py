"""Request and response models: the wire contract. The OpenAPI document is generated from these."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chalicelib.domain import quantities
from chalicelib.domain.accounts import LoginResult
from chalicelib.domain.containers import ContainerMetrics, ReplicaLog
from chalicelib.domain.entities import (
    Container,
    ContainerChanges,
    ContainerRequest,
    Host,
    Membership,
    Organization,
    Resources,
    User,
)
from chalicelib.domain.ports import ContainerStats, PortBinding, TlsMaterial, VolumeMount

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN = (
    r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?"
)
IMAGE_REFERENCE = re.compile(
    rf"^(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*(?::[\w][\w.-]{{0,127}})?(?:@[A-Za-z][A-Za-z0-9]*"
    rf"(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{{32,}})?$"
)
ENV_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

Name = Annotated[str, Field(min_length=1, max_length=63, pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
ImageRef = Annotated[str, Field(min_length=1, max_length=255, examples=["nginx:latest"])]
EnvValue = str | int | float | bool


class Out(BaseModel):
    """Response models. Validators are compiled on first use, not at import (cold start)."""

    model_config = ConfigDict(defer_build=True)


class Strict(BaseModel):
    """Unknown fields are an error (400 naming the field), never silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


def _check_image(value: str) -> str:
    if not IMAGE_REFERENCE.match(value):
        raise ValueError(
            f"'{value}' is not a valid image reference (e.g. 'nginx:latest' or 'registry:5000/app:1.2')"
        )
    return value


def _env(values: dict[str, EnvValue]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in values.items():
        if not ENV_KEY.match(key):
            raise ValueError(f"'{key}' is not a valid environment variable name")
        out[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


# ---------------------------------------------------------------- errors
class ErrorBody(Out):
    code: str
    message: str
    details: object | None = None


class ErrorOut(Out):
    error: ErrorBody


class SuccessOut(Out):
    success: bool = True


# ---------------------------------------------------------------- accounts
class RegisterIn(Strict):
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    password: Annotated[str, Field(max_length=1024)]
    name: Annotated[str, Field(min_length=1, max_length=100)]


class LoginIn(Strict):
    email: Annotated[str, Field(max_length=254)]
    password: Annotated[str, Field(max_length=1024)]


class ProfileUpdateIn(Strict):
    name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    current_password: Annotated[str, Field(max_length=1024)] | None = None
    new_password: Annotated[str, Field(max_length=1024)] | None = None


class UserOut(Out):
    id: str
    email: str
    name: str
    role: Literal["admin", "user"]
    default_organization_id: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, u: User) -> UserOut:
        return cls(
            id=u.id,
            email=u.email,
            name=u.name,
            role=u.role,  # type: ignore[arg-type]
            default_organization_id=u.default_org_id,
            created_at=u.created_at,
            updated_at=u.updated_at,
        )


class LoginOut(Out):
    success: bool
    token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - a scheme name, not a secret
    expires_at: int
    user: UserOut

    @classmethod
    def of(cls, r: LoginResult) -> LoginOut:
        return cls(success=True, token=r.token, expires_at=r.expires_at, user=UserOut.of(r.user))


class MembershipOut(Out):
    id: str
    name: str
    role: Literal["owner", "member"]

    @classmethod
    def of(cls, m: Membership) -> MembershipOut:
        return cls(id=m.organization_id, name=m.organization_name, role=m.role)  # type: ignore[arg-type]


class OrganizationListOut(Out):
    organizations: list[MembershipOut]


class OrganizationOut(Out):
    id: str
    name: str
    slug: str
    owner_id: str
    settings: dict[str, object]
    role: Literal["owner", "member"]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, o: Organization, m: Membership) -> OrganizationOut:
        return cls(
            id=o.id,
            name=o.name,
            slug=o.slug,
            owner_id=o.owner_id,
            settings=o.settings,
            role=m.role,  # type: ignore[arg-type]
            created_at=o.created_at,
            updated_at=o.updated_at,
        )


# ---------------------------------------------------------------- containers
class ResourcesIn(Strict):
    cpu: str | float | int = Field(description="Cores ('0.5') or millicores ('500m')", examples=["0.5"])
    memory: str | int = Field(description="Bytes or a quantity such as '512Mi'", examples=["512Mi"])
    storage: str | int | None = Field(
        default=None, description="Requested disk, e.g. '1Gi'", examples=["1Gi"]
    )

    @field_validator("cpu")
    @classmethod
    def _cpu(cls, v: str | float | int) -> str | float | int:
        quantities.parse_cpu_millis(v)
        return v

    @field_validator("memory")
    @classmethod
    def _memory(cls, v: str | int) -> str | int:
        if quantities.parse_bytes(v) < quantities.MIN_MEMORY_BYTES:
            raise ValueError("must be at least 6Mi (the engine refuses less)")
        return v

    @field_validator("storage")
    @classmethod
    def _storage(cls, v: str | int | None) -> str | int | None:
        if v is not None:
            quantities.parse_bytes(v)
        return v

    def to_domain(self) -> Resources:
        return Resources(
            cpu_millis=quantities.parse_cpu_millis(self.cpu),
            memory_bytes=quantities.parse_bytes(self.memory),
            storage_bytes=quantities.parse_bytes(self.storage) if self.storage is not None else None,
        )


class PortIn(Strict):
    container: Annotated[int, Field(ge=1, le=65535)]
    host: Annotated[int, Field(ge=1024, le=65535)] | None = Field(
        default=None, description="Host port; omit to let the host choose one"
    )
    protocol: Literal["tcp", "udp"] = "tcp"

    def to_domain(self) -> PortBinding:
        return PortBinding(container=self.container, host=self.host, protocol=self.protocol)


class VolumeIn(Strict):
    name: Name
    path: Annotated[str, Field(min_length=2, max_length=255, pattern=r"^/[^\x00]*$")]
    read_only: bool = False

    def to_domain(self) -> VolumeMount:
        return VolumeMount(name=self.name, path=self.path, read_only=self.read_only)


def _ports(ports: list[PortIn]) -> tuple[PortBinding, ...]:
    return tuple(p.to_domain() for p in ports)


def _volumes(volumes: list[VolumeIn]) -> tuple[VolumeMount, ...]:
    return tuple(v.to_domain() for v in volumes)


class ContainerCreateIn(Strict):
    name: Name
    image: ImageRef
    resources: ResourcesIn
    environment: Annotated[dict[str, EnvValue], Field(max_length=200)] = {}
    ports: Annotated[list[PortIn], Field(max_length=50)] = []
    volumes: Annotated[list[VolumeIn], Field(max_length=20)] = []

    _image = field_validator("image")(classmethod(lambda cls, v: _check_image(v)))
    _environment = field_validator("environment")(classmethod(lambda cls, v: _env(v)))

    def to_domain(self) -> ContainerRequest:
        return ContainerRequest(
            name=self.name,
            image=self.image,
            resources=self.resources.to_domain(),
            environment=_env(self.environment),
            ports=_ports(self.ports),
            volumes=_volumes(self.volumes),
        )


class ContainerUpdateIn(Strict):
    name: Name | None = None
    image: ImageRef | None = None
    environment: Annotated[dict[str, EnvValue], Field(max_length=200)] | None = None
    ports: Annotated[list[PortIn], Field(max_length=50)] | None = None
    volumes: Annotated[list[VolumeIn], Field(max_length=20)] | None = None

    _image = field_validator("image")(classmethod(lambda cls, v: v if v is None else _check_image(v)))
    _environment = field_validator("environment")(classmethod(lambda cls, v: v if v is None else _env(v)))

    def to_domain(self) -> ContainerChanges:
        return ContainerChanges(
            name=self.name,
            image=self.image,
            environment=_env(self.environment) if self.environment is not None else None,
            ports=_ports(self.ports) if self.ports is not None else None,
            volumes=_volumes(self.volumes) if self.volumes is not None else None,
        )


class ScaleIn(Strict):
    replicas: Annotated[int, Field(ge=1, le=20)] | None = None
    resources: ResourcesIn | None = None


class ResourcesOut(Out):
    cpu: str
    memory: str
    storage: str | None

    @classmethod
    def of(cls, r: Resources) -> ResourcesOut:
        return cls(
            cpu=quantities.format_cpu(r.cpu_millis),
            memory=quantities.format_bytes(r.memory_bytes),
            storage=quantities.format_bytes(r.storage_bytes) if r.storage_bytes is not None else None,
        )


class PortOut(Out):
    container: int
    host: int | None
    protocol: str


class VolumeOut(Out):
    name: str
    path: str
    read_only: bool


class ContainerOut(Out):
    id: str
    name: str
    image: str
    status: Literal["provisioning", "running", "stopped", "exited", "error"]
    status_reason: str | None
    exit_code: int | None
    resources: ResourcesOut
    environment: dict[str, str]
    ports: list[PortOut]
    volumes: list[VolumeOut]
    replicas: int
    created_by: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, c: Container) -> ContainerOut:
        return cls(
            id=c.id,
            name=c.name,
            image=c.image,
            status=c.status,  # type: ignore[arg-type]
            status_reason=c.status_reason,
            exit_code=c.exit_code,
            resources=ResourcesOut.of(c.resources),
            environment=c.environment,
            ports=[PortOut(container=p.container, host=p.host, protocol=p.protocol) for p in c.ports],
            volumes=[VolumeOut(name=v.name, path=v.path, read_only=v.read_only) for v in c.volumes],
            replicas=c.replicas,
            created_by=c.created_by,
            created_at=c.created_at,
            updated_at=c.updated_at,
        )


class ContainerListOut(Out):
    containers: list[ContainerOut]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= to get the next page; null on the last page"
    )


class ListQuery(Strict):
    limit: Annotated[int, Field(ge=1, le=100)] = 20
    cursor: Annotated[str, Field(max_length=2048)] | None = None


class DeleteQuery(Strict):
    purge_volumes: bool = False


class LogsQuery(Strict):
    tail: Annotated[int, Field(ge=1, le=10000)] = 100
    since: datetime | None = Field(default=None, description="ISO-8601 time or epoch seconds")


class LogLineOut(Out):
    timestamp: datetime
    stream: Literal["stdout", "stderr"]
    replica: int
    message: str


class LogsOut(Out):
    container_id: str
    lines: list[LogLineOut]

    @classmethod
    def of(cls, container_id: str, lines: list[ReplicaLog]) -> LogsOut:
        return cls(
            container_id=container_id,
            lines=[
                LogLineOut(
                    timestamp=r.line.timestamp,
                    stream=r.line.stream,  # type: ignore[arg-type]
                    replica=r.replica,
                    message=r.line.message,
                )
                for r in lines
            ],
        )


class MemoryOut(Out):
    used_bytes: int
    limit_bytes: int
    percent: float


class IoOut(Out):
    read_bytes: int
    write_bytes: int


class NetworkOut(Out):
    rx_bytes: int
    tx_bytes: int


class StatsOut(Out):
    cpu_percent: float
    memory: MemoryOut
    network: NetworkOut
    block_io: IoOut
    pids: int

    @classmethod
    def of(cls, s: ContainerStats) -> StatsOut:
        limit = s.memory_limit_bytes
        return cls(
            cpu_percent=s.cpu_percent,
            memory=MemoryOut(
                used_bytes=s.memory_used_bytes,
                limit_bytes=limit,
                percent=round(100 * s.memory_used_bytes / limit, 2) if limit else 0.0,
            ),
            network=NetworkOut(rx_bytes=s.network_rx_bytes, tx_bytes=s.network_tx_bytes),
            block_io=IoOut(read_bytes=s.block_read_bytes, write_bytes=s.block_write_bytes),
            pids=s.pids,
        )


class ReplicaStatsOut(StatsOut):
    replica: int


class MetricsOut(StatsOut):
    container_id: str
    collected_at: datetime
    replicas: list[ReplicaStatsOut]

    @classmethod
    def of_container(cls, container_id: str, m: ContainerMetrics, now: datetime) -> MetricsOut:
        total = StatsOut.of(m.total)
        return cls(
            **total.model_dump(),
            container_id=container_id,
            collected_at=now,
            replicas=[ReplicaStatsOut(**StatsOut.of(s).model_dump(), replica=i) for i, s in m.replicas],
        )


# ---------------------------------------------------------------- hosts
class TlsIn(Strict):
    ca_cert: Annotated[str, Field(min_length=1, max_length=16384)]
    client_cert: Annotated[str, Field(min_length=1, max_length=16384)]
    client_key: Annotated[str, Field(min_length=1, max_length=16384)]

    def to_domain(self) -> TlsMaterial:
        return TlsMaterial(ca_cert=self.ca_cert, client_cert=self.client_cert, client_key=self.client_key)


class HostIn(Strict):
    name: Name
    url: Annotated[str, Field(min_length=1, max_length=512, examples=["unix:///var/run/docker.sock"])]
    tls: TlsIn | None = None


class HostOut(Out):
    id: str
    name: str
    url: str
    status: Literal["active", "draining"]
    tls: bool
    default: bool
    capacity: ResourcesOut
    allocated: ResourcesOut
    created_at: datetime

    @classmethod
    def of(cls, h: Host) -> HostOut:
        return cls(
            id=h.id,
            name=h.name,
            url=h.url,
            status=h.status,  # type: ignore[arg-type]
            tls=h.has_tls,
            default=h.is_default,
            capacity=ResourcesOut.of(Resources(h.cpu_capacity_millis, h.memory_capacity_bytes)),
            allocated=ResourcesOut.of(Resources(h.cpu_allocated_millis, h.memory_allocated_bytes)),
            created_at=h.created_at,
        )


class HostListOut(Out):
    hosts: list[HostOut]
