"""Containers: the record, what a user may ask for, and the rules every request must satisfy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from chalicelib.domain.hosts.engine import ContainerStats, LogLine, PortBinding, VolumeMount
from chalicelib.domain.hosts.entities import Allocation
from chalicelib.domain.images.entities import check_reference
from chalicelib.domain.shared.errors import ValidationFailed

ContainerStatus = Literal["provisioning", "running", "stopped", "exited", "error"]
PROVISIONING: ContainerStatus = "provisioning"
RUNNING: ContainerStatus = "running"
STOPPED: ContainerStatus = "stopped"
EXITED: ContainerStatus = "exited"
ERROR: ContainerStatus = "error"

MIN_REPLICAS = 1
MAX_REPLICAS = 20
MIN_CPU_MILLIS = 10  # the engine refuses less than 0.01 CPUs
MAX_CPU_MILLIS = 64_000
MIN_MEMORY_BYTES = 6 * 2**20  # the engine refuses less than 6 MiB
MAX_MEMORY_BYTES = 2**40
MAX_ENVIRONMENT_VARIABLES = 200
MAX_ENVIRONMENT_BYTES = 32 * 1024  # names + values, all variables together (docs/data-model.md §7)
MAX_PORTS = 50
MAX_VOLUMES = 20
NAME_PATTERN = r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$"
MAX_NAME_LENGTH = 63
NO_PROJECT = ""  # ContainerChanges.project_id: take the container out of its project


@dataclass(frozen=True)
class Resources:
    cpu_millis: int
    memory_bytes: int
    storage_bytes: int | None = None

    def per_replica(self) -> Allocation:
        return Allocation(self.cpu_millis, self.memory_bytes)


@dataclass(frozen=True)
class ContainerRequest:
    """A validated create request (the seed's body)."""

    name: str
    image: str
    resources: Resources
    environment: dict[str, str] = field(default_factory=dict)
    ports: tuple[PortBinding, ...] = ()
    volumes: tuple[VolumeMount, ...] = ()
    project_id: str | None = None
    cluster_id: str | None = None  # a Kubernetes cluster instead of a Docker host


@dataclass(frozen=True)
class ContainerChanges:
    """A validated PUT: only the fields the user sent (`project_id` NO_PROJECT: out of its project)."""

    name: str | None = None
    image: str | None = None
    environment: dict[str, str] | None = None
    ports: tuple[PortBinding, ...] | None = None
    volumes: tuple[VolumeMount, ...] | None = None
    project_id: str | None = None


@dataclass(frozen=True)
class Deployment:
    """What ran before a redeploy or replica change: kept on the record until the new version runs, and
    restored on the record when the change fails (the engine still runs it)."""

    image: str
    environment: dict[str, str]
    ports: tuple[PortBinding, ...]
    volumes: tuple[VolumeMount, ...]
    replicas: int
    status: ContainerStatus
    exit_code: int | None = None


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
    status: ContainerStatus
    status_reason: str | None
    exit_code: int | None
    host_id: str | None
    engine_ids: tuple[str, ...]
    generation: int  # the deployed configuration: bumped by redeploys and replica changes
    version: int  # every write: bumped by each change, the condition of the next one
    created_by: str
    created_at: datetime
    updated_at: datetime
    # False only after provisioning failed with nothing left on the engine: the claim was given back, and
    # the next redeploy claims again (so a delete never releases twice).
    holds_capacity: bool = True
    previous: Deployment | None = None  # set while a change is rolling out over a deployed version
    project_id: str | None = None  # the organization's project it belongs to (teams), if any
    image_digest: str | None = None  # the image id its replicas were last created from (images/supply.py)
    cluster_id: str | None = None  # runs on this Kubernetes cluster (then host_id is None)

    def footprint(self) -> Allocation:
        """What the container needs on its host: per-replica resources times replicas."""
        return self.resources.per_replica().times(self.replicas)

    def held(self) -> Allocation:
        """What the record has claimed on its host. While a change rolls out it holds the larger of the old
        and new replica counts; the difference is given back when the change settles either way."""
        if not self.holds_capacity or self.cluster_id:  # a cluster's scheduler places its pods
            return Allocation(0, 0)
        replicas = max(self.replicas, self.previous.replicas) if self.previous else self.replicas
        return self.resources.per_replica().times(replicas)

    def deployment(self) -> Deployment:
        """The configuration the engine runs (or last ran) for this record."""
        return Deployment(
            image=self.image,
            environment=dict(self.environment),
            ports=self.ports,
            volumes=self.volumes,
            replicas=self.replicas,
            status=self.status,
            exit_code=self.exit_code,
        )


@dataclass(frozen=True)
class ReplicaLog:
    replica: int
    line: LogLine


@dataclass(frozen=True)
class ContainerMetrics:
    total: ContainerStats
    replicas: list[tuple[int, ContainerStats]]

    @classmethod
    def of(cls, samples: list[tuple[int, ContainerStats]]) -> ContainerMetrics:
        """Every replica's sample and their sum."""
        total = ContainerStats(
            cpu_percent=round(sum(s.cpu_percent for _, s in samples), 2),
            memory_used_bytes=sum(s.memory_used_bytes for _, s in samples),
            memory_limit_bytes=sum(s.memory_limit_bytes for _, s in samples),
            network_rx_bytes=sum(s.network_rx_bytes for _, s in samples),
            network_tx_bytes=sum(s.network_tx_bytes for _, s in samples),
            block_read_bytes=sum(s.block_read_bytes for _, s in samples),
            block_write_bytes=sum(s.block_write_bytes for _, s in samples),
            pids=sum(s.pids for _, s in samples),
        )
        return cls(total=total, replicas=samples)


def summed(samples: list[ContainerStats]) -> ContainerStats:
    """The replicas' stats added up (CPU percent rounded to two places)."""
    return ContainerStats(
        cpu_percent=round(sum(s.cpu_percent for s in samples), 2),
        memory_used_bytes=sum(s.memory_used_bytes for s in samples),
        memory_limit_bytes=sum(s.memory_limit_bytes for s in samples),
        network_rx_bytes=sum(s.network_rx_bytes for s in samples),
        network_tx_bytes=sum(s.network_tx_bytes for s in samples),
        block_read_bytes=sum(s.block_read_bytes for s in samples),
        block_write_bytes=sum(s.block_write_bytes for s in samples),
        pids=sum(s.pids for s in samples),
    )


def check_resources(resources: Resources, field_name: str = "resources") -> None:
    """Raises ValidationFailed naming the field when CPU or memory is outside what the engine accepts."""
    if not MIN_CPU_MILLIS <= resources.cpu_millis <= MAX_CPU_MILLIS:
        raise ValidationFailed(
            f"cpu must be between {MIN_CPU_MILLIS}m (0.01 cores) and {MAX_CPU_MILLIS // 1000} cores.",
            details={"field": f"{field_name}.cpu"},
        )
    if not MIN_MEMORY_BYTES <= resources.memory_bytes <= MAX_MEMORY_BYTES:
        raise ValidationFailed(
            "memory must be at least 6Mi (the engine refuses less) and at most 1Ti.",
            details={"field": f"{field_name}.memory"},
        )


def check_replicas(replicas: int) -> None:
    if not MIN_REPLICAS <= replicas <= MAX_REPLICAS:
        raise ValidationFailed(
            f"replicas must be between {MIN_REPLICAS} and {MAX_REPLICAS}.", details={"field": "replicas"}
        )


def check_environment(environment: dict[str, str]) -> None:
    """Bounded: at most MAX_ENVIRONMENT_VARIABLES and MAX_ENVIRONMENT_BYTES in all."""
    if len(environment) > MAX_ENVIRONMENT_VARIABLES:
        raise ValidationFailed(
            f"environment may have at most {MAX_ENVIRONMENT_VARIABLES} variables.",
            details={"field": "environment"},
        )
    size = sum(len(k.encode()) + len(v.encode()) for k, v in environment.items())
    if size > MAX_ENVIRONMENT_BYTES:
        raise ValidationFailed(
            f"environment is {size} bytes; at most {MAX_ENVIRONMENT_BYTES // 1024} KiB in all is allowed.",
            details={"field": "environment"},
        )


def check_ports(ports: tuple[PortBinding, ...], replicas: int) -> None:
    if replicas > 1 and any(p.host is not None for p in ports):
        raise ValidationFailed(
            "A fixed host port can only be used with one replica; remove 'host' from the ports to scale out.",
            details={"field": "replicas"},
        )
    seen: set[tuple[int, str]] = set()
    for p in ports:
        if p.host is not None:
            if (p.host, p.protocol) in seen:
                raise ValidationFailed(f"Host port {p.host} is listed twice.", details={"field": "ports"})
            seen.add((p.host, p.protocol))


def check_volumes(volumes: tuple[VolumeMount, ...]) -> None:
    names: set[str] = set()
    paths: set[str] = set()
    for v in volumes:
        if v.name in names:
            raise ValidationFailed(f"Volume {v.name!r} is mounted twice.", details={"field": "volumes"})
        if v.path in paths:
            raise ValidationFailed(f"Two volumes are mounted at {v.path}.", details={"field": "volumes"})
        names.add(v.name)
        paths.add(v.path)


def check_request(req: ContainerRequest) -> None:
    """Every rule a new container must satisfy (raises ValidationFailed naming the field)."""
    check_reference(req.image)  # never another organization's images on the hosts
    check_resources(req.resources)
    check_environment(req.environment)
    check_ports(req.ports, 1)
    check_volumes(req.volumes)
