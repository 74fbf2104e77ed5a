"""Start the local stack (`python -m devstack`) in a subprocess for a benchmark, and stop it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark password 123"  # noqa: S105 - a throwaway local account


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def local_stack() -> Iterator[str]:
    """Yields the base URL of a fresh local stack; stops it (by its PID) afterwards."""
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "PORT": str(port),
            "CS_DATA_DIR": data,
            "CS_ADMIN_EMAIL": "admin@bench.local",
            "CS_ADMIN_PASSWORD": PASSWORD,
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "devstack"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert proc.stdout is not None
            deadline = time.monotonic() + 120
            for line in proc.stdout:
                if "is running at" in line:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError("the local stack did not start")
            else:
                raise RuntimeError("the local stack exited during start-up")
            # keep draining its output so a chatty stack never blocks on a full pipe
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def login_new_user(base: str) -> dict[str, str]:
    """Register and log in a throwaway user; returns the auth headers."""
    email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    requests.post(
        f"{base}/api/auth/register", json={"email": email, "password": PASSWORD, "name": "Bench"}, timeout=30
    ).raise_for_status()
    login = requests.post(f"{base}/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=30)
    login.raise_for_status()
    return {"Authorization": f"Bearer {login.json()['token']}"}
