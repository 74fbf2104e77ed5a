"""DynamoDB calls per request for GET /api/containers and GET /api/containers/{id}.

Runs the app in-process (Chalice's local gateway) against moto, counts every AWS SDK call each
request makes, and prints them with the median in-process latency over N requests.
Goal: one data read each (plus the one auth read), and no Scan.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chalicelib.settings import get_settings
from devstack import environment, lambda_dispatch
from devstack.bootstrap import bootstrap
from devstack.moto_server import MotoServer
from tests.support.counting import aws_calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--containers", type=int, default=20)
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
        resources = bootstrap(server.endpoint, get_settings())
        environment.apply(environment.state_machine_environment(resources.state_machines))
        environment.refresh_app_config()
        run(args.requests, args.containers)
    finally:
        server.stop()


def run(requests: int, containers: int) -> None:
    from chalice.test import Client

    from app import app
    from chalicelib.wiring.hosts import get_hosts

    get_hosts().ensure_default_host(environment.docker_url())
    client = Client(app, stage_name="test")
    password = "benchmark password 123"  # noqa: S105 - a throwaway local account
    client.http.post(
        "/api/auth/register",
        headers={"Content-Type": "application/json"},
        body=json.dumps({"email": "b@example.com", "password": password, "name": "B"}).encode(),
    )
    login = client.http.post(
        "/api/auth/login",
        headers={"Content-Type": "application/json"},
        body=json.dumps({"email": "b@example.com", "password": password}).encode(),
    )
    headers = {
        "Authorization": f"Bearer {json.loads(login.body)['token']}",
        "Content-Type": "application/json",
    }
    ids = []
    for n in range(containers):  # names are unique per organization
        body = {"name": f"c{n}", "image": "cs-missing:bench", "resources": {"cpu": "0.01", "memory": "8Mi"}}
        created = client.http.post("/api/containers", headers=headers, body=json.dumps(body).encode())
        if created.status_code != 202:
            raise SystemExit(f"POST /api/containers answered {created.status_code}: {created.body!r}")
        ids.append(json.loads(created.body)["id"])
    for label, path in (
        ("GET /api/containers", "/api/containers?limit=20"),
        ("GET /api/containers/{id}", f"/api/containers/{ids[0]}"),
    ):
        client.http.get(path, headers=headers)
        with aws_calls() as calls:
            assert client.http.get(path, headers=headers).status_code == 200
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            client.http.get(path, headers=headers)
            times.append(time.perf_counter() - start)
        ops = ", ".join(op for _, op in calls)
        scans = sum(1 for _, op in calls if op == "Scan")
        print(
            f"{label:26} DynamoDB calls: {len(calls)} ({ops}); Scans: {scans}; "
            f"median {statistics.median(times) * 1000:.1f} ms in-process over {requests}"
        )


if __name__ == "__main__":
    main()
