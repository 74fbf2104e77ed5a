"""Wire models of the host registry (admin only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import ConfigDict, Field

from chalicelib.api.containers.schemas import Name, ResourcesOut
from chalicelib.api.wire import Out, Strict
from chalicelib.domain.containers.entities import Resources
from chalicelib.domain.hosts.entities import (
    HOST_URL_PATTERN,
    Allocation,
    Host,
    HostRequest,
    HostStatus,
    TlsMaterial,
)

# PEM is ASCII; a client key is encrypted with KMS, which takes at most 4096 bytes of plaintext.
Pem = Annotated[str, Field(min_length=1, max_length=4096, pattern=r"^[\x20-\x7E\r\n\t]+$")]


class TlsIn(Strict):
    ca_cert: Pem
    client_cert: Pem
    client_key: Pem

    def to_domain(self) -> TlsMaterial:
        return TlsMaterial(ca_cert=self.ca_cert, client_cert=self.client_cert, client_key=self.client_key)


class HostIn(Strict):
    """A TCP endpoint needs `tls`; a unix socket does not."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"url": {"pattern": "^tcp://"}}, "required": ["url"]},
            "then": {"required": ["tls"], "properties": {"tls": {"type": "object"}}},
        }
    )

    name: Name
    url: Annotated[
        str,
        Field(
            min_length=1, max_length=512, pattern=HOST_URL_PATTERN, examples=["unix:///var/run/docker.sock"]
        ),
    ]
    tls: TlsIn | None = None

    def to_domain(self) -> HostRequest:
        return HostRequest(name=self.name, url=self.url, tls=self.tls.to_domain() if self.tls else None)


def _resources(a: Allocation) -> ResourcesOut:
    return ResourcesOut.of(Resources(a.cpu_millis, a.memory_bytes))


class HostOut(Out):
    id: str
    name: str
    url: str
    status: HostStatus
    tls: bool
    default: bool
    capacity: ResourcesOut
    allocated: ResourcesOut
    created_at: datetime

    @classmethod
    def of(cls, h: Host) -> HostOut:
        return cls(
            id=h.id,
            name=h.name,
            url=h.url,
            status=h.status,
            tls=h.has_tls,
            default=h.is_default,
            capacity=_resources(h.capacity),
            allocated=_resources(h.allocated),
            created_at=h.created_at,
        )


class HostListOut(Out):
    hosts: list[HostOut]
