"""Placing a new container on a Docker host: the active host with the most free room that takes its claim."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.domain.containers.entities import Container
from chalicelib.domain.containers.ports import Containers
from chalicelib.domain.hosts.entities import ACTIVE
from chalicelib.domain.hosts.ports import CapacityExhausted, Hosts
from chalicelib.domain.shared.errors import NoCapacity


def place_on_host(containers: Containers, registry: Hosts, draft: Container) -> Container:
    """Store `draft` on the active host with the most free room that takes its claim. Raises NoCapacity."""
    claim = draft.held()
    hosts = registry.list_all()
    if not any(h.status == ACTIVE for h in hosts):
        why = "Every container host is draining or inactive" if hosts else "No container host is registered"
        raise NoCapacity(
            f"{why}, so no new container can be placed right now; try again later.",
            details={"reason": "no_active_host"},
        )
    candidates = sorted((h for h in hosts if h.accepts(claim)), key=lambda h: h.room(), reverse=True)
    for host in candidates:
        placed = replace(draft, host_id=host.id)
        try:
            containers.create_on_host(placed, host.claim_limit(claim))
        except CapacityExhausted:
            continue
        return placed
    raise NoCapacity(
        "No container host has room for this much CPU and memory right now; request less or try later.",
        details={"field": "resources"},
    )
