"""The provisioning workflow's steps: converge the engine to the record, mark running, or compensate."""

from __future__ import annotations

import logging
from dataclasses import replace

from chalicelib.domain.containers.entities import ERROR, RUNNING, Container
from chalicelib.domain.containers.naming import (
    LABEL_CONFIG,
    LABEL_CONTAINER,
    LABEL_HOST,
    LABEL_MANAGED,
    LABEL_ORG,
    LABEL_REPLICA,
    MANAGED_BY,
    engine_config_hash,
    engine_name,
    network_name,
    volume_name,
)
from chalicelib.domain.containers.networks import ensure_org_network, release_org_network
from chalicelib.domain.containers.ports import Containers
from chalicelib.domain.containers.service import EngineFor
from chalicelib.domain.hosts.engine import ContainerSpec, EngineContainer, VolumeMount
from chalicelib.domain.hosts.ports import Hosts
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, NotFound

log = logging.getLogger(__name__)


class ContainerProvisioner:
    """Task handlers of the provision-container state machine. Every step is idempotent: it re-reads the
    record and acts only for the generation it was started for (a newer change supersedes it).
    """

    def __init__(
        self,
        containers: Containers,
        hosts: Hosts,
        engine_for: EngineFor,
        *,
        publish_ip: str,
        clock: Clock = utcnow,
    ) -> None:
        self._containers = containers
        self._hosts = hosts
        self._engine_for = engine_for
        self._publish_ip = publish_ip
        self._clock = clock

    def converge(self, org_id: str, container_id: str, generation: int) -> list[str] | None:
        """Make the engine match the record: remove stale replicas, create missing ones.

        Returns the engine ids in replica order, or None when a newer change superseded this run
        or the record is gone.
        """
        container = self._current(org_id, container_id, generation)
        if container is None or container.host_id is None:
            return None
        engine = self._engine_for(self._hosts.get(container.host_id))
        ensure_org_network(engine, container.organization_id)
        wanted = engine_config_hash(container)
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
                ids.append(engine.create_and_start(self.spec(container, replica, wanted)).id)
            else:
                if existing.status != "running":
                    engine.start(existing.id)
                ids.append(existing.id)
        return ids

    def mark_running(self, org_id: str, container_id: str, generation: int, engine_ids: list[str]) -> None:
        container = self._current(org_id, container_id, generation)
        if container is None:
            return
        self._save_quietly(
            replace(
                container,
                status=RUNNING,
                status_reason=None,
                exit_code=None,
                engine_ids=tuple(engine_ids),
                version=container.version + 1,
                updated_at=self._clock(),
            )
        )

    def fail(self, org_id: str, container_id: str, generation: int, reason: str) -> None:
        """Compensation: remove whatever the failed run created on the engine, record the reason."""
        container = self._current(org_id, container_id, generation)
        if container is None:
            return
        if container.host_id:
            engine = self._engine_for(self._hosts.get(container.host_id))
            for found in engine.list_managed({LABEL_CONTAINER: container.id}):
                engine.remove(found.id)
            release_org_network(engine, container.organization_id)
        self._save_quietly(
            replace(
                container,
                status=ERROR,
                status_reason=reason,
                engine_ids=(),
                version=container.version + 1,
                updated_at=self._clock(),
            )
        )

    def spec(self, c: Container, replica: int, wanted: str) -> ContainerSpec:
        """One replica's engine container, on its organization's network where the others find it by name."""
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
                LABEL_MANAGED: MANAGED_BY,
                LABEL_ORG: c.organization_id,
                LABEL_CONTAINER: c.id,
                LABEL_REPLICA: str(replica),
                LABEL_CONFIG: wanted,
                LABEL_HOST: c.host_id or "",
            },
            publish_ip=self._publish_ip,
            network=network_name(c.organization_id),
            network_alias=c.name,
        )

    def _current(self, org_id: str, container_id: str, generation: int) -> Container | None:
        try:
            container = self._containers.get(org_id, container_id, consistent=True)
        except NotFound:
            return None
        return container if container.generation == generation else None

    def _save_quietly(self, c: Container) -> None:
        try:
            self._containers.save(c, expected_version=c.version - 1)
        except Conflict:
            log.info("container %s changed meanwhile; newer run wins", c.id)
