"""A world of fakes for container tests: hosts, engines, the store, workflows and a clock that tests move."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from chalicelib.domain.containers.entities import Container, ContainerRequest, Resources
from chalicelib.domain.containers.provisioning import ContainerProvisioner
from chalicelib.domain.containers.reconciler import ContainerReconciler
from chalicelib.domain.containers.service import ContainerService
from chalicelib.domain.hosts.engine import ContainerEngine, PortBinding, VolumeMount
from chalicelib.domain.hosts.entities import Allocation, Host
from chalicelib.domain.shared.principal import Principal
from tests.fakes.containers import FakeContainers
from tests.fakes.hosts import FakeEngine, FakeHosts, host
from tests.fakes.shared import FakeWorkflows

ANN = Principal(
    user_id="u1", role="user", token_id="t", token_expires=0, organization_id="o1", organization_role="owner"
)
BOB = replace(ANN, user_id="u2", organization_id="o2")
MI = 2**20


class World:
    def __init__(self, *hosts: Host) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)
        self.hosts = FakeHosts(*(hosts or (host(),)))
        self.containers = FakeContainers(self.hosts)
        self.engines: dict[str, FakeEngine] = {
            h.id: FakeEngine(clock=self.clock) for h in self.hosts.list_all()
        }
        self.workflows = FakeWorkflows()
        self.service = ContainerService(
            self.containers, self.hosts, self.engine_for, self.workflows, clock=self.clock
        )
        self.provisioner = ContainerProvisioner(
            self.containers, self.hosts, self.engine_for, publish_ip="127.0.0.1", clock=self.clock
        )
        self.reconciler = ContainerReconciler(self.containers, self.hosts, self.engine_for, clock=self.clock)

    def clock(self) -> datetime:
        return self.now

    def later(self, **delta: float) -> None:
        """Move the clock on."""
        self.now += timedelta(**delta)

    def engine_for(self, h: Host) -> ContainerEngine:
        return self.engines[h.id]

    def provision(self, org: str, container_id: str) -> None:
        """Run the workflow's happy path as the state machine would."""
        c = self.containers.get(org, container_id)
        ids = self.provisioner.converge(org, container_id, c.generation)
        assert ids is not None
        self.provisioner.mark_running(org, container_id, c.generation, ids)

    def run_workflow(self, org: str, container_id: str) -> None:
        """The whole state machine: converge and mark running, or on an error clean up with its message."""
        c = self.containers.get(org, container_id)
        try:
            ids = self.provisioner.converge(org, container_id, c.generation)
            if ids is not None:
                self.provisioner.mark_running(org, container_id, c.generation, ids)
        except Exception as exc:
            self.provisioner.fail(org, container_id, c.generation, getattr(exc, "message", str(exc)))

    def allocated(self, host_id: str = "h1") -> Allocation:
        return self.hosts.get(host_id).allocated

    def held_on(self, host_id: str = "h1") -> Allocation:
        """What the records say they hold on a host (equals its allocation when capacity is consistent)."""
        total = Allocation(0, 0)
        for c in self.containers.items.values():
            if c.host_id == host_id:
                total = total + c.held()
        return total

    def record(self, container_id: str, org: str = "o1") -> Container:
        return self.containers.get(org, container_id)


def request(
    cpu: int = 500,
    memory: int = 64 * MI,
    image: str = "web:1",
    host_port: int | None = 8080,
    name: str = "web",
) -> ContainerRequest:
    return ContainerRequest(
        name=name,
        image=image,
        resources=Resources(cpu, memory),
        environment={"A": "1"},
        ports=(PortBinding(80, host_port),),
        volumes=(VolumeMount("data", "/data"),),
    )
