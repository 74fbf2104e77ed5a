"""Scheduled reconciliation: records follow what each engine reports; engine orphans are removed."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.containers.entities import ERROR, EXITED, PROVISIONING, RUNNING, Container
from chalicelib.domain.containers.naming import (
    LABEL_CONTAINER,
    LABEL_HOST,
    LABEL_MANAGED,
    LABEL_ORG,
    MANAGED_BY,
)
from chalicelib.domain.containers.networks import release_org_network
from chalicelib.domain.containers.ports import Containers
from chalicelib.domain.containers.service import EngineFor
from chalicelib.domain.hosts.engine import EngineContainer
from chalicelib.domain.hosts.entities import Host
from chalicelib.domain.hosts.ports import Hosts
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, ServiceUnavailable
from chalicelib.domain.shared.quantities import format_bytes

log = logging.getLogger(__name__)

PROVISIONING_TIMEOUT = timedelta(minutes=15)  # the state machine retries for well under a minute


class ContainerReconciler:
    """Brings every host's records in line with its engine. An unreachable host is counted and skipped."""

    def __init__(self, containers: Containers, hosts: Hosts, engine_for: EngineFor, *, clock: Clock = utcnow):
        self._containers = containers
        self._hosts = hosts
        self._engine_for = engine_for
        self._clock = clock

    def reconcile(self) -> dict[str, int]:
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
        for found in engine.list_managed({LABEL_MANAGED: MANAGED_BY, LABEL_HOST: host.id}):
            by_container.setdefault(found.labels.get(LABEL_CONTAINER, ""), []).append(found)
        changed = orphans = 0
        for container in self._containers.on_host(host.id):
            engine_side = by_container.pop(container.id, [])
            updated = self._observed(container, engine_side)
            if updated is not None:
                try:
                    self._containers.save(updated, expected_version=container.version)
                    changed += 1
                except Conflict:
                    log.info("container %s changed meanwhile; left for the next run", container.id)
        orphan_orgs: set[str] = set()
        for leftovers in by_container.values():
            for found in leftovers:
                engine.remove(found.id)
                orphans += 1
                orphan_orgs.add(found.labels.get(LABEL_ORG, ""))
        for org_id in sorted(orphan_orgs - {""}):
            release_org_network(engine, org_id)
        return {"changed": changed, "orphans_removed": orphans}

    def _observed(self, c: Container, engine_side: list[EngineContainer]) -> Container | None:
        now = self._clock()
        if c.status == PROVISIONING and now - c.updated_at > PROVISIONING_TIMEOUT:
            return _next(
                c,
                now,
                status=ERROR,
                status_reason="Provisioning did not finish in time; update it to retry, or delete it.",
            )
        if c.status not in (RUNNING, EXITED, ERROR) or (c.status == ERROR and not c.engine_ids):
            return None
        if not engine_side:
            if c.status == ERROR:
                return None
            return _next(
                c, now, status=ERROR, status_reason="The container disappeared from its host.", engine_ids=()
            )
        dead = [e for e in engine_side if e.status in ("exited", "dead")]
        if not dead:
            if c.status == RUNNING:
                return None
            return _next(c, now, status=RUNNING, status_reason=None, exit_code=None)
        exit_code = next((e.exit_code for e in dead if e.exit_code), dead[0].exit_code)
        out_of_memory = any(e.oom_killed for e in dead)
        status = EXITED if exit_code == 0 and not out_of_memory and not any(e.error for e in dead) else ERROR
        reason = dead[0].error or f"The container exited with code {exit_code}."
        if out_of_memory:
            reason = (
                f"The container ran out of memory (limit {format_bytes(c.resources.memory_bytes)}) "
                "and was killed."
            )
        if c.status == status and c.exit_code == exit_code:
            return None
        return _next(c, now, status=status, status_reason=reason, exit_code=exit_code)


def _next(c: Container, now: datetime, **changes: Any) -> Container:
    """The record's next version with `changes`."""
    return replace(c, version=c.version + 1, updated_at=now, **changes)
