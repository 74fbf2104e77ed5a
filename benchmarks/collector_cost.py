"""What one run of the metrics collector costs per running container, from 10 to 200 containers.

Counts engine calls (one list per host, one stats read per running replica) and DynamoDB requests and items
written (samples batched 25 to a BatchWriteItem, one snapshot per organization, one for the hosts), against
moto. Part 1 uses an in-memory engine (any number of containers, five per organization, 50 per host); part 2
runs a handful of real containers on the local Docker Engine and also prints the wall time of a run (the
engine answers a stats read after about two of its collection ticks; the adapter overlaps them).

    .venv/bin/python benchmarks/collector_cost.py [--sizes 10,50,100,200] [--real 1,3,5]
"""

from __future__ import annotations

import argparse
import json
import math
import secrets
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chalicelib.settings import get_settings
from devstack import environment, lambda_dispatch
from devstack.bootstrap import bootstrap
from devstack.moto_server import MotoServer
from tests.support.counting import aws_calls

PER_ORG = 5
PER_HOST = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10,50,100,200")
    parser.add_argument("--real", default="1,3,5", help="real containers per run ('' to skip)")
    args = parser.parse_args()
    lambda_dispatch.install()
    server = MotoServer()
    server.start()
    try:
        environment.apply(
            {
                **environment.chalice_stage_environment("test"),
                **environment.aws_environment(server.port),
                "CS_STAGE": "test",
                "CS_JWT_SECRET": secrets.token_urlsafe(48),
            }
        )
        environment.refresh_app_config()
        bootstrap(server.endpoint, get_settings())
        from chalicelib.wiring import settings

        settings()  # binds the tables
        print("in-memory engine, moto DynamoDB: one collector run")
        header()
        for size in (int(s) for s in args.sizes.split(",") if s):
            report(size, *fake_run(size))
        if args.real:
            print("\nreal Docker Engine (busybox web containers), moto DynamoDB: one collector run")
            header()
            for size in (int(s) for s in args.real.split(",") if s):
                report(size, *real_run(size))
    finally:
        server.stop()


def header() -> None:
    print(
        f"{'containers':>10} {'hosts':>5} {'orgs':>4} {'engine calls':>12} {'per ctr':>7} "
        f"{'ddb requests':>12} {'items':>5} {'items/ctr':>9} {'KB written':>10} {'wall s':>7}"
    )


def report(
    size: int, hosts: int, orgs: int, figures: dict[str, int], calls: Counter[str], kb: float, wall: float
) -> None:
    requests, engine, items = sum(calls.values()), figures["engine_calls"], figures["items_written"]
    print(
        f"{size:>10} {hosts:>5} {orgs:>4} {engine:>12} {engine / size:>7.2f} "
        f"{requests:>12} {items:>5} {items / size:>9.2f} {kb:>10.1f} {wall:>7.2f}   {dict(calls)}"
    )


def _world(size: int) -> tuple[Any, Any, list[Any]]:
    from tests.contract.builders import container
    from tests.fakes.containers import FakeContainers
    from tests.fakes.hosts import FakeHosts, host

    hosts = FakeHosts(*(host(f"h{n}", cpus=64, memory_gib=512) for n in range(math.ceil(size / PER_HOST))))
    records = [
        container(f"org-{n // PER_ORG}", f"h{n // PER_HOST}", name=f"c{n}", status="running")
        for n in range(size)
    ]
    return hosts, FakeContainers(hosts), records


