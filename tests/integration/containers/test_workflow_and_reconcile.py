"""The provisioning state machine's redeploy path and the scheduled reconciliation."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from devstack.lambda_dispatch import LambdaContext
from functions.containers import reconcile
from tests.integration.containers.test_api import deploy, engine_containers, org_networks, settled_engine
from tests.support.api import Api

pytestmark = pytest.mark.docker


def test_changing_the_environment_redeploys_the_container(
    api: Api, default_host: str, test_image: str
) -> None:
    ann = api.user()
    record = deploy(ann, test_image)
    [old] = engine_containers(record["id"])
    reply = ann.call("PUT", f"/api/containers/{record['id']}", {"environment": {"GREETING": "hi"}})
    assert reply.status == 200 and reply.body["status"] == "provisioning"
    assert ann.wait_for(record["id"])["status"] == "running"
    [new] = settled_engine(record["id"], 1)
    assert new.id != old.id and "GREETING=hi" in new.attrs["Config"]["Env"]
    renamed = ann.call("PUT", f"/api/containers/{record['id']}", {"name": "renamed"})
    assert renamed.body["status"] == "running" and renamed.body["name"] == "renamed"
    assert [c.id for c in engine_containers(record["id"])] == [new.id]


def test_a_container_that_dies_shows_error_with_its_exit_code(
    api: Api, default_host: str, test_image: str
) -> None:
    ann = api.user()
    record = deploy(ann, test_image)
    [engine] = engine_containers(record["id"])
    engine.kill(signal="SIGKILL")
    result = reconcile.handler({}, LambdaContext("cs-ContainerReconcile"))
    assert result["changed"] >= 1
    after = ann.call("GET", f"/api/containers/{record['id']}").body
    assert after["status"] == "error" and after["exit_code"] == 137
    assert "137" in after["status_reason"]
    engine.start()
    reconcile.handler({}, LambdaContext("cs-ContainerReconcile"))
    assert ann.call("GET", f"/api/containers/{record['id']}").body["status"] == "running"


def test_engine_containers_without_a_record_are_removed_once_past_the_grace_period(
    api: Api, default_host: str, test_image: str
) -> None:
    ann = api.user()
    record = deploy(ann, test_image)
    from chalicelib.domain.containers.reconciler import ORPHAN_GRACE, ContainerReconciler
    from chalicelib.domain.shared.clock import utcnow
    from chalicelib.store import keys
    from chalicelib.store.containers.models import ContainerItem
    from chalicelib.store.containers.repository import ContainerRepository
    from chalicelib.store.hosts.repository import HostRepository
    from chalicelib.wiring.hosts import get_hosts

    ContainerItem(keys.org_pk(ann.org_id), keys.container_sk(record["id"])).delete()
    reconcile.handler({}, LambdaContext("cs-ContainerReconcile"))
    assert len(engine_containers(record["id"])) == 1, "a young engine container is left alone"
    later = ContainerReconciler(
        ContainerRepository(),
        HostRepository(),
        get_hosts().engine_for,
        clock=lambda: utcnow() + ORPHAN_GRACE + timedelta(seconds=1),
    )
    assert later.reconcile()["orphans_removed"] == 1
    assert engine_containers(record["id"]) == [] and org_networks(ann.org_id) == []


def test_a_container_killed_for_going_over_its_memory_says_so(
    api: Api, default_host: str, hog_image: str
) -> None:
    # Given: a main process that allocates 100 MiB under a 16 MiB limit
    ann = api.user()
    record = deploy(ann, hog_image, resources={"cpu": "0.1", "memory": "16Mi"}, ports=[], volumes=[])
    deadline = time.monotonic() + 30
    while engine_containers(record["id"])[0].attrs["State"]["Status"] != "exited":
        assert time.monotonic() < deadline, "the memory hog was not killed"
        time.sleep(0.2)
    # When
    reconcile.handler({}, LambdaContext("cs-ContainerReconcile"))
    # Then
    after = ann.call("GET", f"/api/containers/{record['id']}").body
    assert (after["status"], after["exit_code"]) == ("error", 137)
    assert after["status_reason"] == "The container ran out of memory (limit 16Mi) and was killed."
