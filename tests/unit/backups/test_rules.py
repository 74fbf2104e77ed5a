"""The backup rules without an engine: what may be backed up, restored and deleted; schedules coming due."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.backups.entities import COMPLETED, PENDING, BackupRequest
from chalicelib.domain.backups.scheduler import BackupScheduler
from chalicelib.domain.backups.service import BackupService
from chalicelib.domain.containers.entities import Container, Resources
from chalicelib.domain.hosts.engine import VolumeMount
from chalicelib.domain.shared.errors import Conflict, NotFound, ServiceUnavailable, ValidationFailed
from chalicelib.domain.shared.principal import Principal
from tests.fakes.backups import FakeArchives, FakeBackups, FakeContainerReads
from tests.fakes.shared import FakeWorkflows
from tests.fakes.support import RecordingNotifier

ORG = "org-1"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
ANN = Principal(user_id="ann", role="user", token_id="t", token_expires=0, organization_id=ORG)


def container(
    cid: str = "c1", volumes: tuple[str, ...] = ("data", "logs"), host: str | None = "h1"
) -> Container:
    return Container(
        id=cid,
        organization_id=ORG,
        name=f"db-{cid}",
        image="web:1",
        resources=Resources(100, 32 * 2**20),
        environment={},
        ports=(),
        volumes=tuple(VolumeMount(v, f"/{v}") for v in volumes),
        replicas=1,
        status="running",
        status_reason=None,
        exit_code=None,
        host_id=host,
        engine_ids=("e1",),
        generation=1,
        version=1,
        created_by="ann",
        created_at=NOW,
        updated_at=NOW,
    )


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


World = tuple[BackupService, FakeBackups, FakeWorkflows, FakeContainerReads, Clock]


@pytest.fixture
def world() -> World:
    clock = Clock()
    backups, workflows = FakeBackups(), FakeWorkflows()
    reads = FakeContainerReads(container(), container("bare", volumes=()), container("unplaced", host=None))
    return (
        BackupService(backups, reads, FakeArchives(), workflows, clock=clock),
        backups,
        workflows,
        reads,
        clock,
    )


def test_a_backup_takes_all_volumes_by_default_or_those_named(world: World) -> None:
    service, _, workflows, _, _ = world
    every = service.create(ANN, BackupRequest("c1"))
    some = service.create(ANN, BackupRequest("c1", volumes=("logs",)))
    assert (every.volumes, some.volumes) == (("data", "logs"), ("logs",))
    assert every.status == PENDING
    assert set(workflows.started) == {every.id, some.id}  # one workflow each, named after the backup


@pytest.mark.parametrize(
    ("request_", "error", "field"),
    [
        (BackupRequest("c1", volumes=("nope",)), ValidationFailed, "volumes"),
        (BackupRequest("c1", volumes=("data", "data")), ValidationFailed, "volumes"),
        (BackupRequest("bare"), Conflict, "volumes"),
        (BackupRequest("unplaced"), Conflict, "container_id"),
        (BackupRequest("c1", retention=0), ValidationFailed, "retention"),
        (BackupRequest("c1", schedule="* * *"), ValidationFailed, "schedule"),
    ],
)
def test_what_cannot_be_backed_up_is_refused_naming_the_field(
    world: World,
    request_: BackupRequest,
    error: type[Exception],
    field: str,
) -> None:
    service, backups, workflows, _, _ = world
    with pytest.raises(error) as refused:
        service.create(ANN, request_)
    assert field in str(getattr(refused.value, "details", ""))
    assert backups.items == {} and workflows.started == {}


def test_another_organizations_container_is_not_found(world: World) -> None:
    service = world[0]
    with pytest.raises(NotFound):
        service.create(replace(ANN, organization_id="org-2"), BackupRequest("c1"))


def test_only_a_completed_backup_is_restored_and_a_pending_one_is_not_deleted(world: World) -> None:
    service, backups, workflows, _, _ = world
    pending = service.create(ANN, BackupRequest("c1"))
    with pytest.raises(Conflict):
        service.restore(ANN, pending.id)
    with pytest.raises(Conflict):
        service.delete(ANN, pending.id)
    done = replace(pending, status=COMPLETED, size_bytes=10, sha256="x", version=2)
    backups.items[(ORG, pending.id)] = done
    restoring = service.restore(ANN, pending.id)
    assert restoring.restore_status == "restoring"
    assert f"{pending.id}-restore-1" in workflows.started
    with pytest.raises(Conflict):  # one restore at a time
        service.restore(ANN, pending.id)


def test_a_schedule_runs_when_due_says_when_it_was_missed_and_moves_on(world: World) -> None:
    service, backups, workflows, reads, clock = world
    notifier = RecordingNotifier()
    scheduler = BackupScheduler(backups, reads, service, notifier, clock=clock)
    first = service.create(ANN, BackupRequest("c1", schedule="0 3 * * *", retention=3))
    schedule = backups.schedule(ORG, "c1")
    assert schedule is not None and schedule.next_run_at == datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
    assert scheduler.run_due().started == 0  # not due yet

    # On time (within ten minutes): a scheduled backup, no notice
    clock.now = datetime(2026, 11, 28, 3, 5, tzinfo=UTC)
    assert (scheduler.run_due().started, notifier.notices) == (1, [])
    moved = backups.schedule(ORG, "c1")
    assert moved is not None and moved.next_run_at == datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    taken = [b for b in backups.of_container(ORG, "c1") if b.id != first.id]
    assert taken[0].scheduled and taken[0].retention == 3 and moved.last_backup_id == taken[0].id

    # Two hours late: taken now, and the organization is told it was missed
    clock.now = datetime(2026, 11, 29, 5, 0, tzinfo=UTC)
    run = scheduler.run_due()
    assert (run.started, run.missed) == (1, 1)
    assert [n.kind for n in notifier.notices] == ["backup.missed"]
    assert len(workflows.started) == 3


def test_a_scheduled_backup_that_cannot_start_is_reported_and_a_schedule_without_container_goes(
    world: World,
) -> None:
    service, backups, _, reads, clock = world
    notifier = RecordingNotifier()
    scheduler = BackupScheduler(backups, reads, service, notifier, clock=clock)
    service.create(ANN, BackupRequest("c1", schedule="*/5 * * * *"))
    del reads.items[(ORG, "c1")]
    clock.now += timedelta(minutes=5)
    assert scheduler.run_due().failed == 1
    assert [n.kind for n in notifier.notices] == ["backup.failed"]
    assert backups.schedule(ORG, "c1") is None


def test_a_workflow_that_cannot_start_leaves_the_backup_failed(world: World) -> None:
    service, backups, workflows, _, _ = world

    def down(name: str, execution_name: str, payload: object) -> str:
        raise ServiceUnavailable("no")

    workflows.start = down  # type: ignore[method-assign,assignment]
    with pytest.raises(ServiceUnavailable):
        service.create(ANN, BackupRequest("c1"))
    [failed] = backups.items.values()
    assert failed.status == "failed" and failed.status_reason
