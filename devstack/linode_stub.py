"""Linode sandbox stub (SANDBOX, not Linode): the state and operations behind devstack.linode_http.

It answers in the shapes of Linode's API v4 for what ContainerStacks uses (types and regions are Linode's
own SDK fixtures, vendored in devstack/linode_data/; tests/contract/vps compares every answer's keys and JSON
types with those fixtures), validates create requests as Linode does (devstack.linode_shapes), moves a new
instance through provisioning → booting → running over `boot_seconds`, records account events (started, then
finished), hands out IPv4 addresses from the documentation ranges (192.0.2.0/24, ...: never routed), and takes
injected faults (500, 503, 429 with Retry-After, a slow answer, a create that never reaches running) and
changes made "at Linode" (shutdown, reboot, delete, migrate from outside ContainerStacks). Every method holds
one lock.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from devstack import linode_shapes as shapes
from devstack.linode_shapes import PROFILE, StubError, not_found, stamp

DATA = Path(__file__).resolve().parent / "linode_data"
SANDBOX_TOKEN = "linode-sandbox-token"  # noqa: S105 - the stub's own fake key, accepted only by it
FAULTS = ("500", "503", "429", "timeout", "never_running")
OUTSIDE_ACTIONS = ("boot", "shutdown", "reboot", "delete", "migrate")
_DOC_NETS = ("192.0.2.", "198.51.100.", "203.0.113.")  # RFC 5737: documentation only, never routed


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text())


@dataclass
class Linode:
    id: int
    label: str
    type: str
    region: str
    image: str | None
    tags: list[str]
    created: float
    ipv4: str
    ipv6: str
    host_uuid: str
    phases: list[tuple[float, str]]  # (monotonic start, status): the status is the last phase begun
    updated: float = 0.0

    def status(self, now: float) -> str:
        return [s for start, s in self.phases if start <= now][-1]


@dataclass
class Event:
    id: int
    action: str
    linode_id: int
    label: str
    username: str | None
    created: float  # wall clock
    started: float  # monotonic
    seconds: float | None  # until finished; None: never ("started" for ever)


@dataclass
class Fault:
    kind: str
    retry_after: int = 1


@dataclass
class LinodeStub:
    """In-memory Linode for the tokens in `tokens`. Times: `boot_seconds` from create to running."""

    boot_seconds: float = 2.0
    timeout_seconds: float = 5.0
    state_file: Path | None = None  # the local stack keeps its sandbox across restarts here
    tokens: set[str] = field(default_factory=lambda: {SANDBOX_TOKEN})
    lock: threading.RLock = field(default_factory=threading.RLock)
    linodes: dict[int, Linode] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)
    requests: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=1000))
    _faults: dict[str, deque[Fault]] = field(default_factory=dict)
    _next_id: int = 10_000
    _next_address: int = 0
    _next_event: int = 1_000

    def __post_init__(self) -> None:
        self.types: list[dict[str, Any]] = load("linode_types.json")["data"]
        self.regions: list[dict[str, Any]] = load("regions.json")["data"]

    # ------------------------------------------------------------ controls
    def reset(self) -> None:
        """Forget every instance, event, tag, fault and recorded request (tokens and timings stay)."""
        with self.lock:
            self.linodes.clear()
            self.events.clear()
            self.tags.clear()
            self.requests.clear()
            self._faults.clear()
            self._persist()

    def inject(self, operation: str, fault: str, count: int = 1, retry_after: int = 1) -> None:
        """The next `count` requests of `operation` (create, get, list, delete, boot, ..., or any) fail."""
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {FAULTS}")
        if fault == "never_running" and operation != "create":
            raise ValueError("never_running applies to create")
        with self.lock:
            self._faults.setdefault(operation, deque()).extend([Fault(fault, retry_after)] * count)

    def clear_faults(self) -> None:
        with self.lock:
            self._faults.clear()

    def fault(self, operation: str) -> Fault | None:
        with self.lock:
            for name in (operation, "any"):
                queue = self._faults.get(name)
                if queue and not (name == "any" and queue[0].kind == "never_running"):
                    return queue.popleft()
            return None

    def configure(self, boot_seconds: float | None = None, timeout_seconds: float | None = None) -> None:
        with self.lock:
            if boot_seconds is not None:
                self.boot_seconds = max(0.0, float(boot_seconds))
            if timeout_seconds is not None:
                self.timeout_seconds = max(0.0, float(timeout_seconds))

    def outside(self, linode_id: int, action: str) -> None:
        """A change made at Linode, not through our API (Cloud Manager, Lassie, a host migration)."""
        if action not in OUTSIDE_ACTIONS:
            raise StubError(400, f"action must be one of {', '.join(OUTSIDE_ACTIONS)}", "action")
        if action == "delete":
            self.delete(linode_id, username=None)
        elif action == "migrate":
            self._change(linode_id, "linode_migrate", "migrating", self.boot_seconds / 2, None)
        else:
            self.act(linode_id, action, username=None)

    # ------------------------------------------------------------ reads
    def instance_json(self, linode: Linode, now: float | None = None) -> dict[str, Any]:
        kind = self.type_json(linode.type)
        return {
            "id": linode.id,
            "status": linode.status(time.monotonic() if now is None else now),
            "type": linode.type,
            "alerts": {
                "network_in": 10,
                "network_out": 10,
                "cpu": 90 * kind["vcpus"],
                "transfer_quota": 80,
                "io": 10000,
            },
            "group": "",
            "hypervisor": "kvm",
            "label": linode.label,
            "backups": {"enabled": False, "schedule": {"window": None, "day": None}},
            "specs": {k: kind[k] for k in ("memory", "disk", "vcpus", "transfer")},
            "ipv6": linode.ipv6,
            "created": stamp(linode.created),
            "region": linode.region,
            "ipv4": [linode.ipv4],
            "updated": stamp(linode.updated or linode.created),
            "image": linode.image,
            "tags": sorted(linode.tags),
            "host_uuid": linode.host_uuid,
            "watchdog_enabled": True,
            "disk_encryption": "disabled",
            "lke_cluster_id": None,
            "placement_group": None,
            "interface_generation": "legacy_config",
            "maintenance_policy": "linode/migrate",
        }

    def instances(self) -> list[dict[str, Any]]:
        with self.lock:
            now = time.monotonic()
            return [self.instance_json(self.linodes[i], now) for i in sorted(self.linodes)]

    def get(self, linode_id: int) -> dict[str, Any]:
        with self.lock:
            return self.instance_json(self._linode(linode_id))

    def type_json(self, type_id: str) -> dict[str, Any]:
        found = next((t for t in self.types if t["id"] == type_id), None)
        if found is None:
            raise not_found()
        return found

    def ips(self, linode_id: int) -> dict[str, Any]:
        with self.lock:
            linode = self._linode(linode_id)
            return shapes.ips(linode.id, linode.region, linode.ipv4, linode.ipv6)

    def tag_list(self) -> list[dict[str, Any]]:
        with self.lock:
            return [{"label": tag} for tag in sorted(self.tags)]

    def event_list(self) -> list[dict[str, Any]]:
        """Newest first, as Linode lists them without +order_by."""
        with self.lock:
            now = time.monotonic()
            return [self._event_json(e, now) for e in reversed(self.events)]

    # ------------------------------------------------------------ changes
    def create(self, body: Any, fault: Fault | None = None) -> dict[str, Any]:
        with self.lock:
            spec = shapes.validate_create(
                body, self.regions, self.types, {linode.label for linode in self.linodes.values()}
            )
            now, wall = time.monotonic(), time.time()
            self._next_id += 1
            linode_id = self._next_id
            provisioning = self.boot_seconds / 2
            if fault is not None and fault.kind == "never_running":
                phases, seconds = [(now, "provisioning")], None
            elif spec["booted"]:
                phases = [
                    (now, "provisioning"),
                    (now + provisioning, "booting"),
                    (now + self.boot_seconds, "running"),
                ]
                seconds = self.boot_seconds
            else:
                phases, seconds = [(now, "provisioning"), (now + provisioning, "offline")], provisioning
            linode = Linode(
                id=linode_id,
                label=spec["label"] or f"linode{linode_id}",
                type=spec["type"],
                region=spec["region"],
                image=spec["image"],
                tags=spec["tags"],
                created=wall,
                ipv4=self._address(),
                ipv6=f"2001:db8::{linode_id:x}/128",
                host_uuid=secrets.token_hex(20),
                phases=phases,
            )
            self.linodes[linode_id] = linode
            self.tags.update(linode.tags)
            self._record("linode_create", linode, PROFILE["username"], seconds)
            return self.instance_json(linode, now)

    def act(self, linode_id: int, action: str, username: str | None = PROFILE["username"]) -> None:
        """boot, shutdown or reboot; Linode answers 400 "Linode busy." while another change is under way."""
        with self.lock:
            current = self._linode(linode_id).status(time.monotonic())
            if current in ("provisioning", "booting", "rebooting", "shutting_down", "migrating"):
                raise StubError(400, "Linode busy.")
            half = self.boot_seconds / 2
            if action == "boot" and current != "running":
                self._change(linode_id, "linode_boot", "booting", half, username)
            elif action == "shutdown" and current != "offline":
                self._change(
                    linode_id, "linode_shutdown", "shutting_down", half / 2, username, after="offline"
                )
            elif action == "reboot":
                self._change(linode_id, "linode_reboot", "rebooting", half, username)

    def delete(self, linode_id: int, username: str | None = PROFILE["username"]) -> None:
        with self.lock:
            linode = self._linode(linode_id)
            del self.linodes[linode_id]
            self._record("linode_delete", linode, username, 0.0)

    # ------------------------------------------------------------ internals
    def _change(
        self,
        linode_id: int,
        action: str,
        during: str,
        seconds: float,
        username: str | None,
        after: str = "running",
    ) -> None:
        linode = self._linode(linode_id)
        now = time.monotonic()
        linode.phases = [(now, during), (now + seconds, after)]
        linode.updated = time.time()
        self._record(action, linode, username, seconds)

    def _record(self, action: str, linode: Linode, username: str | None, seconds: float | None) -> None:
        """An account event; every change records one, so this is where the state is saved too."""
        self._next_event += 1
        now, wall = time.monotonic(), time.time()
        self.events.append(
            Event(self._next_event, action, linode.id, linode.label, username, wall, now, seconds)
        )
        self._persist()

    # ------------------------------------------------------------ persistence (the local stack)
    def restore(self) -> None:
        """Read `state_file` when there is one: instances, events and tags as they were saved."""
        if self.state_file is None or not self.state_file.exists():
            return
        state = json.loads(self.state_file.read_text())
        now = time.monotonic()
        with self.lock:
            self._next_id, self._next_address, self._next_event = state["next"]
            self.tags = set(state["tags"])
            self.linodes = {
                raw["id"]: Linode(**{**raw, "phases": [(now + at, s) for at, s in raw["phases"]]})
                for raw in state["linodes"]
            }
            self.events = [Event(**{**raw, "started": now + raw["started"]}) for raw in state["events"]]

    def _persist(self) -> None:
        if self.state_file is None:
            return
        now = time.monotonic()
        state = {
            "next": [self._next_id, self._next_address, self._next_event],
            "tags": sorted(self.tags),
            "linodes": [
                {**asdict(linode), "phases": [(at - now, s) for at, s in linode.phases]}
                for linode in self.linodes.values()
            ],
            "events": [{**asdict(event), "started": event.started - now} for event in self.events],
        }
        partial = self.state_file.with_suffix(".partial")
        partial.write_text(json.dumps(state))
        partial.replace(self.state_file)

    def _event_json(self, event: Event, now: float) -> dict[str, Any]:
        done = event.seconds is not None and now >= event.started + event.seconds
        seconds = event.seconds if done else None
        return {
            "action": event.action,
            "created": stamp(event.created),
            "duration": round(float(seconds), 3) if seconds is not None else None,
            "entity": {
                "id": event.linode_id,
                "label": event.label,
                "type": "linode",
                "url": f"/v4/linode/instances/{event.linode_id}",
            },
            "id": event.id,
            "message": None,
            "percent_complete": 100 if done else 0,
            "rate": None,
            "read": False,
            "secondary_entity": None,
            "seen": False,
            "status": "finished" if done else "started",
            "username": event.username,
            "maintenance_policy_set": None,
            "description": None,
            "source": "user" if event.username else "platform",
            "not_before": None,
            "start_time": stamp(event.created),
            "complete_time": stamp(event.created + seconds) if seconds is not None else None,
        }

    def _linode(self, linode_id: int) -> Linode:
        linode = self.linodes.get(linode_id)
        if linode is None:
            raise not_found()
        return linode

    def _address(self) -> str:
        n = self._next_address
        self._next_address += 1
        return f"{_DOC_NETS[(n // 254) % len(_DOC_NETS)]}{n % 254 + 1}"
