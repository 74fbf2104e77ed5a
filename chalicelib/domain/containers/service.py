"""Containers: placement, lifecycle on the engine, logs and metrics, for one organization at a time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from chalicelib.domain.audit.events import AuditTrail, NoAudit, deleted
from chalicelib.domain.containers.access import require_project_choice, visible, visible_page
from chalicelib.domain.containers.entities import (
    ERROR,
    PROVISIONING,
    RUNNING,
    STOPPED,
    Container,
    ContainerChanges,
    ContainerMetrics,
    ContainerRequest,
    ContainerStatus,
    ReplicaLog,
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
    Gone,
    config_hash,
    customer_errors,
    execution_name,
    volume_name,
)
from chalicelib.domain.containers.networks import ensure_org_network, release_org_network
from chalicelib.domain.containers.on_cluster import NoClusters, OnClusters
from chalicelib.domain.containers.placement import place_on_host
from chalicelib.domain.containers.ports import Containers, Standing
from chalicelib.domain.containers.rollout import after_failure, require_settled, rolling_out
from chalicelib.domain.containers.volumes import all_of, refuse_shared_volumes
from chalicelib.domain.hosts.engine import ContainerEngine
from chalicelib.domain.hosts.entities import ACTIVE, Allocation, Host
from chalicelib.domain.hosts.ports import CapacityExhausted, Hosts
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, EngineError, NoCapacity, NotFound
from chalicelib.domain.shared.ids import new_ulid
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.shared.workflows import Workflows

log = logging.getLogger(__name__)

EngineFor = Callable[[Host], ContainerEngine]
DELETE_ATTEMPTS = 3  # a delete reads the record again when a workflow step wrote it meanwhile


class ContainerService:
    """Container lifecycle for the caller's organization. Raises NotFound, Conflict, NoCapacity,
    ValidationFailed, ServiceUnavailable and engine errors."""

    audit: AuditTrail = NoAudit()  # deletions are recorded (wiring sets the trail)

    def __init__(
        self,
        containers: Containers,
        hosts: Hosts,
        engine_for: EngineFor,
        workflows: Workflows,
        *,
        standing: Standing | None = None,
        clock: Clock = utcnow,
        clusters: OnClusters | None = None,
    ) -> None:
        self._clusters = clusters or NoClusters()
        self._containers = containers
        self._hosts = hosts
        self._engine_for = engine_for
        self._workflows = workflows
        self._standing = standing
        self._clock = clock

    def _require_good_standing(self, p: Principal) -> None:  # suspended: nothing starts until funded
        if self._standing is not None:
            self._standing.require_good_standing(p.organization_id)

    # ------------------------------------------------------------ reads
    def page(self, p: Principal, limit: int, cursor: str | None) -> Page[Container]:
        return visible_page(p, self._containers.page(p.organization_id, limit, cursor))

    def get(self, p: Principal, container_id: str) -> Container:
        return visible(p, self._containers.get(p.organization_id, container_id))

    # ------------------------------------------------------------ create / update / scale / delete
    def create(self, p: Principal, req: ContainerRequest) -> Container:
        """Place the container on the host with the most free capacity and start provisioning (async)."""
        check_request(req)
        require_project_choice(p, req.project_id)
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
            project_id=req.project_id,
        )
        if req.cluster_id:  # a cluster's scheduler places the pods: nothing is claimed on a host
            container = self._clusters.place(draft, req.cluster_id, req)
            self._containers.create_on_host(container, Allocation(0, 0))
        else:
            container = place_on_host(self._containers, self._hosts, draft)
        self._start_workflow(container)
        return container

    def update(self, p: Principal, container_id: str, changes: ContainerChanges) -> Container:
        """Rename in place; image/environment/ports/volumes changes redeploy through the workflow (the new
        version starts before the old one is removed). Sending the deployment of a container that has
        nothing deployed (it ended in error) deploys it again."""
        current = visible(p, self._containers.get(p.organization_id, container_id, consistent=True))
        project = current.project_id if changes.project_id is None else changes.project_id or None
        if project != current.project_id:
            require_project_choice(p, project)
        now = self._clock()
        updated = replace(
            current,
            name=changes.name if changes.name is not None else current.name,
            image=changes.image if changes.image is not None else current.image,
            environment=changes.environment if changes.environment is not None else current.environment,
            ports=changes.ports if changes.ports is not None else current.ports,
            volumes=changes.volumes if changes.volumes is not None else current.volumes,
            project_id=project,
            version=current.version + 1,
            updated_at=now,
        )
        touches_deployment = any(
            v is not None for v in (changes.image, changes.environment, changes.ports, changes.volumes)
        )
        redeploy = config_hash(updated) != config_hash(current) or (
            touches_deployment and current.status == ERROR and not current.engine_ids
        )
        if redeploy:
            check_environment(updated.environment)
            check_ports(updated.ports, updated.replicas)
            check_volumes(updated.volumes)
            require_settled(current)
            self._require_good_standing(p)
            updated = rolling_out(current, updated, now)
        self._write(current, updated)
        if redeploy:
            self._start_workflow(updated)
        return updated

    def scale(
        self, p: Principal, container_id: str, replicas: int | None, resources: Resources | None
    ) -> Container:
        """New resources apply in place on the engine; a new replica count rolls out through the workflow
        (added replicas start before anything is removed)."""
        current = visible(p, self._containers.get(p.organization_id, container_id, consistent=True))
        require_settled(current)
        new_replicas = replicas if replicas is not None else current.replicas
        if new_replicas > current.replicas:
            self._require_good_standing(p)
        check_replicas(new_replicas)
        check_ports(current.ports, new_replicas)
        new_resources = resources or current.resources
        check_resources(new_resources)
        if new_resources.storage_bytes is None:
            new_resources = replace(new_resources, storage_bytes=current.resources.storage_bytes)
        if current.host_id is None and current.cluster_id is None:
            raise Conflict("The container is not placed on a host.")
        now = self._clock()
        updated = replace(
            current,
            replicas=new_replicas,
            resources=new_resources,
            version=current.version + 1,
            updated_at=now,
        )
        replicas_changed = new_replicas != current.replicas
        if replicas_changed:
            updated = rolling_out(current, updated, now)
        self._write(current, updated)
        try:
            if resources is not None and current.engine_ids:
                self._resize_in_place(current, new_resources)
        finally:
            if replicas_changed:
                self._start_workflow(updated)
        return updated

    def _resize_in_place(self, c: Container, resources: Resources) -> None:
        """Apply CPU/memory to the live replicas. A replica that is gone or being removed meanwhile (a delete
        raced this) is a Conflict; other refusals are the engine's, without engine-side names."""
        if c.cluster_id:
            return self._clusters.resize(c, resources)
        engine = self._engine_for(self._hosts.get(c.host_id or ""))
        try:
            with customer_errors(c):
                for engine_id in c.engine_ids:
                    engine.update_resources(engine_id, resources.cpu_millis / 1000, resources.memory_bytes)
        except EngineError as exc:
            going = [engine.find(i) for i in c.engine_ids]
            if any(found is None or found.status in ("removing", "dead") for found in going):
                raise Conflict(
                    "The container was being removed from its host while it was resized; reload it.",
                    details={"status": "removing"},
                ) from exc
            raise

    def delete(self, p: Principal, container_id: str, purge_volumes: bool) -> None:
        """Remove the engine containers (and volumes when asked), then the record, giving back what it holds
        exactly once. Raises NotFound, or Conflict when another container mounts a volume to purge."""
        for attempt in range(DELETE_ATTEMPTS):
            container = visible(p, self._containers.get(p.organization_id, container_id, consistent=True))
            if purge_volumes:
                refuse_shared_volumes(container, all_of(self._containers, container.organization_id))
            self._clear_engine(container, purge_volumes)
            try:
                self._containers.delete_and_release(container)
            except Conflict:
                if attempt + 1 == DELETE_ATTEMPTS:
                    raise
                continue  # a workflow step or the reconciler wrote the record meanwhile: read it again
            # A workflow step may have created a replica meanwhile; from now on it finds no record.
            self._clear_engine(container, purge_volumes=False)
            return self.audit.record(deleted(p, "container", container_id, name=container.name))

    def _clear_engine(self, c: Container, purge_volumes: bool) -> None:
        if c.cluster_id:
            return self._clusters.clear(c)
        if c.host_id is None:
            return
        engine = self._engine_for(self._hosts.get(c.host_id))
        with customer_errors(c):
            for found in engine.list_managed({LABEL_CONTAINER: c.id}):
                engine.remove(found.id)
            if purge_volumes:
                for volume in c.volumes:
                    engine.remove_volume(volume_name(c.organization_id, volume.name))
            release_org_network(engine, c.organization_id)

    # ------------------------------------------------------------ start / stop / restart
    def start(self, p: Principal, container_id: str) -> Container:
        return self._act(p, container_id, "start", RUNNING)

    def stop(self, p: Principal, container_id: str) -> Container:
        return self._act(p, container_id, "stop", STOPPED)

    def restart(self, p: Principal, container_id: str) -> Container:
        return self._act(p, container_id, "restart", RUNNING)

    def _act(self, p: Principal, container_id: str, action: str, status: ContainerStatus) -> Container:
        container = visible(p, self._containers.get(p.organization_id, container_id, consistent=True))
        require_settled(container)
        if action != "stop":
            self._require_good_standing(p)
        if not container.engine_ids or (container.host_id or container.cluster_id) is None:
            raise Conflict(
                "The container has nothing running on a host; update it to deploy it again.",
                details={"status": container.status},
            )
        try:
            if container.cluster_id:
                self._clusters.act(container, action)
            else:
                self._act_on_engine(container, action)
        except Gone as exc:
            self._write_quietly(
                container,
                replace(
                    container,
                    status=ERROR,
                    status_reason=Gone.MESSAGE,
                    engine_ids=(),
                    version=container.version + 1,
                    updated_at=self._clock(),
                ),
            )
            raise Conflict(Gone.MESSAGE) from exc
        updated = replace(
            container,
            status=status,
            status_reason=None,
            exit_code=None,
            version=container.version + 1,
            updated_at=self._clock(),
        )
        self._containers.update(container, updated)
        return updated

    def _act_on_engine(self, c: Container, action: str) -> None:
        engine = self._engine_for(self._hosts.get(c.host_id or ""))
        with customer_errors(c):
            if action != "stop":  # its network may have gone (by hand, or a race)
                ensure_org_network(engine, c.organization_id)
            for engine_id in c.engine_ids:
                getattr(engine, action)(engine_id)

    # ------------------------------------------------------------ logs and metrics
    def logs(self, p: Principal, container_id: str, tail: int, since: datetime | None) -> list[ReplicaLog]:
        """The last `tail` lines of every replica, oldest first (`since` 1970 or earlier: all of them)."""
        container = visible(p, self._containers.get(p.organization_id, container_id))
        if since is not None and since.timestamp() <= 0:
            since = None
        if container.cluster_id:
            lines = self._clusters.logs(container, tail, since)
        else:
            engine = self._engine_of(container)
            with customer_errors(container):
                lines = [
                    ReplicaLog(replica, line)
                    for replica, engine_id in enumerate(container.engine_ids)
                    for line in engine.logs(engine_id, tail, since)
                ]
        lines.sort(key=lambda r: r.line.timestamp)
        return lines[-tail:] if tail else lines

    def metrics(self, p: Principal, container_id: str) -> ContainerMetrics:
        container = visible(p, self._containers.get(p.organization_id, container_id))
        engine = self._engine_of(container)
        with customer_errors(container):
            samples = list(enumerate(engine.stats_many(container.engine_ids)))
        return ContainerMetrics.of(samples)

    # ------------------------------------------------------------ helpers
    def _write(self, current: Container, updated: Container) -> None:
        """Save `updated` over `current`, claiming on the host what it needs beyond what it holds."""
        growth = updated.held() - current.held()
        if not growth.grows() or current.host_id is None:
            self._containers.update(current, updated)
            return
        host = self._hosts.get(current.host_id)
        try:
            self._containers.update(current, updated, limit=host.claim_limit(growth))
        except CapacityExhausted as exc:
            host = self._hosts.get(current.host_id)
            if host.status != ACTIVE:
                raise NoCapacity(
                    f"The container's host is {host.status} (being emptied for maintenance), so the container"
                    " cannot grow or be deployed again there right now; try again later or deploy a new one.",
                    details={"reason": "host_draining"},
                ) from exc
            raise NoCapacity(
                "The container's host has no room for that much CPU/memory; choose less.",
                details={"field": "resources"},
            ) from exc

    def _start_workflow(self, c: Container) -> None:
        try:
            self._workflows.start(
                PROVISION_CONTAINER,
                execution_name(c),
                {"organization_id": c.organization_id, "container_id": c.id, "generation": c.generation},
            )
        except Exception:
            # Nothing is left half-done: what ran before still runs, the record says why, and an update or
            # delete recovers it. Nothing started on the engine, so a previous version survives.
            failed = after_failure(
                c, "Provisioning could not be started; try again.", self._clock(), previous_survives=True
            )
            self._write_quietly(c, failed)
            raise

    def _engine_of(self, c: Container) -> ContainerEngine:
        if c.cluster_id:
            raise Conflict(
                "Metrics are not collected from Kubernetes clusters yet.", details={"status": c.status}
            )
        if not c.engine_ids or c.host_id is None:
            raise Conflict("The container has nothing running on a host yet.", details={"status": c.status})
        return self._engine_for(self._hosts.get(c.host_id))

    def _write_quietly(self, current: Container, updated: Container) -> None:
        """Save `updated` (never growing) unless the record changed meanwhile."""
        try:
            self._containers.update(current, updated)
        except (Conflict, NotFound):
            log.info("container %s changed meanwhile; newer change wins", current.id)
