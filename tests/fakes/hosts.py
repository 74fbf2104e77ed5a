"""In-memory fakes of the host registry (contract-tested with HostRepository) and of a Docker Engine."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from chalicelib.domain.hosts.engine import ContainerSpec, ContainerStats, EngineContainer, EngineInfo, LogLine
from chalicelib.domain.hosts.entities import Allocation, Host, HostStatus
from chalicelib.domain.hosts.ports import CapacityExhausted
from chalicelib.domain.shared.clock import utcnow
from chalicelib.domain.shared.errors import (
    Conflict,
    EngineContainerMissing,
    EngineError,
    EngineUnavailable,
    ImageNotFound,
    NotFound,
    PortInUse,
)


class FakeHosts:
    def __init__(self, *hosts: Host) -> None:
        self.hosts = {h.id: h for h in hosts}
        self.tls: dict[str, dict[str, str]] = {}

    def list_all(self) -> list[Host]:
        return list(self.hosts.values())

    def get(self, host_id: str) -> Host:
        if host_id not in self.hosts:
            raise NotFound(f"Host {host_id} was not found.")
        return self.hosts[host_id]

    def get_tls(self, host_id: str) -> dict[str, str] | None:
        self.get(host_id)
        return self.tls.get(host_id)

    def add(self, host: Host, tls: dict[str, str] | None) -> None:
        self.hosts[host.id] = replace(host, has_tls=tls is not None)  # the store derives it from `tls`
        if tls is not None:
            self.tls[host.id] = tls

    def set_status(self, host_id: str, status: HostStatus, now: datetime) -> Host:
        self.hosts[host_id] = replace(self.get(host_id), status=status)
        return self.hosts[host_id]

    def remove(self, host_id: str) -> None:
        host = self.get(host_id)
        if host.allocated.cpu_millis or host.allocated.memory_bytes:
            raise Conflict("The host still has containers; drain it and move or delete them first.")
        del self.hosts[host_id]

    def move(self, host_id: str, delta: Allocation, limit: Allocation) -> None:
        """What the store's conditional update does: grow only while active and under `limit`."""
        host = self.hosts.get(host_id)
        if host is None:
            raise CapacityExhausted(host_id)
        if delta.grows() and (host.status != "active" or not host.allocated.fits_within(limit)):
            raise CapacityExhausted(host_id)
        self.hosts[host_id] = replace(host, allocated=host.allocated + delta)


