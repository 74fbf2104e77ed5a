"""Wire models of containers, their logs and metrics. Patterns and bounds are the domain's own limits."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from chalicelib.api.wire import NextCursor, Out, Strict
from chalicelib.domain.containers.entities import (
    MAX_ENVIRONMENT_VARIABLES,
    MAX_NAME_LENGTH,
    MAX_PORTS,
    MAX_REPLICAS,
    MAX_VOLUMES,
    MIN_REPLICAS,
    NAME_PATTERN,
    NO_PROJECT,
    Container,
    ContainerChanges,
    ContainerRequest,
    ContainerStatus,
    Resources,
)
from chalicelib.domain.hosts.engine import NetProtocol, PortBinding, VolumeMount
from chalicelib.domain.images.entities import not_an_engine_namespace
from chalicelib.domain.shared import quantities
from chalicelib.domain.shared.errors import ValidationFailed
from chalicelib.domain.teams.entities import PROJECT_ID_PATTERN

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN = (
    r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?"
)
IMAGE_PATTERN = (
    rf"^(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})?"
    rf"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{{32,}})?$"
)
ENV_KEY_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
_ENV_KEY = re.compile(ENV_KEY_PATTERN)
_SECONDS = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
# Cores 0.01..64 with at most three decimals, or millicores 10m..64000m (the domain's range).
CPU_CORES_PATTERN = (
    r"^(?:0\.(?:0[1-9][0-9]?|[1-9][0-9]{0,2})|(?:[1-9]|[1-5][0-9]|6[0-3])(?:\.[0-9]{1,3})?|64(?:\.0{1,3})?)$"
)
CPU_MILLIS_PATTERN = r"^(?:[1-9][0-9]{1,3}|[1-5][0-9]{4}|6[0-3][0-9]{3}|64000)m$"
# 6Mi..999999Mi or 1Gi..1024Gi (the engine refuses less than 6 MiB).
MEMORY_PATTERN = r"^(?:(?:[6-9]|[1-9][0-9]{1,5})Mi|(?:[1-9][0-9]{0,2}|10[01][0-9]|102[0-4])Gi)$"
STORAGE_PATTERN = r"^(?:[1-9][0-9]{0,5}Mi|[1-9][0-9]{0,3}Gi|[1-9][0-9]?Ti)$"

ProjectId = Annotated[
    str, Field(pattern=PROJECT_ID_PATTERN, description="A project of the organization (GET /api/projects)")
]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH, pattern=NAME_PATTERN)]
ImageRef = Annotated[
    str,
    Field(min_length=1, max_length=255, pattern=IMAGE_PATTERN, examples=["containerstacks/hello:local"]),
    AfterValidator(not_an_engine_namespace),  # the hosts' per-organization image namespaces are never named
]
EnvValue = Annotated[str, Field(max_length=32768)] | int | float | bool
Environment = Annotated[
    dict[Annotated[str, Field(max_length=256, pattern=ENV_KEY_PATTERN)], EnvValue],
    Field(
        max_length=MAX_ENVIRONMENT_VARIABLES,
        description="At most 32 KiB of names and values in all",
        # pydantic describes the key pattern as patternProperties, which alone admits any other key
        json_schema_extra={"additionalProperties": False},
    ),
]
Cpu = Annotated[
    Annotated[float, Field(ge=0.01, le=64, allow_inf_nan=False)]
    | Annotated[str, Field(pattern=CPU_CORES_PATTERN)]
    | Annotated[str, Field(pattern=CPU_MILLIS_PATTERN)],
    Field(
        description="Cores (0.5 or '0.5', at least 0.01, at most 64) or millicores ('500m')", examples=["0.5"]
    ),
]
Memory = Annotated[
    Annotated[int, Field(ge=6 * 2**20, le=2**40)] | Annotated[str, Field(pattern=MEMORY_PATTERN)],
    Field(description="Bytes (at least 6 MiB) or '512Mi' / '1Gi'", examples=["512Mi"]),
]
Storage = Annotated[
    Annotated[int, Field(ge=1, le=2**50)] | Annotated[str, Field(pattern=STORAGE_PATTERN)],
    Field(description="Requested disk (recorded, not yet enforced), e.g. '1Gi'", examples=["1Gi"]),
]


def _no_default(schema: dict[str, Any]) -> None:
    """Omitted means none (create) or unchanged (update); None is not a value the document offers."""
    schema.pop("default", None)


def _env(values: dict[str, str | int | float | bool]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in values.items():
        if not _ENV_KEY.match(key):  # pragma: no cover - the key pattern already refuses it
            raise ValueError(f"'{key}' is not a valid environment variable name")
        out[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


class ResourcesIn(Strict):
    cpu: Cpu
    memory: Memory
    storage: Storage | None = None

    @field_validator("cpu", mode="before")
    @classmethod
    def _no_bool(cls, v: object) -> object:
        if isinstance(v, bool):
            raise ValueError("must be a number of cores or millicores, not true/false")
        return v

    def to_domain(self, field: str = "resources") -> Resources:
        """Raises ValidationFailed naming the field (the patterns above make that rare)."""
        try:
            return Resources(
                cpu_millis=quantities.parse_cpu_millis(self.cpu),
                memory_bytes=quantities.parse_bytes(self.memory),
                storage_bytes=quantities.parse_bytes(self.storage) if self.storage is not None else None,
            )
        except ValueError as exc:
            raise ValidationFailed(f"{field}: {exc}", details={"field": field}) from exc


class PortIn(Strict):
    container: Annotated[int, Field(ge=1, le=65535)]
    host: Annotated[int, Field(ge=1024, le=65535)] | None = Field(
        default=None, description="Host port; omit to let the host choose one"
    )
    protocol: NetProtocol = "tcp"

    def to_domain(self) -> PortBinding:
        return PortBinding(container=self.container, host=self.host, protocol=self.protocol)


class VolumeIn(Strict):
    name: Name
    path: Annotated[str, Field(min_length=2, max_length=255, pattern=r"^/[^\x00]*[^/\x00]$")]
    read_only: bool = False

    def to_domain(self) -> VolumeMount:
        return VolumeMount(name=self.name, path=self.path, read_only=self.read_only)


Ports = Annotated[list[PortIn], Field(max_length=MAX_PORTS)]
ClusterId = Annotated[str, Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
Volumes = Annotated[list[VolumeIn], Field(max_length=MAX_VOLUMES)]


class ContainerCreateIn(Strict):
    name: Name
    image: ImageRef
    resources: ResourcesIn
    environment: Environment = {}
    ports: Ports = []
    volumes: Volumes = []
    project_id: ProjectId | SkipJsonSchema[None] = Field(
        default=None,
        description="The project to put it in (a member limited to projects must name one)",
        json_schema_extra=_no_default,
    )
    cluster_id: ClusterId | None = Field(
        default=None,
        description="Run on this Kubernetes cluster (GET /api/clusters) instead of a Docker host.",
    )

    def to_domain(self) -> ContainerRequest:
        return ContainerRequest(
            name=self.name,
            image=self.image,
            resources=self.resources.to_domain(),
            environment=_env(self.environment),
            ports=tuple(p.to_domain() for p in self.ports),
            volumes=tuple(v.to_domain() for v in self.volumes),
            project_id=self.project_id,
            cluster_id=self.cluster_id,
        )


class ContainerUpdateIn(Strict):
    name: Name | None = None
    image: ImageRef | None = None
    environment: Environment | None = None
    ports: Ports | None = None
    volumes: Volumes | None = None
    project_id: ProjectId | None = Field(
        default=None,
        description="Move it to this project; null: out of its project; omitted: unchanged",
        json_schema_extra=_no_default,
    )

    def to_domain(self) -> ContainerChanges:
        moved = "project_id" in self.model_fields_set
        return ContainerChanges(
            name=self.name,
            image=self.image,
            environment=_env(self.environment) if self.environment is not None else None,
            ports=tuple(p.to_domain() for p in self.ports) if self.ports is not None else None,
            volumes=tuple(v.to_domain() for v in self.volumes) if self.volumes is not None else None,
            project_id=(self.project_id or NO_PROJECT) if moved else None,
        )


class ScaleIn(Strict):
    replicas: Annotated[int, Field(ge=MIN_REPLICAS, le=MAX_REPLICAS)] | None = None
    resources: ResourcesIn | None = None


class DeleteQuery(Strict):
    purge_volumes: bool = False


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class LogsQuery(Strict):
    tail: Annotated[int, Field(ge=1, le=10000)] = 100
    since: datetime | None = Field(
        default=None,
        description="ISO-8601 time (UTC when no offset is given), or seconds since 1970 (not negative); "
        "a time before 1970 means from the start",
    )

    @field_validator("since", mode="before")
    @classmethod
    def _no_negative_seconds(cls, v: object) -> object:
        numeric = isinstance(v, (int, float)) or (isinstance(v, str) and bool(_SECONDS.match(v.strip())))
        if numeric and float(v) < 0:  # type: ignore[arg-type]
            raise ValueError("seconds since 1970 cannot be negative")
        return v

    @field_validator("since")
    @classmethod
    def _from_the_start(cls, v: datetime | None) -> datetime | None:
        if v is None:
            return None
        aware = v if v.tzinfo else v.replace(tzinfo=UTC)
        return max(aware, EPOCH)


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
    protocol: NetProtocol


class VolumeOut(Out):
    name: str
    path: str
    read_only: bool


class ContainerOut(Out):
    id: str
    name: str
    image: str
    status: ContainerStatus
    status_reason: str | None
    exit_code: int | None
    resources: ResourcesOut
    environment: dict[str, str]
    ports: list[PortOut]
    volumes: list[VolumeOut]
    replicas: int
    project_id: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    image_digest: str | None = Field(
        default=None, description="The image id (sha256:...) the replicas were last created from"
    )
    cluster_id: str | None = Field(description="The Kubernetes cluster it runs on (null: a Docker host).")

    @classmethod
    def of(cls, c: Container) -> ContainerOut:
        return cls(
            id=c.id,
            name=c.name,
            image=c.image,
            status=c.status,
            status_reason=c.status_reason,
            exit_code=c.exit_code,
            resources=ResourcesOut.of(c.resources),
            environment=c.environment,
            ports=[PortOut(container=p.container, host=p.host, protocol=p.protocol) for p in c.ports],
            volumes=[VolumeOut(name=v.name, path=v.path, read_only=v.read_only) for v in c.volumes],
            replicas=c.replicas,
            project_id=c.project_id,
            created_by=c.created_by,
            created_at=c.created_at,
            updated_at=c.updated_at,
            image_digest=c.image_digest,
            cluster_id=c.cluster_id,
        )


class ContainerListOut(Out):
    containers: list[ContainerOut]
    next_cursor: NextCursor
