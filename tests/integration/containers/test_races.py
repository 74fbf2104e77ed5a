"""Host capacity under concurrent creates, scales and deletes over the API, on the real engine and moto:
claimed and given back exactly once, so every host's allocation equals what its records hold."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import docker
import pytest

from chalicelib.domain.hosts.entities import Allocation
from tests.integration.containers.test_api import body, engine_containers
from tests.support.api import Api, Reply, User, concurrent_requests
from tests.support.market import package, put_on_package
from tests.support.stack_fixtures import AwsStack

pytestmark = pytest.mark.docker

THREADS = 8
OPERATIONS = 50
FIRST_CREATES = 10  # the first operations are creates, so scales and deletes have targets
SEED = 20260101
SCALE_RETRIES = 40
ANSWERS = {"create": {202, 409}, "scale": {200, 404, 409}, "delete": {204, 404, 409}}


def small(cpu_millis: int, name: str, image: str) -> dict[str, Any]:
    return body(image, None, {"name": name, "resources": {"cpu": f"{cpu_millis}m", "memory": "16Mi"}})


def wait_until_settled(aws: AwsStack, user: User, timeout: float = 240.0) -> None:
    """Every provisioning execution has finished and no record is still provisioning."""
    sfn = aws.client("stepfunctions")
    arn = aws.resources.state_machines["provision-container"]
    deadline = time.monotonic() + timeout
    while True:
        running = sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
        listed = user.call("GET", "/api/containers?limit=100").body["containers"]
        if not running and not any(c["status"] == "provisioning" for c in listed):
            return
        if time.monotonic() > deadline:
            pytest.fail(f"{len(running)} executions still running after {timeout}s")
        time.sleep(0.5)


def assert_capacity_matches_records(org_id: str) -> dict[str, Allocation]:
    """Each host's allocation equals the sum of what its records hold (and never goes below zero)."""
    from chalicelib.store.containers.repository import ContainerRepository
    from chalicelib.store.hosts.repository import HostRepository

    allocations = {}
    for host in HostRepository().list_all():
        records = list(ContainerRepository().on_host(host.id))
        held = Allocation(0, 0)
        for record in records:
            held = held + record.held()
            if record.holds_capacity:
                assert record.held() == record.footprint(), record  # nothing left mid-change
        assert host.allocated == held, (host.id, host.allocated, held)
        assert host.allocated.cpu_millis >= 0 and host.allocated.memory_bytes >= 0
        allocations[host.id] = host.allocated
    return allocations


def assert_engine_matches_records(user: User) -> None:
    listed = user.call("GET", "/api/containers?limit=100").body["containers"]
    from chalicelib.store.containers.repository import ContainerRepository

    wanted: set[str] = set()
    for c in listed:
        record = ContainerRepository().get(user.org_id, c["id"], consistent=True)
        wanted |= set(record.engine_ids)
        if record.status == "running":
            assert len(record.engine_ids) == record.replicas, record
    client = docker.from_env()
    try:
        found = client.containers.list(
            all=True, filters={"label": f"cs.organization={user.org_id}"}, ignore_removed=True
        )
        assert {f.id for f in found} == wanted
        assert all(f.status == "running" for f in found)
    finally:
        client.close()


