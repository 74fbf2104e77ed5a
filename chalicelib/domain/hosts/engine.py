"""The engine port: what the platform needs from one Docker Engine endpoint. Adapters implement it.

Only plain dataclasses and Protocols live here, so that `import app` stays cheap and tests can
implement the same shapes with type-checked fakes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from chalicelib.domain.hosts.entities import TlsMaterial

NetProtocol = Literal["tcp", "udp"]
LogStream = Literal["stdout", "stderr"]


@dataclass(frozen=True)
class PortBinding:
    container: int
    host: int | None = None  # None: let the engine choose a free host port
    protocol: NetProtocol = "tcp"


@dataclass(frozen=True)
class VolumeMount:
    name: str  # engine named volume
    path: str  # absolute mount path inside the container
    read_only: bool = False


@dataclass(frozen=True)
class ContainerSpec:
    """Everything needed to create one engine container."""

    name: str  # engine container name (unique on the host)
    image: str
    cpu: float  # cores, e.g. 0.5
    memory_bytes: int
    environment: Mapping[str, str] = field(default_factory=dict)
    ports: Sequence[PortBinding] = ()
    volumes: Sequence[VolumeMount] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    publish_ip: str = "127.0.0.1"  # host address that published ports bind to
    # The network the container joins (ensure_network it first), as its only one; None: the engine's
    # default bridge. Other containers on that network reach this one by `network_alias` too.
    network: str | None = None
    network_alias: str | None = None


@dataclass(frozen=True)
class EngineContainer:
    """What the engine says about one container."""

    id: str
    name: str
    status: str  # engine state: created, running, paused, restarting, removing, exited, dead
    exit_code: int | None
    error: str | None
    labels: Mapping[str, str]
    ports: Sequence[PortBinding]  # actual host bindings (host port filled in)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    cpu: float | None = None
    memory_bytes: int | None = None
    oom_killed: bool = False  # the kernel killed a process of it for going over its memory limit
    created_at: datetime | None = None  # when the engine created it (None: the engine did not say)


@dataclass(frozen=True)
class ContainerStats:
    cpu_percent: float
    memory_used_bytes: int
    memory_limit_bytes: int
    network_rx_bytes: int
    network_tx_bytes: int
    block_read_bytes: int
    block_write_bytes: int
    pids: int


@dataclass(frozen=True)
class LogLine:
    timestamp: datetime
    stream: LogStream
    message: str


@dataclass(frozen=True)
class EngineInfo:
    cpus: int
    memory_bytes: int
    server_version: str


class ContainerEngine(Protocol):
    """One Docker Engine endpoint.

    Every method raises EngineUnavailable when the engine does not answer (transient),
    EngineContainerMissing for an unknown container, EngineError for other refusals.
    """

    def info(self) -> EngineInfo:
        """Capacity and version of the host."""
        ...

    def create_and_start(self, spec: ContainerSpec) -> EngineContainer:
        """Create and start a container. Raises ImageNotFound, PortInUse.

        Leaves nothing behind on failure: a container that was created but could not
        start is removed before the error is raised.
        """
        ...

    def find(self, id_or_name: str) -> EngineContainer | None:
        """The container, or None when the engine has none by that id/name."""
        ...

    def list_managed(self, labels: Mapping[str, str]) -> list[EngineContainer]:
        """All containers (running or not) carrying every one of `labels`."""
        ...

    def start(self, id_or_name: str) -> None: ...

    def stop(self, id_or_name: str, timeout: int = 10) -> None: ...

    def restart(self, id_or_name: str, timeout: int = 10) -> None: ...

    def remove(self, id_or_name: str) -> None:
        """Force-remove; no error when it is already gone."""
        ...

    def update_resources(self, id_or_name: str, cpu: float, memory_bytes: int) -> None:
        """Apply new CPU/memory limits to a live container in place."""
        ...

    def logs(self, id_or_name: str, tail: int, since: datetime | None) -> list[LogLine]:
        """The last `tail` lines (after `since` when given), oldest first."""
        ...

    def stats(self, id_or_name: str) -> ContainerStats:
        """One current sample (CPU % computed from the engine's pre/cur counters)."""
        ...

    def stats_many(self, ids_or_names: Sequence[str]) -> list[ContainerStats]:
        """stats() of each container, in the same order, read concurrently (as long as one read)."""
        ...

    def ensure_network(self, name: str, labels: Mapping[str, str]) -> None:
        """Create the bridge network `name` unless it exists; safe when several callers race to create it."""
        ...

    def remove_network(self, name: str) -> None:
        """Remove the network; no error when it is already gone or still in use (it then stays).

        A stopped container does not keep a network in use: check for those before removing.
        """
        ...

    def remove_volume(self, name: str) -> None:
        """Remove a named volume; no error when it is already gone."""
        ...


class EngineConnector(Protocol):
    """Builds a ContainerEngine for an endpoint URL (unix://… or tcp://…)."""

    def __call__(self, url: str, tls: TlsMaterial | None) -> ContainerEngine: ...
