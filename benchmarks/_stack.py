"""The local stack for a benchmark: `python -m devstack` in a subprocess, as `make dev` runs it."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.support.devstack_process import running_devstack

PASSWORD = "benchmark password 123"  # noqa: S105 - a throwaway local account


@contextmanager
def local_stack() -> Iterator[str]:
    """Yields the base URL of a fresh local stack; stops it (by its PID) afterwards."""
    with (
        tempfile.TemporaryDirectory() as data,
        running_devstack(Path(data), "admin@bench.local", PASSWORD) as stack,
    ):
        yield stack.url


def login_new_user(base: str) -> dict[str, str]:
    """Register and log in a throwaway user; returns the auth headers."""
    email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    requests.post(
        f"{base}/api/auth/register", json={"email": email, "password": PASSWORD, "name": "Bench"}, timeout=30
    ).raise_for_status()
    login = requests.post(f"{base}/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=30)
    login.raise_for_status()
    return {"Authorization": f"Bearer {login.json()['token']}"}
