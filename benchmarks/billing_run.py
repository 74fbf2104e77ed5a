"""A billing run over N organizations x R metered resources against the moto server: wall time, DynamoDB calls
per resource, and the ratio for a larger input (default 10x).

Runs the real state machine (statemachines/billing/billing_run.asl.json: a Map over the 16 shards, each a loop
of batches of organizations) in moto, its Lambda tasks in-process. Organizations and meters are seeded with
BatchWriteItem (not measured). Every DynamoDB call from any thread during the run is counted.

moto deep-copies the whole table for every item of every TransactWriteItems (to roll back), which makes its
cost grow with the table and would measure moto, not us; the benchmark installs the same condition-first shim
the tests use (tests.support.billing), so a transaction costs what its own items cost.
Goal: DynamoDB calls per resource constant, time linear in the input.

    .venv/bin/python benchmarks/billing_run.py --orgs 1000 --resources 10 --factor 10
"""

from __future__ import annotations

import argparse
import secrets
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from botocore.client import BaseClient

from chalicelib.settings import get_settings
from devstack import environment, lambda_dispatch
from devstack.aws import local_client
from devstack.bootstrap import bootstrap
from devstack.moto_server import MotoServer
from tests.support.billing import serialise_moto_dynamodb

BATCH = 25


class DynamoCalls:
    """Counts DynamoDB calls made on any thread while active."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._original = getattr(BaseClient, "_make_api_call")  # noqa: B009

    def __enter__(self) -> DynamoCalls:
        original, counts, lock = self._original, self.counts, self._lock

        def counting(client: BaseClient, operation: str, params: Any) -> Any:
            if client.meta.service_model.service_name == "dynamodb":
                with lock:
                    counts[operation] += 1
            return original(client, operation, params)

        setattr(BaseClient, "_make_api_call", counting)  # noqa: B010
        return self

    def __exit__(self, *exc: object) -> None:
        setattr(BaseClient, "_make_api_call", self._original)  # noqa: B010


def seed(dynamodb: Any, table: str, orgs: int, resources: int, started: datetime) -> None:
    """Wallets with plenty of money and running containers (2 vCPU, 4 GiB, 1 GiB storage) since `started`."""
    from chalicelib.store.billing import keys as bkeys
    from chalicelib.store.keys import WALLET_SK, org_pk

    stamp = started.strftime("%Y-%m-%dT%H:%M:%S.%f+0000")
    items: list[dict[str, Any]] = []
    for _ in range(orgs):
        org = str(uuid.uuid4())
        items.append(
            {
                "pk": {"S": org_pk(org)},
                "sk": {"S": WALLET_SK},
                "type": {"S": "wallet"},
                "id": {"S": org},
                "organization_id": {"S": org},
                "balance_cents": {"N": "100000000"},
                "currency": {"S": "USD"},
                "created_at": {"S": stamp},
                "updated_at": {"S": stamp},
            }
        )
        for _ in range(resources):
            rid = uuid.uuid4().hex.upper()[:26]
            items.append(
                {
                    "pk": {"S": org_pk(org)},
                    "sk": {"S": bkeys.meter_sk(rid)},
                    "type": {"S": "meter"},
                    "gsi1pk": {"S": bkeys.billable_gsi_pk(bkeys.shard_of(org))},
                    "gsi1sk": {"S": bkeys.billable_gsi_sk(org, rid)},
                    "organization_id": {"S": org},
                    "resource_id": {"S": rid},
                    "kind": {"S": "container"},
                    "name": {"S": f"web-{rid[:6].lower()}"},
                    "changes": {
                        "L": [
                            {
                                "M": {
                                    "at": {"S": stamp},
                                    "cpu_millis": {"N": "2000"},
                                    "memory_bytes": {"N": str(4 * 2**30)},
                                    "storage_bytes": {"N": str(2**30)},
                                }
                            }
                        ]
                    },
                    "created_at": {"S": stamp},
                    "updated_at": {"S": stamp},
                }
            )
    for start in range(0, len(items), BATCH):
        batch = [{"PutRequest": {"Item": item}} for item in items[start : start + BATCH]]
        dynamodb.batch_write_item(RequestItems={table: batch})


def run_once(endpoint: str, orgs: int, resources: int, minutes_ago: int) -> tuple[float, Counter[str]]:
    from chalicelib import wiring
    from chalicelib.wiring.billing import get_runner

    region = environment.LOCAL_REGION
    dynamodb = local_client("dynamodb", endpoint, region)
    settings = get_settings()
    for page in dynamodb.get_paginator("scan").paginate(
        TableName=settings.table_name, ProjectionExpression="pk, sk"
    ):
        for start in range(0, len(page["Items"]), BATCH):
            batch = [{"DeleteRequest": {"Key": k}} for k in page["Items"][start : start + BATCH]]
            dynamodb.batch_write_item(RequestItems={settings.table_name: batch})
    now = datetime.now(UTC) - timedelta(minutes=minutes_ago)  # each run its own minute (its own execution)
    seed(dynamodb, settings.table_name, orgs, resources, now - timedelta(hours=1))
    wiring.reset()
    sfn = local_client("stepfunctions", endpoint, region)
    with DynamoCalls() as calls:
        started = time.monotonic()
        run = get_runner().launch(now)
        arn = (
            settings.state_machine_arn("billing-run").replace(":stateMachine:", ":execution:") + f":{run.id}"
        )
        while (status := sfn.describe_execution(executionArn=arn)["status"]) == "RUNNING":
            time.sleep(0.2)
        elapsed = time.monotonic() - started
    finished = get_runner().run(run.id)
    if status != "SUCCEEDED" or finished.resources != orgs * resources:
        raise SystemExit(
            f"run {run.id}: {status}, billed {finished.resources} of {orgs * resources} resources"
        )
    return elapsed, calls.counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--resources", type=int, default=10)
    parser.add_argument("--factor", type=int, default=10, help="the larger run has this many times the orgs")
    args = parser.parse_args()
    lambda_dispatch.install()
    serialise_moto_dynamodb()
    server = MotoServer()
    server.start()
    try:
        environment.apply(
            {
                **environment.chalice_stage_environment("test"),
                **environment.aws_environment(server.port),
                "CS_STAGE": "test",
                "CS_JWT_SECRET": secrets.token_urlsafe(48),
                "POWERTOOLS_LOG_LEVEL": "ERROR",
            }
        )
        resources = bootstrap(server.endpoint, get_settings())
        environment.apply(environment.state_machine_environment(resources.state_machines))
        results = []
        for i, orgs in enumerate((args.orgs, args.orgs * args.factor)):
            elapsed, counts = run_once(server.endpoint, orgs, args.resources, minutes_ago=10 * (i + 1))
            total = sum(counts.values())
            per_resource = total / (orgs * args.resources)
            results.append((orgs, elapsed, per_resource))
            detail = ", ".join(f"{op} {n}" for op, n in counts.most_common())
            print(
                f"{orgs} orgs x {args.resources} resources: {elapsed:.1f} s, {total} DynamoDB calls "
                f"= {per_resource:.3f} per resource ({detail})",
                flush=True,
            )
        (small_orgs, small_time, small_calls), (big_orgs, big_time, big_calls) = results
        print(
            f"x{big_orgs // small_orgs} input: time x{big_time / small_time:.2f}, "
            f"calls per resource x{big_calls / small_calls:.3f}"
        )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
