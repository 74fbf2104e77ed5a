"""Small factories for the domain objects the contract suites store (ids random, times fixed, UTC)."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.domain.accounts.entities import Membership, NewAccount, Organization, User, Wallet
from chalicelib.domain.containers.entities import Container, ContainerStatus, Resources
from chalicelib.domain.hosts.engine import PortBinding, VolumeMount
from chalicelib.domain.hosts.entities import Allocation, Host, HostStatus
from chalicelib.domain.shared.ids import new_ulid

T0 = datetime(2026, 1, 1, 12, 0, 0, 123456, tzinfo=UTC)
MI = 2**20
GI = 2**30
# Container ids are ULIDs of increasing milliseconds, so "newest first" is the order of creation here.
_ticks = itertools.count()


def later(seconds: int = 60) -> datetime:
    return T0 + timedelta(seconds=seconds)


def new_id() -> str:
    return str(uuid.uuid4())


HASH = "hash-1"


def new_account(email: str = "ann@example.com", name: str = "Ann", password_hash: str = HASH) -> NewAccount:
    """A sign-up: user, own organization (owner membership) and an empty wallet."""
    user_id, org_id = new_id(), new_id()
    user = User(
        id=user_id,
        email=email,
        name=name,
        role="user",
        default_org_id=org_id,
        created_at=T0,
        updated_at=T0,
    )
    org = Organization(
        id=org_id,
        name=f"{name}'s organization",
        slug=f"{name.lower()}-{org_id[:8]}",
        owner_id=user_id,
        settings={"theme": "dark"},
        created_at=T0,
        updated_at=T0,
    )
    return NewAccount(
        user=user,
        password_hash=password_hash,
        organization=org,
        membership=Membership(
            organization_id=org_id, organization_name=org.name, user_id=user_id, role="owner"
        ),
        wallet=Wallet(id=new_id(), organization_id=org_id, balance_cents=0, currency="USD"),
    )


def host(
    cpu_millis: int = 4000,
    memory_bytes: int = 8 * GI,
    *,
    status: HostStatus = "active",
    allocated: Allocation = Allocation(0, 0),
    has_tls: bool = False,
    name: str = "engine-1",
) -> Host:
    return Host(
        id=new_id(),
        name=name,
        url="unix:///var/run/docker.sock",
        status=status,
        capacity=Allocation(cpu_millis, memory_bytes),
        allocated=allocated,
        has_tls=has_tls,
        is_default=False,
        created_at=T0,
    )


def tls() -> dict[str, str]:
    return {"ca_cert": "CA PEM", "client_cert": "CERT PEM", "client_key_encrypted": "c2VjcmV0"}


def container(
    org_id: str,
    host_id: str | None,
    *,
    name: str = "web",
    cpu_millis: int = 500,
    memory_bytes: int = 256 * MI,
    replicas: int = 1,
    status: ContainerStatus = "provisioning",
) -> Container:
    """A new record (version 1, generation 1); each call gets a newer ULID than the one before."""
    return Container(
        id=new_ulid(1_767_225_600_000 + next(_ticks)),
        organization_id=org_id,
        name=name,
        image="web:1",
        resources=Resources(cpu_millis=cpu_millis, memory_bytes=memory_bytes, storage_bytes=None),
        environment={"GREETING": "hello", "EMPTY": ""},
        ports=(
            PortBinding(container=80, host=8080, protocol="tcp"),
            PortBinding(container=53, protocol="udp"),
        ),
        volumes=(
            VolumeMount(name="data", path="/data"),
            VolumeMount(name="conf", path="/etc/app", read_only=True),
        ),
        replicas=replicas,
        status=status,
        status_reason=None,
        exit_code=None,
        host_id=host_id,
        engine_ids=(),
        generation=1,
        version=1,
        created_by="user-1",
        created_at=T0,
        updated_at=T0,
    )


def changed(c: Container, **fields: Any) -> Container:
    """The next version of `c` with `fields` changed (what a service writes)."""
    return replace(c, **fields, version=c.version + 1, updated_at=c.updated_at + timedelta(seconds=1))
