"""Containers that target a Kubernetes cluster: placed without a host, deployed as a Deployment in their
organization's namespace, scaled, stopped, logged and deleted through the Kubernetes port."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from chalicelib.domain.clusters.entities import Cluster, ClusterSecret
from chalicelib.domain.clusters.kube import Workload
from chalicelib.domain.containers.entities import ContainerChanges, ContainerRequest, Resources
from chalicelib.domain.containers.on_cluster import OnClusters, namespace_of, workload_name
from chalicelib.domain.containers.provisioning import ContainerProvisioner
from chalicelib.domain.containers.service import ContainerService
from chalicelib.domain.hosts.engine import PortBinding, VolumeMount
from chalicelib.domain.hosts.entities import Allocation
from chalicelib.domain.shared.errors import (
    Conflict,
    EngineError,
    EngineUnavailable,
    NotFound,
    ValidationFailed,
)
from tests.fakes.clusters import FakeClusters, FakeKube
from tests.unit.containers.world import ANN, BOB, MI, World

CLUSTER = Cluster(
    "c1",
    "sandbox",
    "http://127.0.0.1:6443",
    False,
    datetime(2026, 1, 1, tzinfo=UTC),
    datetime(2026, 1, 1, tzinfo=UTC),
)


class ClusterWorld(World):
    def __init__(self) -> None:
        super().__init__()
        self.clusters = FakeClusters(self.containers)
        self.clusters.add(CLUSTER, ClusterSecret(None, "sealed"))
        self.kube = FakeKube()
        on = OnClusters(self.clusters, lambda c: self.kube, clock=self.clock)
        self.service = ContainerService(
            self.containers, self.hosts, self.engine_for, self.workflows, clock=self.clock, clusters=on
        )
        self.provisioner = ContainerProvisioner(
            self.containers,
            self.hosts,
            self.engine_for,
            publish_ip="127.0.0.1",
            clock=self.clock,
            clusters=on,
        )


def on_cluster(image: str = "web:1", cluster_id: str = "c1", **fields: object) -> ContainerRequest:
    base = ContainerRequest(
        name="web",
        image=image,
        resources=Resources(250, 64 * MI),
        environment={"A": "1"},
        ports=(PortBinding(80),),
        cluster_id=cluster_id,
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def test_a_container_on_a_cluster_claims_nothing_on_a_host_and_starts_provisioning() -> None:
    # Given a host and a cluster
    world = ClusterWorld()
    # When a container is created on the cluster
    created = world.service.create(ANN, on_cluster())
    # Then it targets the cluster, holds no host capacity and its workflow started
    assert (created.cluster_id, created.host_id, created.status) == ("c1", None, "provisioning")
    assert world.allocated() == Allocation(0, 0)
    assert f"{created.id}-g1" in world.workflows.started


def test_an_unknown_cluster_volumes_or_a_host_port_are_refused_naming_the_field() -> None:
    world = ClusterWorld()
    with pytest.raises(ValidationFailed) as unknown:
        world.service.create(ANN, on_cluster(cluster_id="nope"))
    assert unknown.value.details == {"field": "cluster_id"}
    with pytest.raises(ValidationFailed) as volumes:
        world.service.create(ANN, on_cluster(volumes=(VolumeMount("data", "/data"),)))
    assert volumes.value.details == {"field": "volumes"}
    with pytest.raises(ValidationFailed) as host_port:
        world.service.create(ANN, on_cluster(ports=(PortBinding(80, 8080),)))
    assert host_port.value.details == {"field": "ports"}
    with pytest.raises(ValidationFailed):  # no cluster registry wired: every cluster is unknown
        World().service.create(ANN, on_cluster())


def test_provisioning_deploys_in_the_organizations_namespace_and_runs_with_its_pods() -> None:
    # Given containers of two organizations on the cluster
    world = ClusterWorld()
    ann = world.service.create(ANN, on_cluster())
    bob = world.service.create(BOB, on_cluster())
    # When both are provisioned
    world.provision("o1", ann.id)
    world.provision("o2", bob.id)
    # Then each runs in its own organization's namespace, with the record's resources and replicas
    assert set(world.kube.namespaces) == {namespace_of("o1"), namespace_of("o2")}
    w = world.kube.workloads[(namespace_of("o1"), workload_name(ann.id))]
    assert (w.image, w.cpu_millis, w.memory_bytes, w.replicas) == ("web:1", 250, 64 * MI, 1)
    running = world.record(ann.id)
    assert running.status == "running" and len(running.engine_ids) == 1


def test_a_rollout_that_is_still_going_is_retried_not_failed() -> None:
    world = ClusterWorld()
    world.kube.slow = True
    created = world.service.create(ANN, on_cluster())
    with pytest.raises(EngineUnavailable):
        world.provisioner.converge("o1", created.id, 1)


def test_a_first_deployment_that_fails_is_removed_and_the_record_says_why() -> None:
    world = ClusterWorld()
    world.kube.failing_images.add("ghost:1")
    created = world.service.create(ANN, on_cluster(image="ghost:1"))
    world.run_workflow("o1", created.id)
    failed = world.record(created.id)
    assert failed.status == "error" and "ProgressDeadlineExceeded" in (failed.status_reason or "")
    assert world.kube.workloads == {}


def test_a_failed_update_puts_the_previous_version_back_on_the_cluster_and_the_record() -> None:
    # Given a running container
    world = ClusterWorld()
    created = world.service.create(ANN, on_cluster())
    world.provision("o1", created.id)
    # When an update to an image that cannot be pulled fails
    world.kube.failing_images.add("ghost:1")
    world.service.update(ANN, created.id, ContainerChanges(image="ghost:1"))
    world.run_workflow("o1", created.id)
    # Then the cluster and the record run the previous image again, saying what failed
    kept = world.record(created.id)
    assert kept.image == "web:1" and kept.status == "running"
    assert "ghost:1" in (kept.status_reason or "")
    assert world.kube.workloads[(namespace_of("o1"), workload_name(created.id))].image == "web:1"


def test_scaling_sets_the_replicas_and_new_resources_roll_the_pods() -> None:
    world = ClusterWorld()
    created = world.service.create(ANN, on_cluster())
    world.provision("o1", created.id)
    world.service.scale(ANN, created.id, 3, None)
    world.provision("o1", created.id)
    assert len(world.record(created.id).engine_ids) == 3
    world.service.scale(ANN, created.id, None, Resources(500, 128 * MI))
    w = world.kube.workloads[(namespace_of("o1"), workload_name(created.id))]
    assert (w.replicas, w.cpu_millis, w.memory_bytes) == (3, 500, 128 * MI)
    assert world.allocated() == Allocation(0, 0)


def test_stop_scales_to_zero_start_scales_back_and_restart_rolls_the_pods() -> None:
    world = ClusterWorld()
    created = world.service.create(ANN, on_cluster())
    world.provision("o1", created.id)
    key = (namespace_of("o1"), workload_name(created.id))
    assert world.service.stop(ANN, created.id).status == "stopped"
    assert world.kube.workloads[key].replicas == 0
    assert world.service.start(ANN, created.id).status == "running"
    assert world.kube.workloads[key].replicas == 1
    world.service.restart(ANN, created.id)
    assert world.kube.restarts == 1


def test_a_deployment_deleted_outside_is_reported_gone() -> None:
    world = ClusterWorld()
    created = world.service.create(ANN, on_cluster())
    world.provision("o1", created.id)
    world.kube.workloads.clear()
    with pytest.raises(Conflict, match="disappeared"):
        world.service.stop(ANN, created.id)
    assert world.record(created.id).status == "error"


def test_logs_come_from_every_replica_and_metrics_are_not_collected_yet() -> None:
    world = ClusterWorld()
    created = world.service.create(ANN, on_cluster())
    world.provision("o1", created.id)
    world.service.scale(ANN, created.id, 2, None)
    world.provision("o1", created.id)
    lines = world.service.logs(ANN, created.id, 10, None)
    assert sorted((r.replica, r.line.message) for r in lines) == [
        (0, "replica 0 of web:1"),
        (1, "replica 1 of web:1"),
    ]
    with pytest.raises(Conflict, match="not collected"):
        world.service.metrics(ANN, created.id)


def test_a_container_whose_cluster_was_removed_can_still_be_deleted() -> None:
    world = ClusterWorld()
    created = world.service.create(ANN, on_cluster())
    world.provision("o1", created.id)
    world.clusters.clusters.clear()  # removed while the index had not shown the container yet
    world.service.delete(ANN, created.id, purge_volumes=False)
    with pytest.raises(NotFound):
        world.service.get(ANN, created.id)


def test_delete_removes_the_deployment_and_frees_the_cluster() -> None:
    world = ClusterWorld()
    created = world.service.create(ANN, on_cluster())
    world.provision("o1", created.id)
    world.service.delete(ANN, created.id, purge_volumes=False)
    assert world.kube.workloads == {}
    assert not world.clusters.in_use("c1")


def test_a_deployment_applied_while_its_record_is_deleted_is_taken_down() -> None:
    # Given a provisioning run that applies the Deployment while the container is being deleted
    world = ClusterWorld()
    created = world.service.create(ANN, on_cluster())
    apply = world.kube.apply

    def apply_while_deleted(w: Workload) -> None:
        apply(w)
        world.containers.items.pop(("o1", created.id))  # the delete lands meanwhile

    world.kube.apply = apply_while_deleted  # type: ignore[method-assign,assignment]
    # When the run finishes applying, Then it sees the record gone and takes its Deployment down
    assert world.provisioner.converge("o1", created.id, 1) is None
    assert world.kube.workloads == {}


def test_a_cluster_refusal_fails_the_rollout_with_its_message() -> None:
    world = ClusterWorld()
    created = world.service.create(ANN, on_cluster())
    world.kube.namespaces["cs-o1"] = {}

    def refuse(_: object) -> None:
        raise EngineError("Kubernetes refused the request: forbidden")

    world.kube.apply = refuse  # type: ignore[method-assign,assignment]
    world.run_workflow("o1", created.id)
    assert "forbidden" in (world.record(created.id).status_reason or "")
