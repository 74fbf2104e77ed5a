"""An in-memory cloud provider implementing the VPS port (chalicelib/domain/vps/ports.py): instances move
provisioning -> booting -> running as they are read, account events are recorded, faults are injected per
operation. Thread-safe (moto runs the workflows' tasks on its own threads)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from chalicelib.domain.shared.errors import ValidationFailed
from chalicelib.domain.vps.ports import (
    InstanceStatus,
    NewInstance,
    ProviderAuthFailed,
    ProviderCheck,
    ProviderEvent,
    ProviderInstance,
    ProviderRegion,
    ProviderRejected,
    ProviderType,
    ProviderUnavailable,
)

TYPES = (
    ProviderType("g6-nanode-1", "Nanode 1GB", 1, 1024, 25600, 1024000, 1, 500),
    ProviderType("g6-standard-1", "Linode 2GB", 1, 2048, 51200, 2048000, 2, 1200),
    ProviderType("g6-standard-2", "Linode 4GB", 2, 4096, 81920, 4096000, 4, 2400),
)
REGIONS = (
    ProviderRegion("us-east", "Newark, NJ", "us", "ok"),
    ProviderRegion("eu-west", "London, UK", "gb", "ok"),
    ProviderRegion("ap-south", "Singapore", "sg", "outage"),
)


@dataclass
class FakeAccount:
    """One provider account. `reads_to_boot`: reads of a new instance before it is booting, then running."""

    api_key: str
    types: list[ProviderType] = field(default_factory=lambda: list(TYPES))
    regions: list[ProviderRegion] = field(default_factory=lambda: list(REGIONS))
    reads_to_boot: int = 1
    never_runs: bool = False
    lose_create_answer: bool = False  # create the instance, then answer 500 (the answer got lost)
    valid: bool = True
    instances: dict[str, ProviderInstance] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    events: list[ProviderEvent] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=dict)
    created: int = 0
    faults: dict[str, list[Exception]] = field(default_factory=dict)
    _reads: dict[str, int] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1001))
    _event_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(5001))
    _lock: threading.RLock = field(default_factory=threading.RLock)

    # ------------------------------------------------------------ fault injection
    def fail(self, operation: str, error: Exception, times: int = 1) -> None:
        """The next `times` calls of `operation` raise `error`."""
        with self._lock:
            self.faults.setdefault(operation, []).extend([error] * times)

    def _enter(self, operation: str) -> None:
        self.calls[operation] = self.calls.get(operation, 0) + 1
        if not self.valid:
            raise ProviderAuthFailed("Invalid Token", status=401)
        queued = self.faults.get(operation)
        if queued:
            raise queued.pop(0)

    # ------------------------------------------------------------ the port
    def check(self) -> ProviderCheck:
        with self._lock:
            self._enter("check")
            return ProviderCheck(
                "sandbox@example.com", len(self.regions), len(self.types), len(self.instances)
            )

    def types_(self) -> Sequence[ProviderType]:
        return list(self.types)

    def regions_(self) -> Sequence[ProviderRegion]:
        return list(self.regions)

    def create_instance(self, spec: NewInstance) -> ProviderInstance:
        with self._lock:
            self._enter("create_instance")
            if spec.type_id not in {t.id for t in self.types}:
                raise ProviderRejected("type is not valid", status=400, field="type")
            if spec.region not in {r.id for r in self.regions}:
                raise ProviderRejected("region is not valid", status=400, field="region")
            number = next(self._ids)
            instance = ProviderInstance(
                id=str(number),
                label=spec.label,
                status="provisioning",
                region=spec.region,
                type_id=spec.type_id,
                ipv4=(f"192.0.2.{number % 250}",),
                ipv6=f"2001:db8::{number:x}/128",
                tags=tuple(spec.tags),
                created=datetime.now(UTC),
            )
            self.instances[instance.id] = instance
            self.passwords[instance.id] = spec.root_password
            self.keys[instance.id] = spec.authorized_keys
            self._reads[instance.id] = 0
            self.created += 1
            self._event("linode_create", instance.id)
            if self.lose_create_answer:
                self.lose_create_answer = False
                raise ProviderUnavailable("Linode answered 500 (the instance was created)")
            return instance

    def instances_(self, tag: str | None = None) -> Sequence[ProviderInstance]:
        with self._lock:
            self._enter("instances")
            return [i for i in self.instances.values() if tag is None or tag in i.tags]

    def instance(self, instance_id: str) -> ProviderInstance | None:
        with self._lock:
            self._enter("instance")
            found = self.instances.get(instance_id)
            if found is None:
                return None
            if found.status in ("provisioning", "booting") and not self.never_runs:
                self._reads[instance_id] = self._reads.get(instance_id, 0) + 1
                status: InstanceStatus = (
                    "booting" if self._reads[instance_id] <= self.reads_to_boot else "running"
                )
                found = self._set(instance_id, status)
            return found

    def boot(self, instance_id: str) -> None:
        self._act("boot", instance_id, "booting", "linode_boot")

    def shutdown(self, instance_id: str) -> None:
        self._act("shutdown", instance_id, "shutting_down", "linode_shutdown")

    def reboot(self, instance_id: str) -> None:
        self._act("reboot", instance_id, "rebooting", "linode_reboot")

    def delete_instance(self, instance_id: str) -> bool:
        with self._lock:
            self._enter("delete_instance")
            if self.instances.pop(instance_id, None) is None:
                return False
            self._event("linode_delete", instance_id)
            return True

    def events_(self, after_id: int | None = None) -> Sequence[ProviderEvent]:
        with self._lock:
            self._enter("events")
            return [e for e in self.events if after_id is None or e.id > after_id]

    # ------------------------------------------------------------ what happens at the provider on its own
    def settle(
        self, instance_id: str, status: InstanceStatus, action: str | None = None
    ) -> ProviderEvent | None:
        """The instance reaches `status` (a boot finishing, an outside reboot), with an event if named."""
        with self._lock:
            self._set(instance_id, status)
            return self._event(action, instance_id) if action else None

    def delete_outside(self, instance_id: str) -> ProviderEvent:
        """Someone deleted the instance in the provider's own console."""
        with self._lock:
            self.instances.pop(instance_id, None)
            return self._event("linode_delete", instance_id)

    def add_stray(self, tags: tuple[str, ...], created: datetime | None = None) -> ProviderInstance:
        """An instance that no record knows (an orphan when it carries our tag), an hour old by default."""
        with self._lock:
            number = next(self._ids)
            instance = ProviderInstance(
                str(number),
                f"stray-{number}",
                "running",
                "us-east",
                "g6-nanode-1",
                (f"198.51.100.{number % 250}",),
                None,
                tags,
                created or datetime.now(UTC) - timedelta(hours=1),
            )
            self.instances[instance.id] = instance
            return instance

    def _act(self, operation: str, instance_id: str, status: InstanceStatus, action: str) -> None:
        with self._lock:
            self._enter(operation)
            if instance_id not in self.instances:
                raise ProviderRejected("Not found", status=404)
            self._set(instance_id, status)
            self._event(action, instance_id, "started")

    def _set(self, instance_id: str, status: InstanceStatus) -> ProviderInstance:
        updated = replace(self.instances[instance_id], status=status)
        self.instances[instance_id] = updated
        return updated

    def _event(self, action: str, instance_id: str, status: str = "finished") -> ProviderEvent:
        event = ProviderEvent(next(self._event_ids), action, status, "linode", instance_id, datetime.now(UTC))
        self.events.append(event)
        return event