def fake_run(size: int) -> tuple[int, int, dict[str, int], Counter[str], float, float]:
    from chalicelib.domain.containers.naming import LABEL_CONTAINER, LABEL_HOST, LABEL_MANAGED, MANAGED_BY
    from chalicelib.domain.hosts.engine import ContainerSpec
    from chalicelib.domain.hosts.entities import Allocation
    from chalicelib.domain.monitoring.collector import MetricsCollector
    from chalicelib.store.monitoring.repository import MetricRepository
    from tests.fakes.monitoring import StatsEngine

    hosts, containers, records = _world(size)
    engines = {h.id: StatsEngine() for h in hosts.list_all()}
    for c in records:
        labels = {LABEL_MANAGED: MANAGED_BY, LABEL_HOST: c.host_id, LABEL_CONTAINER: c.id}
        found = engines[c.host_id].create_and_start(
            ContainerSpec(f"cs-{c.id}", "web:1", 0.5, 256 * 2**20, labels=labels)
        )
        containers.create_on_host(replace(c, engine_ids=(found.id,)), Allocation(10**9, 10**15))
    collector = MetricsCollector(containers, hosts, lambda h: engines[h.id], MetricRepository())
    return _measure(collector, len(engines), size)


def _measure(
    collector: Any, hosts: int, size: int
) -> tuple[int, int, dict[str, int], Counter[str], float, float]:
    began = time.perf_counter()
    with aws_calls() as calls, _written() as sizes:
        figures = collector.collect().figures()
    wall = time.perf_counter() - began
    return hosts, math.ceil(size / PER_ORG), figures, Counter(op for _, op in calls), sum(sizes) / 1024, wall


class _written:
    """Adds up the size of every item written by BatchWriteItem inside the block (approximate: JSON)."""

    def __enter__(self) -> list[int]:
        from botocore.client import BaseClient

        self.sizes: list[int] = []
        self._original = getattr(BaseClient, "_make_api_call")  # noqa: B009
        original, sizes = self._original, self.sizes

        def sizing(client: Any, operation: str, params: Any) -> Any:
            if operation == "BatchWriteItem":
                for requests in params["RequestItems"].values():
                    sizes.extend(
                        len(json.dumps(r["PutRequest"]["Item"])) for r in requests if "PutRequest" in r
                    )
            return original(client, operation, params)

        setattr(BaseClient, "_make_api_call", sizing)  # noqa: B010
        return self.sizes

    def __exit__(self, *exc: object) -> None:
        from botocore.client import BaseClient

        setattr(BaseClient, "_make_api_call", self._original)  # noqa: B010


def real_run(size: int) -> tuple[int, int, dict[str, int], Counter[str], float, float]:
    from chalicelib.adapters.docker.engine import connect_docker
    from chalicelib.domain.containers.naming import LABEL_CONTAINER, LABEL_HOST, LABEL_MANAGED, MANAGED_BY
    from chalicelib.domain.hosts.engine import ContainerSpec
    from chalicelib.domain.hosts.entities import Allocation
    from chalicelib.domain.monitoring.collector import MetricsCollector
    from chalicelib.store.monitoring.repository import MetricRepository
    from tests.support.docker_fixtures import cleanup_labels
    from tests.support.images import build_test_image, docker_url, remove_test_image

    image = build_test_image(f"cs-bench-web:{secrets.token_hex(4)}")
    run = secrets.token_hex(6)
    engine = connect_docker(docker_url())
    try:
        hosts, containers, records = _world(size)
        for c in records:
            labels = {
                LABEL_MANAGED: MANAGED_BY,
                LABEL_HOST: c.host_id,
                LABEL_CONTAINER: c.id,
                "cs.bench": run,
            }
            found = engine.create_and_start(
                ContainerSpec(f"cs-bench-{run}-{c.name}", image, 0.1, 32 * 2**20, labels=labels)
            )
            containers.create_on_host(replace(c, engine_ids=(found.id,)), Allocation(10**9, 10**15))
        collector = MetricsCollector(containers, hosts, lambda h: engine, MetricRepository())
        collector.collect()  # warm: the first stats read of a fresh container has no previous sample
        return _measure(collector, len(hosts.list_all()), size)
    finally:
        engine.close()
        cleanup_labels({"cs.bench": run})
        remove_test_image(image)


if __name__ == "__main__":
    main()
