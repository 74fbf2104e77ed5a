"""Redeploys and scale-outs on the real engine: the new version starts before the old goes, a failed change
leaves the previous version serving, and the reconciler leaves young or unindexed engine containers alone."""

from __future__ import annotations

import uuid
from datetime import timedelta

import docker
import pytest

from chalicelib.domain.containers.naming import engine_name
from chalicelib.domain.hosts.entities import Allocation
from chalicelib.domain.shared.clock import utcnow
from chalicelib.domain.shared.ids import new_ulid
from tests.integration.containers.test_api import (
    deploy,
    engine_containers,
    free_port,
    get_page,
    settled_engine,
)
from tests.support.api import Api
from tests.support.docker_fixtures import TEST_RUN_LABEL
from tests.support.images import PAGE

pytestmark = pytest.mark.docker


def test_a_redeploy_to_a_missing_image_keeps_the_old_container_serving_on_its_port(
    api: Api, default_host: str, test_image: str
) -> None:
    ann = api.user()
    port = free_port()
    record = deploy(ann, test_image, port)
    [old] = engine_containers(record["id"])
    reply = ann.call("PUT", f"/api/containers/{record['id']}", {"image": "cs-test-missing:typo"})
    assert reply.status == 200 and reply.body["status"] == "provisioning"
    after = ann.wait_for(record["id"])
    assert (after["status"], after["image"]) == ("running", test_image)
    assert after["status_reason"].startswith("The update to image 'cs-test-missing:typo' failed: ")
    assert after["status_reason"].endswith("the previous version is still running.")
    [still] = engine_containers(record["id"])
    assert still.id == old.id and still.status == "running"
    assert PAGE in get_page(port)


def test_a_redeploy_on_a_fixed_port_replaces_the_old_container(
    api: Api, default_host: str, test_image: str
) -> None:
    ann = api.user()
    port = free_port()
    record = deploy(ann, test_image, port)
    [old] = engine_containers(record["id"])
    reply = ann.call("PUT", f"/api/containers/{record['id']}", {"environment": {"GREETING": "hi"}})
    assert reply.status == 200
    after = ann.wait_for(record["id"])
    assert after["status"] == "running" and after["status_reason"] is None
    [new] = settled_engine(record["id"], 1)
    assert new.id != old.id and "GREETING=hi" in new.attrs["Config"]["Env"]
    assert PAGE in get_page(port)


def test_scale_out_beyond_what_the_engine_starts_keeps_the_previous_replica(
    api: Api, default_host: str, test_image: str, run_id: str
) -> None:
    from chalicelib.store.hosts.repository import HostRepository

    ann = api.user()
    record = deploy(ann, test_image)
    [old] = engine_containers(record["id"])
    client = docker.from_env()
    try:  # the engine cannot start the third replica: its name is taken on the host
        client.containers.create(
            test_image, name=engine_name(record["id"], 2, 2), labels={TEST_RUN_LABEL: run_id}
        )
        squatter = client.containers.get(engine_name(record["id"], 2, 2)).id
    finally:
        client.close()
    reply = ann.call("POST", f"/api/containers/{record['id']}/scale", {"replicas": 3})
    assert reply.status == 200 and reply.body["status"] == "provisioning"
    after = ann.wait_for(record["id"])
    assert (after["status"], after["replicas"]) == ("running", 1)
    assert after["status_reason"].startswith("Scaling to 3 replicas failed: ")
    assert squatter not in after["status_reason"] and squatter[:12] not in after["status_reason"]
    assert [c.id for c in engine_containers(record["id"])] == [old.id]
    assert HostRepository().get(default_host).allocated == Allocation(500, 64 * 2**20)


def test_the_reconciler_leaves_young_and_unindexed_engine_containers_alone(
    api: Api, default_host: str, test_image: str
) -> None:
    from chalicelib.domain.containers.naming import (
        LABEL_CONTAINER,
        LABEL_HOST,
        LABEL_MANAGED,
        LABEL_ORG,
        MANAGED_BY,
    )
    from chalicelib.domain.containers.reconciler import ContainerReconciler
    from chalicelib.domain.hosts.engine import ContainerSpec
    from chalicelib.store import keys
    from chalicelib.store.containers.models import ContainerItem
    from chalicelib.store.containers.repository import ContainerRepository
    from chalicelib.store.hosts.repository import HostRepository
    from chalicelib.wiring.hosts import get_hosts

    ann = api.user()
    record = deploy(ann, test_image)
    [listed] = engine_containers(record["id"])
    item = ContainerItem.get(keys.org_pk(ann.org_id), keys.container_sk(record["id"]), consistent_read=True)
    item.gsi1pk = item.gsi1sk = None  # as if the index had not caught up with the record yet
    item.save()
    host = HostRepository().get(default_host)
    orphan = (
        get_hosts()
        .engine_for(host)
        .create_and_start(
            ContainerSpec(
                name=f"cs-test-orphan-{uuid.uuid4().hex[:8]}",
                image=test_image,
                cpu=0.1,
                memory_bytes=16 * 2**20,
                labels={
                    LABEL_MANAGED: MANAGED_BY,
                    LABEL_HOST: host.id,
                    LABEL_ORG: ann.org_id,
                    LABEL_CONTAINER: new_ulid(),
                },
            )
        )
    )

    def reconciler(ahead: timedelta) -> ContainerReconciler:
        return ContainerReconciler(
            ContainerRepository(), HostRepository(), get_hosts().engine_for, clock=lambda: utcnow() + ahead
        )

    assert reconciler(timedelta(0)).reconcile()["orphans_removed"] == 0
    assert reconciler(timedelta(minutes=3)).reconcile()["orphans_removed"] == 1
    client = docker.from_env()
    try:
        assert [c.id for c in client.containers.list(all=True, filters={"id": orphan.id})] == []
        assert client.containers.get(listed.id).status == "running"
    finally:
        client.close()
    assert ann.call("GET", f"/api/containers/{record['id']}").body["status"] == "running"
