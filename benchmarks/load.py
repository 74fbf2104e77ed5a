"""Concurrent load on the read API: N users, each in its own thread, for a fixed time per level.

Starts a fresh local stack (or targets `--url`, which must be on 127.0.0.1/localhost), registers one
account per simulated user, has the first user deploy one small container and waits until it runs,
then for each concurrency level runs that many users against a weighted mix of read routes:
GET /api/containers (most), GET /api/containers/{id} (the owner only; the others list instead),
GET /api/users/profile and GET /api/organizations. Every loop is bounded by the deadline and a
per-user request cap; every request has a 30 s timeout. Prints per route: requests, p50/p99/max
latency, errors (non-2xx or exceptions) and error rate, plus overall throughput. The container is
deleted at the end, so nothing is left on the engine.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._stack import local_stack, login_new_user

TIMEOUT = 30.0
MAX_REQUESTS_PER_USER = 100_000
DEPLOY_TIMEOUT = 120.0
POLL = 0.2
REGISTER_WORKERS = 8
REGISTER_ATTEMPTS = 3
SAMPLE_IMAGE = "containerstacks/hello:local"
CONTAINER_BODY = {
    "name": "load-1",
    "image": SAMPLE_IMAGE,
    "resources": {"cpu": "0.1", "memory": "32Mi"},
}

LIST = "GET /api/containers"
DETAIL = "GET /api/containers/{id}"
PROFILE = "GET /api/users/profile"
ORGS = "GET /api/organizations"
ROUTES = (LIST, DETAIL, PROFILE, ORGS)
WEIGHTS = (6, 2, 1, 1)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass
class Sample:
    route: str
    ms: float
    ok: bool


@dataclass
class UserResult:
    samples: list[Sample] = field(default_factory=list)


@dataclass
class LevelResult:
    users: int
    elapsed: float
    samples: list[Sample]


def _path(route: str, container_id: str) -> str:
    if route == LIST:
        return "/api/containers"
    if route == DETAIL:
        return f"/api/containers/{container_id}"
    if route == PROFILE:
        return "/api/users/profile"
    return "/api/organizations"


def user_loop(
    base: str,
    headers: dict[str, str],
    own_container: str | None,
    start: threading.Event,
    deadline_box: list[float],
    seed: int,
    result: UserResult,
) -> None:
    """One simulated user: its own Session, a weighted route mix, until the deadline or the cap."""
    rng = random.Random(seed)
    with requests.Session() as session:
        session.headers.update(headers)
        start.wait(timeout=TIMEOUT)
        deadline = deadline_box[0]
        for _ in range(MAX_REQUESTS_PER_USER):
            if time.monotonic() >= deadline:
                break
            route = rng.choices(ROUTES, weights=WEIGHTS)[0]
            if route == DETAIL and own_container is None:
                route = LIST
            url = base + _path(route, own_container or "")
            began = time.perf_counter()
            try:
                response = session.get(url, timeout=TIMEOUT)
                ok = 200 <= response.status_code < 300
            except requests.RequestException:
                ok = False
            result.samples.append(Sample(route, (time.perf_counter() - began) * 1000, ok))


def run_level(base: str, users: list[dict[str, str]], owner_container: str, seconds: float) -> LevelResult:
    start = threading.Event()
    deadline_box = [0.0]
    results = [UserResult() for _ in users]
    threads = [
        threading.Thread(
            target=user_loop,
            args=(base, headers, owner_container if i == 0 else None, start, deadline_box, i, results[i]),
            name=f"load-user-{i}",
            daemon=True,
        )
        for i, headers in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    deadline_box[0] = began + seconds
    start.set()
    for thread in threads:
        # Bounded: every request has a timeout and the loop stops at the deadline.
        thread.join(timeout=max(0.0, deadline_box[0] + 2 * TIMEOUT - time.monotonic()))
    elapsed = time.monotonic() - began
    stuck = sum(1 for thread in threads if thread.is_alive())
    if stuck:
        print(f"warning: {stuck} user thread(s) still running after the join timeout", file=sys.stderr)
    return LevelResult(len(users), elapsed, [s for r in results for s in r.samples])


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def print_level(level: LevelResult) -> None:
    print()
    print(f"== {level.users} concurrent users, {level.elapsed:.1f} s ==")
    header = (
        f"{'route':26} | {'requests':>8} | {'p50 ms':>8} | {'p99 ms':>8} | {'max ms':>8} | "
        f"{'errors':>6} | {'error rate %':>12}"
    )
    print(header)
    print("-" * len(header))
    rows = [*ROUTES, "all"]
    for route in rows:
        picked = [s for s in level.samples if route in ("all", s.route)]
        if not picked:
            continue
        times = sorted(s.ms for s in picked)
        errors = sum(1 for s in picked if not s.ok)
        print(
            f"{route:26} | {len(picked):8d} | {percentile(times, 50):8.1f} | {percentile(times, 99):8.1f} | "
            f"{times[-1]:8.1f} | {errors:6d} | {100 * errors / len(picked):12.2f}"
        )
    total = len(level.samples)
    print(f"throughput: {total / level.elapsed:.1f} req/s ({total} requests in {level.elapsed:.1f} s)")


def register_one(base: str, retries: list[int]) -> dict[str, str]:
    """`login_new_user`, retried on a 5xx (moto's DynamoDB is not thread-safe under concurrent writes)."""
    for attempt in range(1, REGISTER_ATTEMPTS + 1):
        try:
            return login_new_user(base)
        except requests.HTTPError as error:
            status = error.response.status_code if error.response is not None else 0
            if status < 500 or attempt == REGISTER_ATTEMPTS:
                raise
            retries.append(status)
    raise AssertionError("unreachable")


def register_users(base: str, count: int) -> list[dict[str, str]]:
    retries: list[int] = []
    with ThreadPoolExecutor(max_workers=REGISTER_WORKERS) as pool:
        users = list(pool.map(lambda _: register_one(base, retries), range(count)))
    if retries:
        print(f"registration: {len(retries)} attempt(s) got a 5xx and were retried")
    return users


def create_container(base: str, headers: dict[str, str]) -> str:
    created = requests.post(f"{base}/api/containers", json=CONTAINER_BODY, headers=headers, timeout=TIMEOUT)
    created.raise_for_status()
    container_id: str = created.json()["id"]
    return container_id


def wait_running(base: str, headers: dict[str, str], container_id: str) -> None:
    deadline = time.monotonic() + DEPLOY_TIMEOUT
    status = "unknown"
    while time.monotonic() < deadline:
        response = requests.get(f"{base}/api/containers/{container_id}", headers=headers, timeout=TIMEOUT)
        response.raise_for_status()
        status = response.json()["status"]
        if status == "running":
            return
        if status == "error":
            raise RuntimeError(f"container {container_id} failed to deploy")
        time.sleep(POLL)
    raise RuntimeError(f"container {container_id} not running after {DEPLOY_TIMEOUT:.0f} s (status {status})")


@contextmanager
def one_container(base: str, headers: dict[str, str]) -> Iterator[str]:
    """The owner's container, running; deleted afterwards (also when anything fails)."""
    container_id = create_container(base, headers)
    try:
        wait_running(base, headers, container_id)
        yield container_id
    finally:
        deleted = requests.delete(f"{base}/api/containers/{container_id}", headers=headers, timeout=60)
        if deleted.status_code not in (204, 404):
            print(f"warning: DELETE {container_id} -> {deleted.status_code}", file=sys.stderr)
        gone = requests.get(f"{base}/api/containers/{container_id}", headers=headers, timeout=TIMEOUT)
        print(f"\ncleanup: container {container_id} deleted (GET -> {gone.status_code})")


def run(base: str, levels: list[int], seconds: float) -> None:
    print(f"stack: {base}")
    began = time.perf_counter()
    users = register_users(base, max(levels))
    print(f"registered {len(users)} users in {time.perf_counter() - began:.1f} s")
    with one_container(base, users[0]) as container_id:
        print(f"container {container_id} running")
        for count in levels:
            print_level(run_level(base, users[:count], container_id, seconds))


def check_loopback(url: str) -> str:
    host = urlsplit(url).hostname
    if host not in LOOPBACK_HOSTS:
        raise SystemExit(f"--url must point at 127.0.0.1 or localhost, not {host!r}")
    return url.rstrip("/")


def parse_levels(text: str) -> list[int]:
    levels = [int(part) for part in text.split(",") if part.strip()]
    if not levels or any(level < 1 for level in levels):
        raise argparse.ArgumentTypeError("--users takes positive integers, e.g. 20,50")
    return levels


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--users", type=parse_levels, default=[20, 50], help="concurrency levels (default 20,50)"
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="duration of each level (default 60)")
    parser.add_argument("--url", help="an already-running stack on 127.0.0.1 (default: start a fresh one)")
    args = parser.parse_args()
    levels: list[int] = args.users
    seconds: float = args.seconds
    if args.url:
        run(check_loopback(args.url), levels, seconds)
    else:
        with local_stack() as base:
            run(base, levels, seconds)


if __name__ == "__main__":
    main()