class FakeAccountPort:
    """FakeAccount as the CloudProvider port names its methods (types/regions/instances/events are also
    the account's fields, so the account keeps them under other names)."""

    def __init__(self, account: FakeAccount) -> None:
        self.account = account

    def check(self) -> ProviderCheck:
        return self.account.check()

    def types(self) -> Sequence[ProviderType]:
        with self.account._lock:
            self.account._enter("types")
            return self.account.types_()

    def regions(self) -> Sequence[ProviderRegion]:
        with self.account._lock:
            self.account._enter("regions")
            return self.account.regions_()

    def create_instance(self, spec: NewInstance) -> ProviderInstance:
        return self.account.create_instance(spec)

    def instances(self, *, tag: str | None = None) -> Sequence[ProviderInstance]:
        return self.account.instances_(tag)

    def instance(self, instance_id: str) -> ProviderInstance | None:
        return self.account.instance(instance_id)

    def boot(self, instance_id: str) -> None:
        self.account.boot(instance_id)

    def shutdown(self, instance_id: str) -> None:
        self.account.shutdown(instance_id)

    def reboot(self, instance_id: str) -> None:
        self.account.reboot(instance_id)

    def delete_instance(self, instance_id: str) -> bool:
        return self.account.delete_instance(instance_id)

    def events(self, *, after_id: int | None = None) -> Sequence[ProviderEvent]:
        return self.account.events_(after_id)


class FakeCloud:
    """The CloudProviders port: one FakeAccount per API key (an unknown key is refused on first use)."""

    def __init__(self) -> None:
        self.accounts: dict[str, FakeAccount] = {}
        self.connected: list[tuple[str, str | None]] = []
        self._lock = threading.Lock()

    def account(self, api_key: str) -> FakeAccount:
        with self._lock:
            return self.accounts.setdefault(api_key, FakeAccount(api_key))

    def connect(self, provider_type: str, api_key: str, *, base_url: str | None = None) -> FakeAccountPort:
        if provider_type != "linode":
            raise ValidationFailed(f"Providers of type {provider_type!r} are not supported yet.")
        with self._lock:
            self.connected.append((provider_type, base_url))
            account = self.accounts.get(api_key) or FakeAccount(api_key, valid=False)
        return FakeAccountPort(account)
