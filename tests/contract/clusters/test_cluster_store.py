"""The Clusters port, run against ClusterRepository on moto and against FakeClusters."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.clusters.entities import Cluster, ClusterSecret
from chalicelib.domain.clusters.ports import Clusters
from chalicelib.domain.containers.ports import Containers
from chalicelib.domain.hosts.entities import Allocation
from chalicelib.domain.shared.errors import NotFound
from chalicelib.store.clusters.repository import ClusterRepository
from chalicelib.store.containers.repository import ContainerRepository
from tests.contract.builders import container, new_id
from tests.contract.conftest import IMPLEMENTATIONS, _bind_real_tables
from tests.fakes.clusters import FakeClusters
from tests.fakes.containers import FakeContainers
from tests.fakes.hosts import FakeHosts

WHEN = datetime(2026, 1, 1, tzinfo=UTC)
SECRET = ClusterSecret(
    ca_cert="-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", token_encrypted="c2VhbGVk"
)


@dataclass(frozen=True)
class Stores:
    clusters: Clusters
    containers: Containers


@pytest.fixture(params=IMPLEMENTATIONS)
def stores(request: pytest.FixtureRequest) -> Stores:
    if request.param == "dynamodb":
        _bind_real_tables(request)
        return Stores(ClusterRepository(), ContainerRepository())
    containers = FakeContainers(FakeHosts())
    return Stores(FakeClusters(containers), containers)


def cluster(name: str = "sandbox") -> Cluster:
    return Cluster(new_id(), name, "https://k8s.example.com:6443", True, WHEN, WHEN)


def test_an_added_cluster_and_its_secret_read_back_as_written(stores: Stores) -> None:
    added = cluster()
    stores.clusters.add(added, SECRET)
    assert stores.clusters.get(added.id) == added
    assert stores.clusters.get_secret(added.id) == SECRET
    assert stores.clusters.list_all() == [added]


def test_an_update_replaces_the_record_and_the_secret(stores: Stores) -> None:
    added = cluster()
    stores.clusters.add(added, SECRET)
    moved = replace(
        added, name="prod", endpoint="https://k8s.example.org", updated_at=WHEN + timedelta(hours=1)
    )
    stores.clusters.update(moved, ClusterSecret(None, "cm90YXRlZA=="))
    assert stores.clusters.get(added.id) == replace(moved, has_ca=False)
    assert stores.clusters.get_secret(added.id).token_encrypted == "cm90YXRlZA=="


def test_a_missing_cluster_is_not_found_for_every_operation(stores: Stores) -> None:
    missing = cluster()
    for operation in (
        lambda: stores.clusters.get(missing.id),
        lambda: stores.clusters.get_secret(missing.id),
        lambda: stores.clusters.update(missing, SECRET),
        lambda: stores.clusters.remove(missing.id),
    ):
        with pytest.raises(NotFound):
            operation()


def test_a_cluster_is_in_use_while_a_container_targets_it(stores: Stores) -> None:
    # Given a cluster and a container stored on it (no host)
    added = cluster()
    stores.clusters.add(added, SECRET)
    assert not stores.clusters.in_use(added.id)
    on_it = replace(container(new_id(), None), cluster_id=added.id, volumes=())
    stores.containers.create_on_host(on_it, Allocation(0, 0))
    # Then it reads back on the cluster and the cluster is in use until the container is deleted
    assert stores.containers.get(on_it.organization_id, on_it.id).cluster_id == added.id
    assert stores.clusters.in_use(added.id)
    stores.containers.delete_and_release(on_it)
    assert not stores.clusters.in_use(added.id)
    stores.clusters.remove(added.id)
    assert stores.clusters.list_all() == []
