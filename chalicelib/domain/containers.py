"""Containers: placement, lifecycle on the engine, the provisioning workflow's steps, reconciliation."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from chalicelib.domain.accounts import Clock, utcnow
from chalicelib.domain.entities import (
    Container,
    ContainerChanges,
    ContainerRequest,
    Host,
    Page,
    Principal,
    Resources,
)
from chalicelib.domain.errors import (
    Conflict,
    EngineContainerMissing,
    NoCapacity,
    NotFound,
    ServiceUnavailable,
    ValidationFailed,
)
from chalicelib.domain.ids import new_ulid
from chalicelib.domain.ports import (
    ContainerEngine,
    ContainerSpec,
    ContainerStats,
    EngineContainer,
    LogLine,
    VolumeMount,
    Workflows,
)
from chalicelib.domain.repositories import CapacityExhausted, Containers, Hosts

log = logging.getLogger(__name__)

PROVISIONING, RUNNING, STOPPED, EXITED, ERROR = "provisioning", "running", "stopped", "exited", "error"
MAX_REPLICAS = 20
PROVISIONING_TIMEOUT = timedelta(minutes=15)  # the state machine retries for well under a minute
LABEL_MANAGED = "cs.managed-by"
LABEL_ORG = "cs.organization"
LABEL_CONTAINER = "cs.container"
LABEL_REPLICA = "cs.replica"
LABEL_CONFIG = "cs.config"
LABEL_HOST = "cs.host"

EngineFor = Callable[[Host], ContainerEngine]


@dataclass(frozen=True)
class ReplicaLog:
    replica: int
    line: LogLine


@dataclass(frozen=True)
class ContainerMetrics:
    total: ContainerStats
    replicas: list[tuple[int, ContainerStats]]


def engine_name(container_id: str, replica: int) -> str:
    return f"cs-{container_id}-{replica}"


def volume_name(org_id: str, name: str) -> str:
    """Engine volume names are per organization, so two tenants never share a volume."""
    return f"cs-{org_id}-{name}"


def config_hash(c: Container) -> str:
    """What requires re-creating engine containers when it changes (not CPU/memory: those apply in place)."""
    doc = {
        "image": c.image,
        "env": c.environment,
        "ports": [[p.container, p.host, p.protocol] for p in c.ports],
        "volumes": [[v.name, v.path, v.read_only] for v in c.volumes],
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:16]


def _check_ports(c: Container | ContainerRequest, replicas: int) -> None:
    if replicas > 1 and any(p.host is not None for p in c.ports):
        raise ValidationFailed(
            "A fixed host port can only be used with one replica; remove 'host' from the ports to scale out.",
            details={"field": "replicas"},
        )
    seen: set[tuple[int, str]] = set()
    for p in c.ports:
        if p.host is not None:
            if (p.host, p.protocol) in seen:
                raise ValidationFailed(f"Host port {p.host} is listed twice.", details={"field": "ports"})
            seen.add((p.host, p.protocol))


class ContainerService:
    """Container lifecycle for one organization at a time.

    Raises NotFound, Conflict, NoCapacity, ValidationFailed, ServiceUnavailable and engine errors.
    """

    def __init__(
        self,
        containers: Containers,
        hosts: Hosts,
        engine_for: EngineFor,
        workflows: Workflows,
        *,
        publish_ip: str,
        clock: Clock = utcnow,
    ) -> None:
        self._containers = containers
        self._hosts = hosts
        self._engine_for = engine_for
        self._workflows = workflows
        self._publish_ip = publish_ip
        self._clock = clock

    # ------------------------------------------------------------ reads
    def page(self, p: Principal, limit: int, cursor: str | None) -> Page[Container]:
        return self._containers.page(p.organization_id, limit, cursor)

    def get(self, p: Principal, container_id: str) -> Container:
        return self._containers.get(p.organization_id, container_id)

    # ------------------------------------------------------------ create / update / scale / delete
    def create(self, p: Principal, req: ContainerRequest) -> Container:
        """Place the container on the host with the most free capacity and start provisioning (async)."""
        _check_ports(req, 1)
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
            _check_ports(updated, updated.replicas)
            self._require_settled(current)
            updated = replace(
                updated,
                generation=current.generation + 1,
                status=PROVISIONING,
                status_reason=None,
                exit_code=None,
            )
        self._containers.save(updated, expected_generation=current.generation)
        if redeploy:
            self._start_workflow(updated)
        return updated

    def scale(
        self, p: Principal, container_id: str, replicas: int | None, resources: Resources | None
    ) -> Container:
        """New resources apply in place on the engine; a new replica count redeploys through the workflow."""
        current = self._containers.get(p.organization_id, container_id, consistent=True)
        self._require_settled(current)
        if replicas is not None and not 1 <= replicas <= MAX_REPLICAS:
            raise ValidationFailed(
                f"replicas must be between 1 and {MAX_REPLICAS}.", details={"field": "replicas"}
            )
        new_replicas = replicas if replicas is not None else current.replicas
        _check_ports(current, new_replicas)
        new_resources = resources or current.resources
        if new_resources.storage_bytes is None:
            new_resources = replace(new_resources, storage_bytes=current.resources.storage_bytes)
        replicas_changed = new_replicas != current.replicas
        updated = replace(
            current,
            replicas=new_replicas,
            resources=new_resources,
            updated_at=self._clock(),
            generation=current.generation + 1,
            status=PROVISIONING if replicas_changed else current.status,
        )
        if current.host_id is None:
            raise Conflict("The container is not placed on a host.")
        host = self._hosts.get(current.host_id)
        try:
            self._containers.resize_on_host(current, updated, host)
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
        self._containers.delete_and_release(container)

    # ------------------------------------------------------------ start / stop / restart
    def start(self, p: Principal, container_id: str) -> Container:
        return self._act(p, container_id, "start", RUNNING)

    def stop(self, p: Principal, container_id: str) -> Container:
        return self._act(p, container_id, "stop", STOPPED)

    def restart(self, p: Principal, container_id: str) -> Container:
        return self._act(p, container_id, "restart", RUNNING)

    def _act(self, p: Principal, container_id: str, action: str, status: str) -> Container:
        container = self._containers.get(p.organization_id, container_id, consistent=True)
        self._require_settled(container)
        if not container.engine_ids or container.host_id is None:
            raise Conflict(
                "The container has nothing running on a host; update it to deploy it again.",
                details={"status": container.status},
            )
        engine = self._engine_for(self._hosts.get(container.host_id))
        try:
            for engine_id in container.engine_ids:
                getattr(engine, action)(engine_id)
        except EngineContainerMissing as exc:
            gone = "The container disappeared from its host; update it to deploy it again."
            self._save_quietly(
                replace(container, status=ERROR, status_reason=gone, engine_ids=(), updated_at=self._clock()),
                container.generation,
            )
            raise Conflict(gone) from exc
        updated = replace(
            container, status=status, status_reason=None, exit_code=None, updated_at=self._clock()
        )
        self._containers.save(updated, expected_generation=container.generation)
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
        samples = [(i, engine.stats(engine_id)) for i, engine_id in enumerate(container.engine_ids)]
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

    # ------------------------------------------------------------ workflow steps (functions/)
    def converge(self, org_id: str, container_id: str, generation: int) -> list[str] | None:
        """Make the engine match the record: remove stale replicas, create missing ones.

        Returns the engine ids in replica order, or None when a newer change superseded this run
        or the record is gone. Idempotent: safe to retry.
        """
        container = self._current(org_id, container_id, generation)
        if container is None or container.host_id is None:
            return None
        engine = self._engine_for(self._hosts.get(container.host_id))
        wanted = config_hash(container)
        kept: dict[int, EngineContainer] = {}
        for found in engine.list_managed({LABEL_CONTAINER: container.id}):
            replica = int(found.labels.get(LABEL_REPLICA, "-1"))
            if found.labels.get(LABEL_CONFIG) != wanted or not 0 <= replica < container.replicas:
                engine.remove(found.id)
            else:
                kept[replica] = found
        ids = []
        for replica in range(container.replicas):
            existing = kept.get(replica)
            if existing is None:
                ids.append(engine.create_and_start(self._spec(container, replica, wanted)).id)
            else:
                if existing.status != "running":
                    engine.start(existing.id)
                ids.append(existing.id)
        return ids

    def mark_running(self, org_id: str, container_id: str, generation: int, engine_ids: list[str]) -> None:
        container = self._current(org_id, container_id, generation)
        if container is None:
            return
        updated = replace(
            container,
            status=RUNNING,
            status_reason=None,
            exit_code=None,
            engine_ids=tuple(engine_ids),
            updated_at=self._clock(),
        )
        self._save_quietly(updated, generation)

    def fail(self, org_id: str, container_id: str, generation: int, reason: str) -> None:
        """Compensation: remove whatever the failed run created on the engine, record the reason."""
        container = self._current(org_id, container_id, generation)
        if container is None:
            return
        if container.host_id:
            engine = self._engine_for(self._hosts.get(container.host_id))
            for found in engine.list_managed({LABEL_CONTAINER: container.id}):
                engine.remove(found.id)
        updated = replace(
            container, status=ERROR, status_reason=reason, engine_ids=(), updated_at=self._clock()
        )
        self._save_quietly(updated, generation)

    # ------------------------------------------------------------ reconciliation (scheduled)
    def reconcile(self) -> dict[str, int]:
        """Reconcile every registered host; an unreachable host is counted and skipped."""
        totals = {"hosts": 0, "changed": 0, "orphans_removed": 0, "unreachable": 0}
        for host in self._hosts.list_all():
            try:
                result = self.reconcile_host(host)
            except ServiceUnavailable:
                log.warning("host %s unreachable during reconciliation", host.id)
                totals["unreachable"] += 1
                continue
            totals["hosts"] += 1
            totals["changed"] += result["changed"]
            totals["orphans_removed"] += result["orphans_removed"]
        return totals

    def reconcile_host(self, host: Host) -> dict[str, int]:
        """Bring records in line with what the engine reports; remove engine orphans."""
        engine = self._engine_for(host)
        by_container: dict[str, list[EngineContainer]] = {}
        for found in engine.list_managed({LABEL_MANAGED: "containerstacks", LABEL_HOST: host.id}):
            by_container.setdefault(found.labels.get(LABEL_CONTAINER, ""), []).append(found)
        changed = orphans = 0
        for container in self._containers.on_host(host.id):
            engine_side = by_container.pop(container.id, [])
            updated = self._observed(container, engine_side)
            if updated is not None:
                self._save_quietly(updated, container.generation)
                changed += 1
        for leftovers in by_container.values():
            for found in leftovers:
                engine.remove(found.id)
                orphans += 1
        return {"changed": changed, "orphans_removed": orphans}

    def _observed(self, c: Container, engine_side: list[EngineContainer]) -> Container | None:
        now = self._clock()
        if c.status == PROVISIONING and now - c.updated_at > PROVISIONING_TIMEOUT:
            return replace(
                c,
                status=ERROR,
                status_reason="Provisioning did not finish in time; update it to retry, or delete it.",
                updated_at=now,
            )
        if c.status not in (RUNNING, EXITED, ERROR) or (c.status == ERROR and not c.engine_ids):
            return None
        if not engine_side:
            if c.status == ERROR:
                return None
            return replace(
                c,
                status=ERROR,
                status_reason="The container disappeared from its host.",
                engine_ids=(),
                updated_at=now,
            )
        dead = [e for e in engine_side if e.status in ("exited", "dead")]
        if not dead:
            if c.status == RUNNING:
                return None
            return replace(c, status=RUNNING, status_reason=None, exit_code=None, updated_at=now)
        exit_code = next((e.exit_code for e in dead if e.exit_code), dead[0].exit_code)
        status = EXITED if exit_code == 0 and not any(e.error for e in dead) else ERROR
        reason = dead[0].error or f"The container exited with code {exit_code}."
        if c.status == status and c.exit_code == exit_code:
            return None
        return replace(c, status=status, status_reason=reason, exit_code=exit_code, updated_at=now)

    # ------------------------------------------------------------ helpers
    def _place(self, draft: Container) -> Container:
        cpu, memory = draft.resources.cpu_millis, draft.resources.memory_bytes
        candidates = sorted(
            (
                h
                for h in self._hosts.list_all()
                if h.status == "active" and h.free_cpu_millis >= cpu and h.free_memory_bytes >= memory
            ),
            key=lambda h: (
                h.free_memory_bytes / max(h.memory_capacity_bytes, 1)
                + h.free_cpu_millis / max(h.cpu_capacity_millis, 1)
            ),
            reverse=True,
        )
        for host in candidates:
            placed = replace(draft, host_id=host.id)
            try:
                self._containers.create_on_host(placed, host)
            except CapacityExhausted:
                continue
            return placed
        raise NoCapacity(
            "No container host has room for this much CPU and memory right now; request less or try later.",
            details={"field": "resources"},
        )

    def _start_workflow(self, c: Container) -> None:
        try:
            self._workflows.start_provision_container(
                f"{c.id}-g{c.generation}",
                {"organization_id": c.organization_id, "container_id": c.id, "generation": c.generation},
            )
        except Exception:
            # Nothing is left half-done: the record says why, and an update or delete recovers it.
            self._save_quietly(
                replace(c, status=ERROR, status_reason="Provisioning could not be started; try again."),
                c.generation,
            )
            raise

    def _spec(self, c: Container, replica: int, wanted: str) -> ContainerSpec:
        return ContainerSpec(
            name=engine_name(c.id, replica),
            image=c.image,
            cpu=c.resources.cpu_millis / 1000,
            memory_bytes=c.resources.memory_bytes,
            environment=c.environment,
            ports=c.ports,
            volumes=tuple(
                VolumeMount(volume_name(c.organization_id, v.name), v.path, v.read_only) for v in c.volumes
            ),
            labels={
                LABEL_MANAGED: "containerstacks",
                LABEL_ORG: c.organization_id,
                LABEL_CONTAINER: c.id,
                LABEL_REPLICA: str(replica),
                LABEL_CONFIG: wanted,
                LABEL_HOST: c.host_id or "",
            },
            publish_ip=self._publish_ip,
        )

    def _engine_of(self, c: Container) -> ContainerEngine:
        if not c.engine_ids or c.host_id is None:
            raise Conflict("The container has nothing running on a host yet.", details={"status": c.status})
        return self._engine_for(self._hosts.get(c.host_id))

    def _current(self, org_id: str, container_id: str, generation: int) -> Container | None:
        try:
            container = self._containers.get(org_id, container_id, consistent=True)
        except NotFound:
            return None
        return container if container.generation == generation else None

    def _save_quietly(self, c: Container, generation: int) -> None:
        try:
            self._containers.save(c, expected_generation=generation)
        except Conflict:
            log.info("container %s changed meanwhile; newer run wins", c.id)

    @staticmethod
    def _require_settled(c: Container) -> None:
        if c.status == PROVISIONING:
            raise Conflict(
                "The container is still being provisioned; wait until it is running.",
                details={"status": c.status},
            )
