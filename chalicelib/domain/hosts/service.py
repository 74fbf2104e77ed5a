"""The admin-only registry of Docker Engine endpoints containers are placed on."""

from __future__ import annotations

import re
import uuid

from chalicelib.domain.audit.events import deleted
from chalicelib.domain.hosts.engine import ContainerEngine, EngineConnector
from chalicelib.domain.hosts.entities import (
    ACTIVE,
    DRAINING,
    HOST_URL_PATTERN,
    Allocation,
    Host,
    HostRequest,
    TlsMaterial,
)
from chalicelib.domain.hosts.ports import Hosts
from chalicelib.domain.shared.audit import AuditEvent, AuditTrail, NoAudit
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import EngineError, EngineUnavailable, PermissionDenied, ValidationFailed
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.shared.secrets import SecretBox

_URL = re.compile(HOST_URL_PATTERN)


def tls_context(host_id: str) -> dict[str, str]:
    """KMS encryption context of a host's TLS client key: the ciphertext only opens for that host."""
    return {"purpose": "docker-tls-client-key", "host_id": host_id}


class HostService:
    """Add, list, drain and remove container hosts. Raises PermissionDenied for non-admins."""

    def __init__(
        self,
        hosts: Hosts,
        connect: EngineConnector,
        box: SecretBox,
        *,
        clock: Clock = utcnow,
        audit: AuditTrail | None = None,
    ) -> None:
        self._hosts = hosts
        self._connect = connect
        self._box = box
        self._clock = clock
        self._audit = audit or NoAudit()
        self._engines: dict[tuple[str, str], ContainerEngine] = {}

    def add(self, p: Principal, req: HostRequest, *, is_default: bool = False) -> Host:
        """Probe the engine for its capacity and register it. Raises EngineUnavailable when unreachable."""
        _require_admin(p)
        host = self._add(req, is_default=is_default)
        after = {"name": host.name, "url": host.url, "tls": req.tls is not None}  # never the key itself
        self._audit.record(AuditEvent("host.registered", p.user_id, None, "host", host.id, after=after))
        return host

    def list_hosts(self, p: Principal) -> list[Host]:
        _require_admin(p)
        return self._hosts.list_all()

    def get(self, p: Principal, host_id: str) -> Host:
        _require_admin(p)
        return self._hosts.get(host_id)

    def drain(self, p: Principal, host_id: str) -> Host:
        """No new containers are placed on a draining host; running ones stay."""
        _require_admin(p)
        return self._hosts.set_status(host_id, DRAINING, self._clock())

    def activate(self, p: Principal, host_id: str) -> Host:
        _require_admin(p)
        return self._hosts.set_status(host_id, ACTIVE, self._clock())

    def remove(self, p: Principal, host_id: str) -> None:
        """Only a host with no containers allocated can be removed (else Conflict)."""
        _require_admin(p)
        host = self._hosts.get(host_id)
        self._hosts.remove(host_id)
        self._audit.record(deleted(p, "host", host_id, name=host.name, url=host.url))

    def ensure_default_host(self, url: str) -> Host:
        """The local stack's bootstrap: register `url` once as the default host."""
        for host in self._hosts.list_all():
            if host.url == url:
                return host
        return self._add(HostRequest(name="local", url=url), is_default=True)

    def engine_for(self, host: Host) -> ContainerEngine:
        """A connected engine for a registered host, kept for reuse (one connection pool per host)."""
        key = (host.id, host.url)
        if key not in self._engines:
            self._engines[key] = self._connect_host(host)
        return self._engines[key]

    def _connect_host(self, host: Host) -> ContainerEngine:
        """Connect, decrypting the TLS client key on the way."""
        stored = self._hosts.get_tls(host.id) if host.has_tls else None
        tls = None
        if stored:
            tls = TlsMaterial(
                ca_cert=stored["ca_cert"],
                client_cert=stored["client_cert"],
                client_key=self._box.decrypt(stored["client_key_encrypted"], tls_context(host.id)),
            )
        return self._connect(host.url, tls)

    def _add(self, req: HostRequest, *, is_default: bool) -> Host:
        if not _URL.match(req.url):
            raise ValidationFailed(
                "url must be unix:///path/to/docker.sock or tcp://host:port.", details={"field": "url"}
            )
        if req.url.startswith("tcp://") and req.tls is None:
            raise ValidationFailed(
                "A TCP engine endpoint needs TLS client certificates (ca_cert, client_cert, client_key).",
                details={"field": "tls"},
            )
        try:
            info = self._connect(req.url, req.tls).info()
        except EngineUnavailable as exc:
            raise ValidationFailed(
                f"No Docker Engine answers at {req.url}; check the address (and that the engine runs).",
                details={"field": "url"},
            ) from exc
        except EngineError as exc:  # a bad address, or TLS material the engine does not accept
            raise ValidationFailed(
                f"The Docker Engine at {req.url} cannot be used: {exc.message}", details={"field": "url"}
            ) from exc
        host = Host(
            id=str(uuid.uuid4()),
            name=req.name,
            url=req.url,
            status=ACTIVE,
            capacity=Allocation(info.cpus * 1000, info.memory_bytes),
            allocated=Allocation(0, 0),
            has_tls=req.tls is not None,
            is_default=is_default,
            created_at=self._clock(),
        )
        stored = None
        if req.tls is not None:
            stored = {
                "ca_cert": req.tls.ca_cert,
                "client_cert": req.tls.client_cert,
                "client_key_encrypted": self._box.encrypt(req.tls.client_key, tls_context(host.id)),
            }
        self._hosts.add(host, stored)
        return host


def _require_admin(p: Principal) -> None:
    if not p.is_admin:
        raise PermissionDenied("Only platform administrators can manage container hosts.")
