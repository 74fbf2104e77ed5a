"""Hosts: the host registry with its store, the Docker connector and KMS."""

from __future__ import annotations

from chalicelib.domain.hosts.service import HostService
from chalicelib.wiring import component, secret_box, settings
from chalicelib.wiring.events import audit_trail


@component
def get_hosts() -> HostService:
    from chalicelib.adapters.docker.engine import connect_docker
    from chalicelib.store.hosts.repository import HostRepository

    settings()
    return HostService(HostRepository(), connect_docker, secret_box(), audit=audit_trail())
