"""Containers: placement, lifecycle on the engine, logs and metrics, for one organization at a time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain.containers.entities import (
    ERROR,
    PROVISIONING,
    RUNNING,
    STOPPED,
    Container,
    ContainerChanges,
    ContainerRequest,
    ContainerStatus,
    Resources,
    check_environment,
    check_ports,
    check_replicas,
    check_request,
    check_resources,
    check_volumes,
)
from chalicelib.domain.containers.naming import (
    LABEL_CONTAINER,
    PROVISION_CONTAINER,
    config_hash,
    execution_name,
    volume_name,
)
from chalicelib.domain.containers.networks import ensure_org_network, release_org_network
from chalicelib.domain.containers.ports import Containers
from chalicelib.domain.hosts.engine import ContainerEngine, ContainerStats, LogLine
from chalicelib.domain.hosts.entities import Host
from chalicelib.domain.hosts.ports import CapacityExhausted, Hosts
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, EngineContainerMissing, NoCapacity
from chalicelib.domain.shared.ids import new_ulid
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.shared.workflows import Workflows

log = logging.getLogger(__name__)

EngineFor = Callable[[Host], ContainerEngine]


@dataclass(frozen=True)
class ReplicaLog:
    replica: int
    line: LogLine


@dataclass(frozen=True)
class ContainerMetrics:
    total: ContainerStats
    replicas: list[tuple[int, ContainerStats]]


class ContainerService:
    """Container lifecycle for the caller's organization.

    Raises NotFound, Conflict, NoCapacity, ValidationFailed, ServiceUnavailable and engine errors.
    """

    def __init__(
        self,
        containers: Containers,
        hosts: Hosts,
        engine_for: EngineFor,
        workflows: Workflows,
        *,
        clock: Clock = utcnow,
    ) -> None:
        self._containers = containers
        self._hosts = hosts
        self._engine_for = engine_for
        self._workflows = workflows
        self._clock = clock

    # ------------------------------------------------------------ reads
    def page(self, p: Principal, limit: int, cursor: str | None) -> Page[Container]:
        return self._containers.page(p.organization_id, limit, cursor)

    def get(self, p: Principal, container_id: str) -> Container:
        return self._containers.get(p.organization_id, container_id)

    # ------------------------------------------------------------ create / update / scale / delete
    def create(self, p: Principal, req: ContainerRequest) -> Container:
        """Place the container on the host with the most free capacity and start provisioning (async)."""
        check_request(req)
        now = self._clock()
        draft = Container(
            id=new_ulid(),
            organization_id=p.organization_id,
            name=req.name,
            image=req.image,
            resources=req.resources,
            environment=dict(req.environment),
            ports=req.ports,
            volumes=req.volumes,
            replicas=1,
            status=PROVISIONING,
            status_reason=None,
            exit_code=None,
            host_id=None,
            engine_ids=(),
            generation=1,
            version=1,
            created_by=p.user_id,
            created_at=now,
            updated_at=now,
        )
        container = self._place(draft)
        self._start_workflow(container)
        return container

    def update(self, p: Principal, container_id: str, changes: ContainerChanges) -> Container:
        """Rename in place; image/environment/ports/volumes changes redeploy through the workflow."""
        current = self._containers.get(p.organization_id, container_id, consistent=True)
        updated = replace(
            current,
            name=changes.name if changes.name is not None else current.name,
            image=changes.image if changes.image is not None else current.image,
            environment=changes.environment if changes.environment is not None else current.environment,
            ports=changes.ports if changes.ports is not None else current.ports,
            volumes=changes.volumes if changes.volumes is not None else current.volumes,
            updated_at=self._clock(),
        )
        redeploy = config_hash(updated) != config_hash(current)
        if redeploy:
            check_environment(updated.environment)
            check_ports(updated.ports, updated.replicas)
            check_volumes(updated.volumes)
            self._require_settled(current)
            updated = replace(
                updated,
                generation=current.generation + 1,
                status=PROVISIONING,
                status_reason=None,
                exit_code=None,
            )
        updated = replace(updated, version=current.version + 1)
        self._containers.save(
            updated,
            expected_version=current.version,
            previous_name=current.name if updated.name != current.name else None,
        )
        if redeploy:
            self._start_workflow(updated)
        return updated

    def scale(
        self, p: Principal, container_id: str, replicas: int | None, resources: Resources | None
    ) -> Container:
        """New resources apply in place on the engine; a new replica count redeploys through the workflow."""
        current = self._containers.get(p.organization_id, container_id, consistent=True)
        self._require_settled(current)
        new_replicas = replicas if replicas is not None else current.replicas
        check_replicas(new_replicas)
        check_ports(current.ports, new_replicas)
        new_resources = resources or current.resources
        check_resources(new_resources)
        if new_resources.storage_bytes is None:
            new_resources = replace(new_resources, storage_bytes=current.resources.storage_bytes)
        replicas_changed = new_replicas != current.replicas
        updated = replace(
            current,
            replicas=new_replicas,
            resources=new_resources,
            updated_at=self._clock(),
            generation=current.generation + 1 if replicas_changed else current.generation,
            version=current.version + 1,
            status=PROVISIONING if replicas_changed else current.status,
        )
        if current.host_id is None:
            raise Conflict("The container is not placed on a host.")
        host = self._hosts.get(current.host_id)
        delta = updated.footprint() - current.footprint()
        try:
            self._containers.resize_on_host(current, updated, delta, host.claim_limit(delta))
        except CapacityExhausted as exc:
            raise NoCapacity(
                "The container's host has no room for that much CPU/memory; choose less.",
                details={"field": "resources"},
            ) from exc
        if resources is not None and current.engine_ids:
            engine = self._engine_for(host)
            for engine_id in current.engine_ids:
                engine.update_resources(
                    engine_id, new_resources.cpu_millis / 1000, new_resources.memory_bytes
                )
        if replicas_changed:
            self._start_workflow(updated)
        return updated

    def delete(self, p: Principal, container_id: str, purge_volumes: bool) -> None:
        """Remove the engine containers (and volumes when asked), then the record and its allocation."""
        container = self._containers.get(p.organization_id, container_id, consistent=True)
        if container.host_id:
            engine = self._engine_for(self._hosts.get(container.host_id))
            for found in engine.list_managed({LABEL_CONTAINER: container.id}):
                engine.remove(found.id)
            if purge_volumes:
                for volume in container.volumes:
                    engine.remove_volume(volume_name(container.organization_id, volume.name))
            release_org_network(engine, container.organization_id)
        self._containers.delete_and_release(container)

    # ------------------------------------------------------------ start / stop / restart
    def start(self, p: Principal, container_id: str) -> Container:
        return self._act(p, container_id, "start", RUNNING)

    def stop(self, p: Principal, container_id: str) -> Container:
        return self._act(p, container_id, "stop", STOPPED)

    def restart(self, p: Principal, container_id: str) -> Container:
        return self._act(p, container_id, "restart", RUNNING)

    def _act(self, p: Principal, container_id: str, action: str, status: ContainerStatus) -> Container:
        container = self._containers.get(p.organization_id, container_id, consistent=True)
        self._require_settled(container)
        if not container.engine_ids or container.host_id is None:
            raise Conflict(
                "The container has nothing running on a host; update it to deploy it again.",
                details={"status": container.status},
            )
        engine = self._engine_for(self._hosts.get(container.host_id))
        try:
            if action != "stop":  # in case its network went (by hand, or a race): it cannot start without
                ensure_org_network(engine, container.organization_id)
            for engine_id in container.engine_ids:
                getattr(engine, action)(engine_id)
        except EngineContainerMissing as exc:
            gone = "The container disappeared from its host; update it to deploy it again."
            self._save_quietly(
                replace(
                    container,
                    status=ERROR,
                    status_reason=gone,
                    engine_ids=(),
                    version=container.version + 1,
                    updated_at=self._clock(),
                )
            )
            raise Conflict(gone) from exc
        updated = replace(
            container,
            status=status,
            status_reason=None,
            exit_code=None,
            version=container.version + 1,
            updated_at=self._clock(),
        )
        self._containers.save(updated, expected_version=container.version)
        return updated

    # ------------------------------------------------------------ logs and metrics
    def logs(self, p: Principal, container_id: str, tail: int, since: datetime | None) -> list[ReplicaLog]:
        container = self._containers.get(p.organization_id, container_id)
        engine = self._engine_of(container)
        lines = [
            ReplicaLog(replica, line)
            for replica, engine_id in enumerate(container.engine_ids)
            for line in engine.logs(engine_id, tail, since)
        ]
        lines.sort(key=lambda r: r.line.timestamp)
        return lines[-tail:] if tail else lines

    def metrics(self, p: Principal, container_id: str) -> ContainerMetrics:
        container = self._containers.get(p.organization_id, container_id)
        engine = self._engine_of(container)
        samples = list(enumerate(engine.stats_many(container.engine_ids)))
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
        return ContainerMetrics(total=total, replicas=samples)

    # ------------------------------------------------------------ helpers
    def _place(self, draft: Container) -> Container:
        claim = draft.footprint()
        candidates = sorted(
            (h for h in self._hosts.list_all() if h.accepts(claim)), key=lambda h: h.room(), reverse=True
        )
        for host in candidates:
            placed = replace(draft, host_id=host.id)
            try:
                self._containers.create_on_host(placed, claim, host.claim_limit(claim))
            except CapacityExhausted:
                continue
            return placed
        raise NoCapacity(
            "No container host has room for this much CPU and memory right now; request less or try later.",
            details={"field": "resources"},
        )

    def _start_workflow(self, c: Container) -> None:
        try:
            self._workflows.start(
                PROVISION_CONTAINER,
                execution_name(c),
                {"organization_id": c.organization_id, "container_id": c.id, "generation": c.generation},
            )
        except Exception:
            # Nothing is left half-done: the record says why, and an update or delete recovers it.
            self._save_quietly(
                replace(
                    c,
                    status=ERROR,
                    status_reason="Provisioning could not be started; try again.",
                    version=c.version + 1,
                )
            )
            raise

    def _engine_of(self, c: Container) -> ContainerEngine:
        if not c.engine_ids or c.host_id is None:
            raise Conflict("The container has nothing running on a host yet.", details={"status": c.status})
        return self._engine_for(self._hosts.get(c.host_id))

    def _save_quietly(self, c: Container) -> None:
        """Save `c` (already at its next version) unless the record changed meanwhile."""
        try:
            self._containers.save(c, expected_version=c.version - 1)
        except Conflict:
            log.info("container %s changed meanwhile; newer run wins", c.id)

    @staticmethod
    def _require_settled(c: Container) -> None:
        if c.status == PROVISIONING:
            raise Conflict(
                "The container is still being provisioned; wait until it is running.",
                details={"status": c.status},
            )
