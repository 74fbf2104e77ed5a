"""Quota limits under races, over the API on moto and the real engine: the limit check and the counters'
update are one transaction, so parallel creates never overshoot, and the counters always equal what the
records hold (after failed creates, provisioning and deletes)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import pytest

from tests.support.api import Api, Reply, User, concurrent_requests
from tests.support.market import TINY, package, put_on_package, true_usage, used
from tests.support.stack_fixtures import AwsStack

pytestmark = pytest.mark.docker

PARALLEL = 50
LIMIT = 10


def at_once(calls: list[Callable[[], Reply]]) -> list[Reply]:
    """Run the calls at the same moment, one thread each."""
    barrier = threading.Barrier(len(calls))

    def call(fn: Callable[[], Reply]) -> Reply:
        barrier.wait()
        return fn()

    with concurrent_requests(), ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [f.result() for f in [pool.submit(call, fn) for fn in calls]]


def settle(aws: AwsStack, user: User, timeout: float = 240.0) -> list[dict[str, object]]:
    """Wait until no provisioning execution runs and no record is still provisioning."""
    sfn = aws.client("stepfunctions")
    arn = aws.resources.state_machines["provision-container"]
    deadline = time.monotonic() + timeout
    while True:
        running = sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
        listed = user.call("GET", "/api/containers?limit=100").body["containers"]
        if not running and not any(c["status"] == "provisioning" for c in listed):
            return list(listed)
        assert time.monotonic() < deadline, f"{len(running)} executions still running"
        time.sleep(0.5)


@pytest.mark.parametrize(
    ("limit", "resources"),
    [({"containers": LIMIT}, TINY), ({"cpu": "100m"}, TINY)],
    ids=["containers", "cpu"],
)
def test_fifty_parallel_creates_against_a_limit_of_ten_never_exceed_it(
    api: Api,
    aws: AwsStack,
    default_host: str,
    test_image: str,
    limit: dict[str, Any],
    resources: dict[str, str],
) -> None:
    # Given an organization on a package allowing ten containers (or ten times 10m of CPU)
    admin, ann = api.admin(), api.user()
    put_on_package(admin, ann.org_id, package(admin, "Ten", **limit))

    def spec(n: object) -> dict[str, object]:
        return {"name": f"c{n}", "image": test_image, "resources": resources}

    # When fifty creates arrive at the same moment
    started = time.monotonic()
    replies = at_once([partial(ann.call, "POST", "/api/containers", spec(n)) for n in range(PARALLEL)])
    took = time.monotonic() - started
    # Then exactly ten are accepted and forty are refused, naming the limit
    answers = Counter(r.status for r in replies)
    assert answers == {202: LIMIT, 409: PARALLEL - LIMIT}, answers
    refusals = [r.body["error"] for r in replies if r.status == 409]
    named = next(iter(limit))
    assert {e["code"] for e in refusals} == {"quota_exceeded"}
    assert {e["details"][0]["field"] for e in refusals} == {named}
    # And the records, the counters and the engine agree once provisioning has settled
    listed = settle(aws, ann)
    assert len(listed) == LIMIT and all(c["status"] == "running" for c in listed), listed
    assert used(ann) == true_usage(ann.org_id)
    assert used(ann)["containers"] == LIMIT and used(ann)["cpu"] == 10 * LIMIT
    # When all of them are deleted at the same moment
    deleted = at_once([partial(ann.call, "DELETE", f"/api/containers/{c['id']}") for c in listed])
    # Then the counters are back to nothing, and there is room again
    assert {r.status for r in deleted} == {204}
    assert used(ann) == true_usage(ann.org_id) == dict.fromkeys(used(ann), 0)
    again = ann.call("POST", "/api/containers", spec("again"))
    assert again.status == 202, again.body
    ann.wait_for(again.body["id"])
    print(f"\nquota race ({named}): {PARALLEL} parallel creates, {answers[202]} accepted in {took:.1f}s")


def test_scaling_past_a_limit_is_refused_naming_it_and_a_failed_provisioning_gives_the_claim_back(
    api: Api, aws: AwsStack, default_host: str, test_image: str
) -> None:
    admin, ann = api.admin(), api.user()
    put_on_package(admin, ann.org_id, package(admin, "Small", cpu="300m", memory="64Mi"))
    created = ann.call(
        "POST",
        "/api/containers",
        {"name": "web", "image": test_image, "resources": {"cpu": "0.1", "memory": "16Mi"}},
    )
    assert created.status == 202, created.body
    cid = created.body["id"]
    assert ann.wait_for(cid)["status"] == "running"
    # When the container is scaled past the CPU limit
    refused = ann.call("POST", f"/api/containers/{cid}/scale", {"replicas": 4})
    # Then it is refused naming the limit, and nothing changed
    assert refused.status == 409, refused.body
    assert refused.body["error"]["code"] == "quota_exceeded"
    assert refused.body["error"]["details"][0]["field"] == "cpu"
    assert "0.3 vCPU" in refused.body["error"]["message"]
    assert used(ann)["cpu"] == 100
    # And within the limit it scales
    assert ann.call("POST", f"/api/containers/{cid}/scale", {"replicas": 3}).status == 200
    ann.wait_for(cid)
    assert used(ann) == true_usage(ann.org_id) and used(ann)["cpu"] == 300
    # When a create fails on the engine (an image the host does not have)
    broken = ann.call(
        "POST", "/api/containers", {"name": "broken", "image": "cs-test-missing:x", "resources": TINY}
    )
    assert broken.status == 409  # the CPU limit is reached: nothing more fits
    assert ann.call("POST", f"/api/containers/{cid}/scale", {"replicas": 2}).status == 200
    ann.wait_for(cid)
    broken = ann.call(
        "POST", "/api/containers", {"name": "broken", "image": "cs-test-missing:x", "resources": TINY}
    )
    assert broken.status == 202, broken.body
    assert ann.wait_for(broken.body["id"])["status"] == "error"
    # Then its claim was given back, and the counters still equal what the records hold
    assert used(ann) == true_usage(ann.org_id)
    assert used(ann)["cpu"] == 200 and used(ann)["containers"] == 2
