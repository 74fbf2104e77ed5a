"""Where notices are raised: a container that runs, fails or crashes, money running out (fakes throughout)."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.billing.entities import BillingPolicy
from chalicelib.domain.billing.suspension import Suspension
from chalicelib.domain.containers.entities import ContainerChanges
from chalicelib.domain.containers.provisioning import ContainerProvisioner
from chalicelib.domain.containers.reconciler import ContainerReconciler
from chalicelib.domain.shared.notices import Notice
from tests.unit.billing.test_suspension import Directory, Engine, Mail, States, Workloads
from tests.unit.containers.world import ANN, World, request


class Told:
    def __init__(self) -> None:
        self.notices: list[Notice] = []

    def notify(self, notice: Notice) -> None:
        self.notices.append(notice)

    @property
    def kinds(self) -> list[str]:
        return [n.kind for n in self.notices]


def told_world() -> tuple[World, Told]:
    world, told = World(), Told()
    world.provisioner = ContainerProvisioner(
        world.containers,
        world.hosts,
        world.engine_for,
        publish_ip="127.0.0.1",
        clock=world.clock,
        notifier=told,
    )
    world.reconciler = ContainerReconciler(
        world.containers, world.hosts, world.engine_for, clock=world.clock, notifier=told
    )
    return world, told


def test_a_container_that_starts_running_is_told_once() -> None:
    world, told = told_world()
    created = world.service.create(ANN, request())
    world.provision("o1", created.id)
    world.provision("o1", created.id)  # the step ran again (a retry): nothing new to tell
    assert told.kinds == ["container.running"]
    [notice] = told.notices
    assert (notice.organization_id, notice.resource_type, notice.resource_id) == (
        "o1",
        "container",
        created.id,
    )
    assert notice.user_id is None  # every member


def test_a_first_deployment_that_fails_is_told_with_its_reason() -> None:
    world, told = told_world()
    created = world.service.create(ANN, request(image="missing:1"))
    world.run_workflow("o1", created.id)
    [notice] = told.notices
    assert notice.kind == "container.failed" and "failed to deploy" in notice.title
    assert "missing:1" in notice.body and notice.data["status"] == "error"


def test_a_failed_update_says_the_previous_version_runs_on() -> None:
    world, told = told_world()
    created = world.service.create(ANN, request())
    world.provision("o1", created.id)
    world.service.update(ANN, created.id, ContainerChanges(image="missing:2"))
    world.run_workflow("o1", created.id)
    assert told.kinds == ["container.running", "container.failed"]
    assert "update" in told.notices[1].title and "previous version" in told.notices[1].body


def test_a_crash_and_an_out_of_memory_kill_found_by_the_reconciler_are_told() -> None:
    world, told = told_world()
    created = world.service.create(ANN, request())
    world.provision("o1", created.id)
    [engine_id] = world.record(created.id).engine_ids
    world.engines["h1"].die(engine_id, 137, oom_killed=True)
    world.reconciler.reconcile_host(world.hosts.get("h1"))
    world.reconciler.reconcile_host(world.hosts.get("h1"))  # nothing changed since: nothing new
    assert told.kinds == ["container.running", "container.failed"]
    assert "ran out of memory" in told.notices[1].body


def test_money_running_out_is_told_once_per_level_then_suspension_and_resumption() -> None:
    told = Told()
    suspension = Suspension(
        States(),
        Workloads(Engine()),
        Mail(),
        Directory(),
        BillingPolicy(grace_seconds=0),
        clock=lambda: datetime(2026, 3, 1, tzinfo=UTC),
        notifier=told,
    )
    suspension.review("o1", 500, 1_000_000)  # 5 hours left
    suspension.review("o1", 400, 1_000_000)  # still below the same level: told already
    suspension.review("o1", -1, 1_000_000)
    suspension.funded("o1", 2000)
    assert told.kinds == ["billing.low_balance", "billing.suspended", "billing.resumed"]
    assert told.notices[1].data["stopped"] == ["c1", "c2"]