class FakeEngine:
    """A Docker Engine in memory: enough to test placement, convergence and reconciliation."""

    def __init__(self, images: tuple[str, ...] = ("web:1",), clock: Callable[[], datetime] = utcnow) -> None:
        self.images = set(images)
        self.containers: dict[str, EngineContainer] = {}
        self.specs: dict[str, ContainerSpec] = {}
        self._ids = itertools.count(1)
        self.calls: list[str] = []
        self.networks: dict[str, dict[str, str]] = {}  # name -> labels
        self.clock = clock
        self.refuse_names: set[str] = set()  # engine names whose create is refused (a full engine)

    def info(self) -> EngineInfo:
        return EngineInfo(cpus=4, memory_bytes=8 * 2**30, server_version="fake")

    def create_and_start(self, spec: ContainerSpec) -> EngineContainer:
        self.calls.append(f"create {spec.name}")
        if spec.image not in self.images:
            raise ImageNotFound(f"Image '{spec.image}' was not found on the host.")
        if spec.network is not None and spec.network not in self.networks:
            raise EngineUnavailable(f"network {spec.network} not found")  # as the Docker adapter says it
        if spec.name in self.refuse_names or self.find(spec.name) is not None:
            raise EngineError(f"Conflict. The container name {spec.name!r} is already in use by {'f' * 64}.")
        for port in spec.ports:
            if port.host is not None and any(
                c.status == "running"
                and any((p.host, p.protocol) == (port.host, port.protocol) for p in c.ports)
                for c in self.containers.values()
            ):
                raise PortInUse(f"Host port {port.host} is already in use.", details={"port": port.host})
        engine_id = f"{next(self._ids):064x}"
        self.specs[engine_id] = spec
        self.containers[engine_id] = EngineContainer(
            id=engine_id,
            name=spec.name,
            status="running",
            exit_code=None,
            error=None,
            labels=dict(spec.labels),
            ports=tuple(spec.ports),
            cpu=spec.cpu,
            memory_bytes=spec.memory_bytes,
            created_at=self.clock(),
        )
        return self.containers[engine_id]

    def find(self, id_or_name: str) -> EngineContainer | None:
        return next((c for c in self.containers.values() if id_or_name in (c.id, c.name)), None)

    def list_managed(self, labels: Mapping[str, str]) -> list[EngineContainer]:
        return [c for c in self.containers.values() if all(c.labels.get(k) == v for k, v in labels.items())]

    def _set(self, id_or_name: str, status: str, exit_code: int | None = None) -> None:
        found = self.find(id_or_name)
        if found is None:
            raise EngineContainerMissing(id_or_name)
        self.containers[found.id] = replace(found, status=status, exit_code=exit_code)

    def start(self, id_or_name: str) -> None:
        self.calls.append(f"start {id_or_name}")
        self._set(id_or_name, "running")

    def stop(self, id_or_name: str, timeout: int = 10) -> None:
        self.calls.append(f"stop {id_or_name}")
        self._set(id_or_name, "exited", 0)

    def restart(self, id_or_name: str, timeout: int = 10) -> None:
        self.calls.append(f"restart {id_or_name}")
        self._set(id_or_name, "running")

    def die(self, id_or_name: str, exit_code: int, oom_killed: bool = False) -> None:
        self._set(id_or_name, "exited", exit_code)
        found = self.find(id_or_name)
        assert found is not None
        self.containers[found.id] = replace(found, oom_killed=oom_killed)

    def remove(self, id_or_name: str) -> None:
        self.calls.append(f"remove {id_or_name}")
        found = self.find(id_or_name)
        if found is not None:
            del self.containers[found.id]

    def update_resources(self, id_or_name: str, cpu: float, memory_bytes: int) -> None:
        found = self.find(id_or_name)
        if found is None:
            raise EngineContainerMissing(id_or_name)
        self.containers[found.id] = replace(found, cpu=cpu, memory_bytes=memory_bytes)

    def logs(self, id_or_name: str, tail: int, since: datetime | None) -> list[LogLine]:
        if self.find(id_or_name) is None:
            raise EngineContainerMissing(f"The engine has no container {id_or_name!r}.")
        return [LogLine(datetime(2026, 1, 1, tzinfo=UTC), "stdout", f"hello from {id_or_name}")]

    def stats(self, id_or_name: str) -> ContainerStats:
        found = self.find(id_or_name)
        limit = found.memory_bytes or 0 if found else 0
        return ContainerStats(1.5, 1024, limit, 10, 20, 0, 0, 1)

    def stats_many(self, ids_or_names: Sequence[str]) -> list[ContainerStats]:
        return [self.stats(i) for i in ids_or_names]

    def remove_volume(self, name: str) -> None:
        self.calls.append(f"remove-volume {name}")

    def ensure_network(self, name: str, labels: Mapping[str, str]) -> None:
        if name not in self.networks:
            self.calls.append(f"create-network {name}")
            self.networks[name] = dict(labels)

    def remove_network(self, name: str) -> None:
        """Like the engine: only running containers keep a network in use."""
        attached = [
            c for c in self.containers.values() if self.specs[c.id].network == name and c.status == "running"
        ]
        if name in self.networks and not attached:
            self.calls.append(f"remove-network {name}")
            del self.networks[name]


def host(host_id: str = "h1", cpus: int = 4, memory_gib: int = 8, status: HostStatus = "active") -> Host:
    return Host(
        id=host_id,
        name=host_id,
        url="unix:///fake.sock",
        status=status,
        capacity=Allocation(cpus * 1000, memory_gib * 2**30),
        allocated=Allocation(0, 0),
        has_tls=False,
        is_default=False,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
