"""The provisioning workflow's steps: start the new version beside the old, switch the record over and
remove the old, or compensate (the old version stays; a first deployment gives its capacity back)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import replace

from chalicelib.domain.containers import notices
from chalicelib.domain.containers.entities import PROVISIONING, RUNNING, Container
from chalicelib.domain.containers.naming import (
    LABEL_CONFIG,
    LABEL_CONTAINER,
    LABEL_GENERATION,
    LABEL_HOST,
    LABEL_MANAGED,
    LABEL_ORG,
    LABEL_REPLICA,
    MANAGED_BY,
    engine_config_hash,
    engine_name,
    for_customer,
    generation_of,
    network_name,
    replica_of,
    volume_name,
)
from chalicelib.domain.containers.networks import ensure_org_network, release_org_network
from chalicelib.domain.containers.on_cluster import NoClusters, OnClusters
from chalicelib.domain.containers.ports import Containers
from chalicelib.domain.containers.rollout import after_failure
from chalicelib.domain.containers.service import EngineFor
from chalicelib.domain.hosts.engine import ContainerEngine, ContainerSpec, EngineContainer, VolumeMount
from chalicelib.domain.hosts.ports import Hosts
from chalicelib.domain.images.supply import LABEL_IMAGE_DIGEST, ImageSupply
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, DomainError, EngineError, NotFound
from chalicelib.domain.shared.notices import NoNotifier, Notifier

log = logging.getLogger(__name__)

WRITE_ATTEMPTS = 5  # a step re-reads the record when a rename or delete raced its write


class ContainerProvisioner:
    """Task handlers of the provision-container state machine. Every step is idempotent: it re-reads the
    record and acts only for the generation it was started for (a newer change supersedes it).

    A change is rolled out new-before-old: `converge` starts the new replicas beside the running ones,
    `mark_running` switches the record to them and only then removes the replaced ones, and `fail`
    removes what the failed run started and puts the previous version back on the record. A fixed host
    port cannot be bound twice, so a replica holding one is stopped just before its replacement starts
    and started again if the replacement fails.
    """

    def __init__(
        self,
        containers: Containers,
        hosts: Hosts,
        engine_for: EngineFor,
        *,
        publish_ip: str,
        clock: Clock = utcnow,
        notifier: Notifier = NoNotifier(),
        images: ImageSupply | None = None,
        clusters: OnClusters | None = None,
    ) -> None:
        self._images = images  # None: the image must already be on the host, as written
        self._clusters = clusters or NoClusters()
        self._containers = containers
        self._notifier = notifier
        self._hosts = hosts
        self._engine_for = engine_for
        self._publish_ip = publish_ip
        self._clock = clock

    def converge(self, org_id: str, container_id: str, generation: int) -> list[str] | None:
        """Start whatever the record's configuration still lacks on the engine, leaving the replaced
        replicas running. Returns the engine ids in replica order, or None when a newer change superseded
        this run or the record is gone. Raises engine errors (ImageNotFound, PortInUse, ...)."""
        container = self._current(org_id, container_id, generation)
        if container is not None and container.cluster_id:
            return self._converge_on_cluster(container)
        if container is None or container.host_id is None:
            return None
        host = self._hosts.get(container.host_id)
        engine = self._engine_for(host)
        ensure_org_network(engine, container.organization_id)
        wanted = engine_config_hash(container)
        kept: dict[int, EngineContainer] = {}
        replaced: list[EngineContainer] = []
        for found in engine.list_managed({LABEL_CONTAINER: container.id}):
            replica = replica_of(found)
            current = found.labels.get(LABEL_CONFIG) == wanted and 0 <= replica < container.replicas
            if current and replica not in kept:
                kept[replica] = found
            else:
                replaced.append(found)
        missing = [r for r in range(container.replicas) if r not in kept]
        image, digest = container.image, ""
        if missing and self._images is not None:  # the organization's own images, or a pull where it is on
            supplied = self._images.ensure(host, container.organization_id, container.image)
            image, digest = supplied.reference, supplied.digest or ""
            self._record_digest(org_id, container_id, generation, supplied.digest)
        in_the_way = _holding_fixed_ports(replaced, container) if missing else []
        for old in in_the_way:
            engine.stop(old.id)
        created: list[str] = []
        try:
            for replica in missing:
                spec = self.spec(container, replica, wanted)
                spec = replace(spec, image=image, labels={**spec.labels, LABEL_IMAGE_DIGEST: digest})
                kept[replica] = _started(engine, spec)
                created.append(kept[replica].id)
            for found in kept.values():
                if found.status != "running":
                    engine.start(found.id)
        except Exception:
            for old in in_the_way:
                with contextlib.suppress(DomainError):
                    engine.start(old.id)
            self._unless_still_wanted(engine, org_id, container_id, generation, created)
            raise
        if not self._unless_still_wanted(engine, org_id, container_id, generation, created):
            return None
        return [kept[r].id for r in range(container.replicas)]

    def _converge_on_cluster(self, c: Container) -> list[str] | None:
        """Apply the record to its cluster; when the record went away meanwhile, take the Deployment down."""
        pods = self._clusters.converge(c)
        if self._current(c.organization_id, c.id, c.generation) is None:
            self._clusters.clear(c)
            return None
        return pods

    def mark_running(self, org_id: str, container_id: str, generation: int, engine_ids: list[str]) -> None:
        """Switch the record to the new replicas (giving back capacity the change no longer needs), then
        remove the replicas they replace."""
        seen: list[Container] = []  # the record the last write started from (what the notice compares)

        def running(c: Container) -> Container | None:
            seen[:] = []
            if c.status == RUNNING and c.engine_ids == tuple(engine_ids) and c.previous is None:
                return None
            seen.append(c)
            return replace(
                c,
                status=RUNNING,
                status_reason=None,
                exit_code=None,
                engine_ids=tuple(engine_ids),
                previous=None,
                version=c.version + 1,
                updated_at=self._clock(),
            )

        settled = self._apply(org_id, container_id, generation, running)
        if settled is not None:
            self._remove_replaced(settled)
            if seen:
                notices.tell(self._notifier, seen[0], settled)

    def fail(self, org_id: str, container_id: str, generation: int, reason: str) -> None:
        """Compensation: remove what the failed run started; the previous version, when the engine still has
        it, runs on (restarted if it was stopped to free a host port) and comes back on the record with the
        reason; otherwise the record ends in `error` and gives its capacity back."""
        container = self._current(org_id, container_id, generation)
        if container is None:
            return
        if container.status != PROVISIONING:  # the record already switched over: only tidy the engine
            self._remove_replaced(container)
            return
        survivors: list[EngineContainer] = []
        if container.host_id:
            engine = self._engine_for(self._hosts.get(container.host_id))
            for found in engine.list_managed({LABEL_CONTAINER: container.id}):
                if found.id in container.engine_ids:
                    survivors.append(found)
                elif generation_of(found) <= generation:
                    engine.remove(found.id)
            release_org_network(engine, container.organization_id)
            if container.previous is not None and container.previous.status == RUNNING:
                for found in survivors:
                    if found.status != "running":
                        with contextlib.suppress(DomainError):
                            engine.start(found.id)
        survives = self._clusters.roll_back(container) if container.cluster_id else bool(survivors)
        message = for_customer(reason, container)

        def failed(c: Container) -> Container:
            return after_failure(c, message, self._clock(), previous_survives=survives)

        settled = self._apply(org_id, container_id, generation, failed)
        if settled is not None:
            notices.tell(self._notifier, container, settled, failed_change=message)

    def _record_digest(self, org_id: str, container_id: str, generation: int, digest: str | None) -> None:
        """The record says which image id it runs (what a pull resolved a tag to, or the loaded image)."""

        def recorded(c: Container) -> Container | None:
            if digest is None or c.image_digest == digest:
                return None
            return replace(c, image_digest=digest, version=c.version + 1, updated_at=self._clock())

        self._apply(org_id, container_id, generation, recorded)

    def spec(self, c: Container, replica: int, wanted: str) -> ContainerSpec:
        """The engine container of one replica of the record's generation, on its organization's network
        where the organization's other containers find it by name."""
        return ContainerSpec(
            name=engine_name(c.id, c.generation, replica),
            image=c.image,
            cpu=c.resources.cpu_millis / 1000,
            memory_bytes=c.resources.memory_bytes,
            environment=c.environment,
            ports=c.ports,
            volumes=tuple(
                VolumeMount(volume_name(c.organization_id, v.name), v.path, v.read_only) for v in c.volumes
            ),
            labels={
                LABEL_MANAGED: MANAGED_BY,
                LABEL_ORG: c.organization_id,
                LABEL_CONTAINER: c.id,
                LABEL_REPLICA: str(replica),
                LABEL_GENERATION: str(c.generation),
                LABEL_CONFIG: wanted,
                LABEL_HOST: c.host_id or "",
            },
            publish_ip=self._publish_ip,
            network=network_name(c.organization_id),
            network_alias=c.name,
        )

    def _unless_still_wanted(
        self, engine: ContainerEngine, org_id: str, container_id: str, generation: int, created: list[str]
    ) -> bool:
        """After creating: True when the record still wants this generation; else (deleted or superseded
        meanwhile) remove what this run created and answer False. A delete removes the record before its
        last sweep of the engine, so either this read sees it gone or the sweep sees what was created."""
        if self._current(org_id, container_id, generation) is not None:
            return True
        for engine_id in created:
            engine.remove(engine_id)
        return False

    def _remove_replaced(self, c: Container) -> None:
        """Remove engine containers of this record that it no longer lists, up to its generation (a newer
        generation's replicas belong to a run that is still going)."""
        if c.host_id is None:
            return
        engine = self._engine_for(self._hosts.get(c.host_id))
        for found in engine.list_managed({LABEL_CONTAINER: c.id}):
            if found.id not in c.engine_ids and generation_of(found) <= c.generation:
                engine.remove(found.id)

    def _apply(
        self,
        org_id: str,
        container_id: str,
        generation: int,
        change: Callable[[Container], Container | None],
    ) -> Container | None:
        """Write `change(record)` for this generation, reading the record again when something else wrote
        it meanwhile (a rename, the reconciler). Returns the record as written (or as found when there was
        nothing to change), or None when the record is gone or a newer change superseded this run."""
        for _ in range(WRITE_ATTEMPTS):
            current = self._current(org_id, container_id, generation)
            if current is None:
                return None
            updated = change(current)
            if updated is None:
                return current
            try:
                self._containers.update(current, updated)
            except Conflict:
                log.info("container %s changed meanwhile; reading it again", container_id)
                continue
            return updated
        raise Conflict(f"Container {container_id} kept changing; the step gives up for now.")

    def _current(self, org_id: str, container_id: str, generation: int) -> Container | None:
        try:
            container = self._containers.get(org_id, container_id, consistent=True)
        except NotFound:
            return None
        return container if container.generation == generation else None


def _started(engine: ContainerEngine, spec: ContainerSpec) -> EngineContainer:
    """Create and start one replica; a replica that is not running right after it started is a failure."""
    created = engine.create_and_start(spec)
    if created.status != "running":
        engine.remove(created.id)
        code = f" with code {created.exit_code}" if created.exit_code is not None else ""
        raise EngineError(f"The new version stopped right after it started (exited{code}).")
    return created


def _holding_fixed_ports(replaced: list[EngineContainer], c: Container) -> list[EngineContainer]:
    """Running replicas being replaced that hold a fixed host port the new configuration needs."""
    fixed = {(p.host, p.protocol) for p in c.ports if p.host is not None}
    return [
        old
        for old in replaced
        if old.status == "running" and any((p.host, p.protocol) in fixed for p in old.ports)
    ]
