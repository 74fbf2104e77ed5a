"""The cluster registry: admins register clusters whose token is stored encrypted and probed first."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.clusters.entities import ClusterRequest, token_context
from chalicelib.domain.clusters.service import ClusterService
from chalicelib.domain.shared.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from chalicelib.domain.shared.principal import Principal
from tests.fakes.clusters import FakeClusters, FakeKube, FakeKubeConnector
from tests.fakes.containers import FakeContainers
from tests.fakes.hosts import FakeHosts
from tests.fakes.shared import FakeSecretBox
from tests.unit.containers.world import ANN

ADMIN = Principal(user_id="admin", role="admin", token_id="t", token_expires=0)
SANDBOX = ClusterRequest(name="sandbox", endpoint="http://127.0.0.1:6443", token="good")
PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


class Registry:
    def __init__(self) -> None:
        self.containers = FakeContainers(FakeHosts())
        self.store = FakeClusters(self.containers)
        self.kube = FakeKube()
        self.connect = FakeKubeConnector(self.kube)
        self.box = FakeSecretBox()
        self.service = ClusterService(self.store, self.connect, self.box)


def test_a_registered_cluster_keeps_its_token_only_encrypted_for_that_cluster() -> None:
    # Given an admin and a cluster that answers with the token
    registry = Registry()
    # When the admin registers it
    cluster = registry.service.add(ADMIN, SANDBOX)
    # Then the record has no token, and the stored one opens only with the cluster's own context
    assert (cluster.name, cluster.endpoint, cluster.has_ca) == ("sandbox", "http://127.0.0.1:6443", False)
    stored = registry.store.get_secret(cluster.id)
    assert "good" not in stored.token_encrypted
    assert registry.box.decrypt(stored.token_encrypted, token_context(cluster.id)) == "good"
    with pytest.raises(ValueError):
        registry.box.decrypt(stored.token_encrypted, token_context("another"))
    assert registry.service.list_clusters(ADMIN) == [cluster]


def test_a_token_the_cluster_refuses_or_an_endpoint_that_does_not_answer_is_not_registered() -> None:
    registry = Registry()
    with pytest.raises(ValidationFailed) as refused:
        registry.service.add(ADMIN, replace(SANDBOX, token="bad"))
    assert refused.value.details == {"field": "token"}
    registry.kube.down = True
    with pytest.raises(ValidationFailed) as silent:
        registry.service.add(ADMIN, SANDBOX)
    assert silent.value.details == {"field": "endpoint"}
    assert registry.store.list_all() == []


@pytest.mark.parametrize(
    ("endpoint", "ca_cert", "field"),
    [
        ("https://k8s.example.com:6443", None, "ca_cert"),
        ("http://k8s.example.com:6443", None, "endpoint"),
        ("ftp://127.0.0.1", None, "endpoint"),
    ],
)
def test_https_needs_its_ca_and_plain_http_is_for_the_loopback_sandbox_only(
    endpoint: str, ca_cert: str | None, field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        Registry().service.add(ADMIN, replace(SANDBOX, endpoint=endpoint, ca_cert=ca_cert))
    assert refused.value.details == {"field": field}


def test_an_https_cluster_with_its_ca_is_registered_and_connected_with_it() -> None:
    registry = Registry()
    cluster = registry.service.add(ADMIN, replace(SANDBOX, endpoint="https://k8s.example.com", ca_cert=PEM))
    assert cluster.has_ca
    registry.service.api_for(cluster)
    assert registry.connect.seen[-1].ca_cert == PEM and registry.connect.seen[-1].token == "good"


def test_only_admins_manage_clusters() -> None:
    registry = Registry()
    with pytest.raises(PermissionDenied):
        registry.service.add(ANN, SANDBOX)
    with pytest.raises(PermissionDenied):
        registry.service.list_clusters(ANN)


def test_rotating_the_token_probes_the_new_one_and_a_rename_does_not_reconnect() -> None:
    registry = Registry()
    cluster = registry.service.add(ADMIN, SANDBOX)
    probes = len(registry.connect.seen)
    renamed = registry.service.update(ADMIN, cluster.id, ClusterRequest(name="prod"))
    assert renamed.name == "prod" and len(registry.connect.seen) == probes
    registry.kube.token = "rotated"
    registry.service.update(ADMIN, cluster.id, ClusterRequest(token="rotated"))
    stored = registry.store.get_secret(cluster.id)
    assert registry.box.decrypt(stored.token_encrypted, token_context(cluster.id)) == "rotated"
    with pytest.raises(ValidationFailed):
        registry.service.update(ADMIN, cluster.id, ClusterRequest(token="stale"))


def test_a_cluster_that_containers_use_is_not_removed() -> None:
    from tests.contract.builders import container

    registry = Registry()
    cluster = registry.service.add(ADMIN, SANDBOX)
    running = replace(container("o1", None), cluster_id=cluster.id, volumes=())
    registry.containers.create_on_host(running, running.held())
    with pytest.raises(Conflict):
        registry.service.remove(ADMIN, cluster.id)
    registry.containers.items.clear()
    registry.service.remove(ADMIN, cluster.id)
    with pytest.raises(NotFound):
        registry.service.get(ADMIN, cluster.id)


def test_a_client_is_made_once_per_cluster_version() -> None:
    registry = Registry()
    cluster = registry.service.add(ADMIN, SANDBOX)
    first = registry.service.api_for(cluster)
    assert registry.service.api_for(cluster) is first
