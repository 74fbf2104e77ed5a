"""Deploy time: POST /api/containers until `running`, against a direct `docker run` of the same image.

Both sides use the same image (built locally FROM scratch), the same limits and a published port,
and are polled the same way (every 20 ms). Runs are interleaved; prints medians and the ratio.
Goal: ours <= 1.5 x docker run + 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import docker
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._stack import local_stack, login_new_user
from devstack.net import free_port
from tests.support.images import build_test_image, docker_url, remove_test_image

POLL = 0.02


def via_api(base: str, headers: dict[str, str], image: str) -> float:
    body = {
        "name": "bench",
        "image": image,
        "resources": {"cpu": "0.5", "memory": "64Mi"},
        "ports": [{"container": 80, "host": free_port()}],
    }
    start = time.perf_counter()
    created = requests.post(f"{base}/api/containers", json=body, headers=headers, timeout=30)
    created.raise_for_status()
    cid = created.json()["id"]
    while True:
        status = requests.get(f"{base}/api/containers/{cid}", headers=headers, timeout=30).json()["status"]
        if status == "running":
            elapsed = time.perf_counter() - start
            break
        if status == "error":
            raise RuntimeError("deploy failed")
        time.sleep(POLL)
    requests.delete(f"{base}/api/containers/{cid}", headers=headers, timeout=60).raise_for_status()
    return elapsed


def via_docker_run(client: docker.DockerClient, image: str) -> float:
    start = time.perf_counter()
    container = client.containers.run(
        image,
        detach=True,
        nano_cpus=500_000_000,
        mem_limit=64 * 2**20,
        ports={"80/tcp": ("127.0.0.1", free_port())},
        labels={"cs.benchmark": "deploy"},
    )
    while True:
        container.reload()
        if container.status == "running":
            elapsed = time.perf_counter() - start
            break
        time.sleep(POLL)
    container.remove(force=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    image = build_test_image("cs-bench-web:local")
    client = docker.DockerClient(base_url=docker_url())
    ours: list[float] = []
    base_runs: list[float] = []
    try:
        with local_stack() as base:
            headers = login_new_user(base)
            via_api(base, headers, image)  # warm-up: first request builds the service objects
            via_docker_run(client, image)
            for _ in range(args.runs):
                ours.append(via_api(base, headers, image))
                base_runs.append(via_docker_run(client, image))
    finally:
        client.close()
        remove_test_image("cs-bench-web:local")
    m_ours, m_base = statistics.median(ours), statistics.median(base_runs)
    print(f"runs each:                 {args.runs}")
    print(f"POST -> running (median):  {m_ours:6.3f} s   {[round(x, 3) for x in ours]}")
    print(f"docker run (median):       {m_base:6.3f} s   {[round(x, 3) for x in base_runs]}")
    print(f"ratio:                     {m_ours / m_base:6.2f}")
    goal = 1.5 * m_base + 1
    print(f"goal 1.5 x docker + 1 s:   {goal:6.3f} s  -> {'met' if m_ours <= goal else 'NOT met'}")


if __name__ == "__main__":
    main()
