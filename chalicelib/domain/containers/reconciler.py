"""Scheduled reconciliation: records follow what each engine reports; engine orphans are removed.

The list of a host's records comes from an eventually consistent index, so nothing is removed from an
engine on its word alone: an engine container goes only when a consistent read of its record confirms
that the record no longer wants it, and when it is older than a grace period (a run that is creating
replicas right now owns them).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.containers import notices
from chalicelib.domain.containers.entities import ERROR, EXITED, PROVISIONING, RUNNING, Container
from chalicelib.domain.containers.naming import (
    LABEL_CONTAINER,
    LABEL_HOST,
    LABEL_MANAGED,
    LABEL_ORG,
    MANAGED_BY,
    for_customer,
    generation_of,
)
from chalicelib.domain.containers.networks import release_org_network
from chalicelib.domain.containers.ports import Containers
from chalicelib.domain.containers.rollout import after_failure
from chalicelib.domain.containers.service import EngineFor
from chalicelib.domain.hosts.engine import ContainerEngine, EngineContainer
from chalicelib.domain.hosts.entities import Host
from chalicelib.domain.hosts.ports import Hosts
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, NotFound, ServiceUnavailable
from chalicelib.domain.shared.notices import NoNotifier, Notifier
from chalicelib.domain.shared.quantities import format_bytes

log = logging.getLogger(__name__)

PROVISIONING_TIMEOUT = timedelta(minutes=15)  # the state machine retries for well under a minute
ORPHAN_GRACE = timedelta(minutes=2)  # an engine container younger than this is left alone
STUCK = "Provisioning did not finish in time; update it to retry, or delete it."


class ContainerReconciler:
    """Brings every host's records in line with its engine. An unreachable host is counted and skipped."""

    def __init__(
        self,
        containers: Containers,
        hosts: Hosts,
        engine_for: EngineFor,
        *,
        clock: Clock = utcnow,
        grace: timedelta = ORPHAN_GRACE,
        notifier: Notifier = NoNotifier(),
    ):
        self._containers = containers
        self._notifier = notifier
        self._hosts = hosts
        self._engine_for = engine_for
        self._clock = clock
        self._grace = grace

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
        """Bring records in line with what the engine reports; remove engine containers no record wants."""
        engine = self._engine_for(host)
        now = self._clock()
        by_container: dict[str, list[EngineContainer]] = {}
        for found in engine.list_managed({LABEL_MANAGED: MANAGED_BY, LABEL_HOST: host.id}):
            by_container.setdefault(found.labels.get(LABEL_CONTAINER, ""), []).append(found)
        changed = orphans = 0
        for container in self._containers.on_host(host.id):
            engine_side = by_container.pop(container.id, [])
            updated = self._observed(container, engine_side, now)
            if updated is not None:
                try:
                    self._containers.update(container, updated)
                    changed += 1
                except Conflict:
                    log.info("container %s changed meanwhile; left for the next run", container.id)
                else:
                    stuck = container.status == PROVISIONING
                    notices.tell(self._notifier, container, updated, failed_change=STUCK if stuck else None)
            leftovers = [e for e in engine_side if e.id not in container.engine_ids and self._old(e, now)]
            if leftovers and container.status != PROVISIONING:
                orphans += self._remove_unwanted(
                    engine, host, container.organization_id, container.id, leftovers
                )
        for container_id, unlisted in by_container.items():
            old = [e for e in unlisted if self._old(e, now)]
            if old:
                orphans += self._remove_unwanted(
                    engine, host, old[0].labels.get(LABEL_ORG), container_id, old
                )
        return {"changed": changed, "orphans_removed": orphans}

    def _remove_unwanted(
        self,
        engine: ContainerEngine,
        host: Host,
        org_id: str | None,
        container_id: str,
        candidates: list[EngineContainer],
    ) -> int:
        """Remove the candidates that a consistent read of their record confirms it does not want: the
        record is gone (or on another host), or it is settled and lists other replicas up to a generation
        at least theirs."""
        record: Container | None = None
        if org_id and container_id:
            try:
                record = self._containers.get(org_id, container_id, consistent=True)
            except NotFound:
                record = None
        if record is not None and record.host_id == host.id:
            if record.status == PROVISIONING:
                return 0
            candidates = [
                e
                for e in candidates
                if e.id not in record.engine_ids and generation_of(e) <= record.generation
            ]
        for found in candidates:
            engine.remove(found.id)
        if candidates and org_id:
            release_org_network(engine, org_id)
        return len(candidates)

    def _old(self, found: EngineContainer, now: datetime) -> bool:
        return found.created_at is None or now - found.created_at > self._grace

    def _observed(self, c: Container, engine_side: list[EngineContainer], now: datetime) -> Container | None:
        if c.status == PROVISIONING and now - c.updated_at > PROVISIONING_TIMEOUT:
            listed = [e for e in engine_side if e.id in c.engine_ids]
            return after_failure(c, STUCK, now, previous_survives=bool(listed))
        if c.status not in (RUNNING, EXITED, ERROR) or (c.status == ERROR and not c.engine_ids):
            return None
        listed = [e for e in engine_side if e.id in c.engine_ids]
        if not listed:
            if c.status == ERROR:
                return None
            return _next(
                c, now, status=ERROR, status_reason="The container disappeared from its host.", engine_ids=()
            )
        dead = [e for e in listed if e.status in ("exited", "dead")]
        if not dead:
            if c.status == RUNNING:
                return None
            return _next(c, now, status=RUNNING, status_reason=None, exit_code=None)
        exit_code = next((e.exit_code for e in dead if e.exit_code), dead[0].exit_code)
        out_of_memory = any(e.oom_killed for e in dead)
        status = EXITED if exit_code == 0 and not out_of_memory and not any(e.error for e in dead) else ERROR
        reason = (
            for_customer(dead[0].error, c)
            if dead[0].error
            else f"The container exited with code {exit_code}."
        )
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
