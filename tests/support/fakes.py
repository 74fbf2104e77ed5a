"""In-memory fakes of the domain's ports, type-checked against the same Protocols."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime

from chalicelib.domain.entities import Container, Host, Membership, Organization, Page, User
from chalicelib.domain.errors import Conflict, EngineContainerMissing, ImageNotFound, NotFound
from chalicelib.domain.ports import (
    ContainerSpec,
    ContainerStats,
    EngineContainer,
    EngineInfo,
    LogLine,
)
from chalicelib.domain.repositories import CapacityExhausted


class FakeAccounts:
    def __init__(self) -> None:
        self.users: dict[str, tuple[User, str]] = {}
        self.emails: dict[str, str] = {}
        self.orgs: dict[str, Organization] = {}
        self.members: dict[str, list[Membership]] = {}

    def create_account(self, user: User, password_hash: str, org: Organization, wallet_id: str) -> None:
        if user.email in self.emails:
            raise Conflict("An account with this email already exists.", details={"field": "email"})
        self.emails[user.email] = user.id
        self.users[user.id] = (replace(user, default_org_id=org.id), password_hash)
        self.orgs[org.id] = org
        self.members.setdefault(user.id, []).append(Membership(org.id, org.name, user.id, "owner"))

    def user_id_for_email(self, email: str) -> str | None:
        return self.emails.get(email.strip().lower())

    def get_user(self, user_id: str) -> tuple[User, str] | None:
        return self.users.get(user_id)

    def update_user(
        self, user_id: str, now: datetime, *, name: str | None = None, password_hash: str | None = None
    ) -> User:
        user, old_hash = self.users[user_id]
        user = replace(user, name=name or user.name, updated_at=now)
        self.users[user_id] = (user, password_hash or old_hash)
        return user

    def set_role(self, user_id: str, role: str, now: datetime) -> None:
        user, password_hash = self.users[user_id]
        self.users[user_id] = (replace(user, role=role), password_hash)

    def list_memberships(self, user_id: str) -> list[Membership]:
        return list(self.members.get(user_id, []))

    def get_organization(self, org_id: str) -> Organization | None:
        return self.orgs.get(org_id)


class FakeSessions:
    def __init__(self, accounts: FakeAccounts) -> None:
        self.accounts = accounts
        self.revoked: set[str] = set()
        self.failures: dict[str, tuple[int, int]] = {}

    def auth_snapshot(
        self, token_id: str, org_id: str | None, user_id: str
    ) -> tuple[bool, Membership | None]:
        member = next(
            (m for m in self.accounts.list_memberships(user_id) if m.organization_id == org_id), None
        )
        return token_id in self.revoked, member

    def is_revoked(self, token_id: str) -> bool:
        return token_id in self.revoked

    def revoke(self, token_id: str, expires: datetime) -> None:
        self.revoked.add(token_id)

    def login_failures(self, email: str) -> tuple[int, int]:
        return self.failures.get(email.strip().lower(), (0, 0))

    def record_login_failure(self, email: str, now: int, window: int, expires: datetime) -> None:
        count, start = self.failures.get(email, (0, 0))
        self.failures[email] = (count + 1, start) if start > now - window else (1, now)

    def clear_login_failures(self, email: str) -> None:
        self.failures.pop(email.strip().lower(), None)


class FakeHosts:
    def __init__(self, *hosts: Host) -> None:
        self.hosts = {h.id: h for h in hosts}

    def list_all(self) -> list[Host]:
        return list(self.hosts.values())

    def get(self, host_id: str) -> Host:
        if host_id not in self.hosts:
            raise NotFound("no host")
        return self.hosts[host_id]

    def get_tls(self, host_id: str) -> dict[str, str] | None:
        return None

    def add(self, host: Host, tls: dict[str, str] | None) -> None:
        self.hosts[host.id] = host

    def set_status(self, host_id: str, status: str, now: datetime) -> Host:
        self.hosts[host_id] = replace(self.get(host_id), status=status)
        return self.hosts[host_id]

    def remove(self, host_id: str) -> None:
        host = self.get(host_id)
        if host.cpu_allocated_millis:
            raise Conflict("busy")
        del self.hosts[host_id]

    def allocate(self, host_id: str, cpu: int, memory: int) -> None:
        host = self.hosts[host_id]
        if host.status != "active" or host.free_cpu_millis < cpu or host.free_memory_bytes < memory:
            raise CapacityExhausted(host_id)
        self.hosts[host_id] = replace(
            host,
            cpu_allocated_millis=host.cpu_allocated_millis + cpu,
            memory_allocated_bytes=host.memory_allocated_bytes + memory,
        )


class FakeContainers:
    def __init__(self, hosts: FakeHosts) -> None:
        self.hosts = hosts
        self.items: dict[tuple[str, str], Container] = {}

    def create_on_host(self, container: Container, host: Host) -> None:
        self.hosts.allocate(
            host.id,
            container.resources.cpu_millis * container.replicas,
            container.resources.memory_bytes * container.replicas,
        )
        self.items[(container.organization_id, container.id)] = container

    def get(self, org_id: str, container_id: str, *, consistent: bool = False) -> Container:
        if (org_id, container_id) not in self.items:
            raise NotFound(f"Container {container_id} was not found.")
        return self.items[(org_id, container_id)]

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Container]:
        mine = sorted((c for (o, _), c in self.items.items() if o == org_id), key=lambda c: c.id)
        start = int(cursor or 0)
        nxt = str(start + limit) if start + limit < len(mine) else None
        return Page(items=mine[start : start + limit], next_cursor=nxt)

    def save(self, container: Container, *, expected_generation: int | None = None) -> None:
        current = self.get(container.organization_id, container.id)
        if expected_generation is not None and current.generation != expected_generation:
            raise Conflict("changed")
        self.items[(container.organization_id, container.id)] = container

    def resize_on_host(self, old: Container, new: Container, host: Host) -> None:
        cpu = new.resources.cpu_millis * new.replicas - old.resources.cpu_millis * old.replicas
        memory = new.resources.memory_bytes * new.replicas - old.resources.memory_bytes * old.replicas
        self.hosts.allocate(host.id, cpu, memory)
        self.save(new, expected_generation=old.generation)

    def delete_and_release(self, container: Container) -> None:
        if container.host_id:
            self.hosts.allocate(
                container.host_id,
                -container.resources.cpu_millis * container.replicas,
                -container.resources.memory_bytes * container.replicas,
            )
        del self.items[(container.organization_id, container.id)]

    def on_host(self, host_id: str) -> Iterator[Container]:
        return iter([c for c in self.items.values() if c.host_id == host_id])


class FakeEngine:
    """A Docker Engine in memory: enough to test placement, convergence and reconciliation."""

    def __init__(self, images: tuple[str, ...] = ("web:1",)) -> None:
        self.images = set(images)
        self.containers: dict[str, EngineContainer] = {}
        self.specs: dict[str, ContainerSpec] = {}
        self._ids = itertools.count(1)
        self.calls: list[str] = []

    def info(self) -> EngineInfo:
        return EngineInfo(cpus=4, memory_bytes=8 * 2**30, server_version="fake")

    def create_and_start(self, spec: ContainerSpec) -> EngineContainer:
        self.calls.append(f"create {spec.name}")
        if spec.image not in self.images:
            raise ImageNotFound(f"Image '{spec.image}' was not found on the host.")
        engine_id = f"e{next(self._ids)}"
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

    def die(self, id_or_name: str, exit_code: int) -> None:
        self._set(id_or_name, "exited", exit_code)

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
        return [LogLine(datetime(2026, 1, 1, tzinfo=UTC), "stdout", f"hello from {id_or_name}")]

    def stats(self, id_or_name: str) -> ContainerStats:
        found = self.find(id_or_name)
        limit = found.memory_bytes or 0 if found else 0
        return ContainerStats(1.5, 1024, limit, 10, 20, 0, 0, 1)

    def remove_volume(self, name: str) -> None:
        self.calls.append(f"remove-volume {name}")


class FakeWorkflows:
    def __init__(self) -> None:
        self.started: dict[str, Mapping[str, object]] = {}

    def start_provision_container(self, execution_name: str, payload: Mapping[str, object]) -> str:
        self.started.setdefault(execution_name, payload)
        return f"arn:fake:{execution_name}"


def host(host_id: str = "h1", cpus: int = 4, memory_gib: int = 8, status: str = "active") -> Host:
    return Host(
        id=host_id,
        name=host_id,
        url="unix:///fake.sock",
        status=status,
        cpu_capacity_millis=cpus * 1000,
        memory_capacity_bytes=memory_gib * 2**30,
        cpu_allocated_millis=0,
        memory_allocated_bytes=0,
        has_tls=False,
        is_default=False,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