def test_concurrent_creates_scales_and_deletes_keep_each_host_allocation_equal_to_its_records(
    api: Api, aws: AwsStack, default_host: str, test_image: str
) -> None:
    from chalicelib.store.hosts.repository import HostRepository

    ann = api.user()
    admin = api.admin()  # host capacity is what is raced here, not the organization's package
    put_on_package(admin, ann.org_id, package(admin, "Unlimited"))
    capacity = HostRepository().get(default_host).capacity
    cpu = max(10, capacity.cpu_millis // 16 // 10 * 10)  # about 16 replicas fit: creates and scales compete
    rng = random.Random(SEED)
    plan = ["create"] * FIRST_CREATES + rng.choices(
        ["create", "scale", "delete"], weights=[4, 4, 3], k=OPERATIONS - FIRST_CREATES
    )
    ids: list[str] = []
    lock = threading.Lock()
    answers: Counter[tuple[str, int]] = Counter()
    codes: Counter[str] = Counter()
    lowest = [capacity]
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            allocated = HostRepository().get(default_host).allocated
            lowest[0] = Allocation(
                min(lowest[0].cpu_millis, allocated.cpu_millis),
                min(lowest[0].memory_bytes, allocated.memory_bytes),
            )
            time.sleep(0.05)

    def run(step: int, kind: str) -> None:
        pick = random.Random(SEED + step)
        with lock:
            target = pick.choice(ids) if ids else None
        reply: Reply
        if kind == "create" or target is None:
            kind = "create"
            reply = ann.call("POST", "/api/containers", small(cpu, f"c{step}", test_image))
            if reply.status == 202:
                with lock:
                    ids.append(reply.body["id"])
        elif kind == "scale":
            change = pick.choice(
                [
                    {"replicas": pick.randint(1, 3)},
                    {"resources": {"cpu": f"{cpu * pick.randint(1, 2)}m", "memory": "16Mi"}},
                    {"replicas": pick.randint(1, 3), "resources": {"cpu": f"{cpu}m", "memory": "24Mi"}},
                ]
            )
            reply = ann.call("POST", f"/api/containers/{target}/scale", change)
            for _ in range(SCALE_RETRIES):  # as a client would: wait while the container is provisioned
                if reply.status != 409 or "still being provisioned" not in reply.body["error"]["message"]:
                    break
                time.sleep(0.3)
                reply = ann.call("POST", f"/api/containers/{target}/scale", change)
        else:
            reply = ann.call("DELETE", f"/api/containers/{target}")
        with lock:
            answers[(kind, reply.status)] += 1
            if reply.status >= 400:
                codes[f"{kind}:{reply.body['error']['code']}"] += 1
        assert reply.status in ANSWERS[kind], (kind, reply.status, reply.body)
        if kind == "create" and reply.status == 409:
            assert reply.body["error"]["code"] == "no_capacity", reply.body

    watcher = threading.Thread(target=watch, daemon=True)
    started = time.monotonic()
    with concurrent_requests():
        watcher.start()
        try:
            with ThreadPoolExecutor(max_workers=THREADS) as pool:
                for future in [pool.submit(run, i, kind) for i, kind in enumerate(plan)]:
                    future.result()
            requests_done = time.monotonic() - started
            wait_until_settled(aws, ann)
        finally:
            stop.set()
            watcher.join()
    settled = time.monotonic() - started

    allocations = assert_capacity_matches_records(ann.org_id)
    assert_engine_matches_records(ann)
    assert lowest[0].cpu_millis >= 0 and lowest[0].memory_bytes >= 0, "no host ever went below zero"
    attempted = Counter(kind for kind, _ in answers.elements())
    succeeded = Counter(kind for (kind, status), n in answers.items() for _ in range(n) if status < 300)
    print(  # the figures of this run (pytest -s shows them)
        f"\nraces: attempted {dict(attempted)}, succeeded {dict(succeeded)}, refusals {dict(codes)}; "
        f"final allocation {allocations} equals the records' sum; requests {requests_done:.1f}s, "
        f"settled {settled:.1f}s"
    )


def race(*calls: Callable[[], Reply]) -> list[Reply]:
    """Run the calls at the same moment, one thread each."""
    barrier = threading.Barrier(len(calls))

    def at_once(call: Callable[[], Reply]) -> Reply:
        barrier.wait()
        return call()

    with concurrent_requests(), ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [f.result() for f in [pool.submit(at_once, c) for c in calls]]


def deployed(user: User, image: str, name: str) -> str:
    reply = user.call("POST", "/api/containers", small(100, name, image))
    assert reply.status == 202, reply.body
    assert user.wait_for(reply.body["id"])["status"] == "running"
    return str(reply.body["id"])


def test_two_concurrent_deletes_of_one_container_give_its_capacity_back_once(
    api: Api, aws: AwsStack, default_host: str, test_image: str
) -> None:
    ann = api.user()
    keep, doomed = deployed(ann, test_image, "keep"), deployed(ann, test_image, "doomed")
    first, second = race(
        lambda: ann.call("DELETE", f"/api/containers/{doomed}"),
        lambda: ann.call("DELETE", f"/api/containers/{doomed}"),
    )
    assert sorted([first.status, second.status]) in ([204, 404], [204, 409]), (first.body, second.body)
    allocations = assert_capacity_matches_records(ann.org_id)
    assert allocations[default_host] == Allocation(100, 16 * 2**20), "only `keep` is still held"
    assert engine_containers(doomed) == [] and len(engine_containers(keep)) == 1


def test_a_delete_racing_a_scale_gives_capacity_back_once(
    api: Api, aws: AwsStack, default_host: str, test_image: str
) -> None:
    ann = api.user()
    cid = deployed(ann, test_image, "contested")
    scale, delete = race(
        lambda: ann.call("POST", f"/api/containers/{cid}/scale", {"replicas": 3}),
        lambda: ann.call("DELETE", f"/api/containers/{cid}"),
    )
    assert scale.status in (200, 404, 409) and delete.status in (204, 409), (scale.body, delete.body)
    wait_until_settled(aws, ann)
    if delete.status == 409:  # the scale won: the container is still there, holding three replicas
        assert ann.call("DELETE", f"/api/containers/{cid}").status == 204
    assert assert_capacity_matches_records(ann.org_id)[default_host] == Allocation(0, 0)
    wait_until_settled(aws, ann)
    assert engine_containers(cid) == []
