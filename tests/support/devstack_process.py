"""Run `python -m devstack` in a subprocess exactly as `make dev` does (e2e tests, benchmarks)."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from devstack import REPO_ROOT
from devstack.images import BACKUP_HELPER_IMAGE, SAMPLE_IMAGE, marketplace_images
from devstack.net import free_port
from tests.support.images import docker_url, remove_test_image

URL_LINE = re.compile(r"^ContainerStacks is running at (http://\S+)$")
START_TIMEOUT = 90.0
# The stack under test gets its own moto, data and secrets: nothing of this session's environment.
_INHERITED_PREFIXES = ("AWS_", "MOTO_", "CS_", "SMTP_", "POWERTOOLS_")


@dataclass
class RunningStack:
    """A devstack subprocess, its URL and everything it printed so far."""

    process: subprocess.Popen[str]
    url: str
    data_dir: Path
    output: list[str]


def _reader(process: subprocess.Popen[str], lines: queue.Queue[str], output: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        output.append(line.rstrip("\n"))
        lines.put(line.rstrip("\n"))


def _wait_for_url(process: subprocess.Popen[str], lines: queue.Queue[str], output: list[str]) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            match = URL_LINE.match(lines.get(timeout=0.5))
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        if match:
            return match.group(1)
    raise AssertionError("devstack did not print its URL:\n" + "\n".join(output))


@contextmanager
def running_devstack(
    data_dir: Path,
    admin_email: str,
    admin_password: str,
    port: int | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[RunningStack]:
    """Start the stack on `port` (default: a free one) with its data in `data_dir` and `extra_env` on top of
    its environment; kill it by its PID afterwards.

    The images the stack builds (the sample, the backup helper, the marketplace's templates) are removed
    again unless they were there before.
    """
    built = [
        tag
        for tag in (SAMPLE_IMAGE, BACKUP_HELPER_IMAGE, *(image for image, _ in marketplace_images()))
        if not _image_exists(tag)
    ]
    env = {name: value for name, value in os.environ.items() if not name.startswith(_INHERITED_PREFIXES)}
    env.update(
        PORT=str(port or free_port()),
        CS_DATA_DIR=str(data_dir),
        CS_ADMIN_EMAIL=admin_email,
        CS_ADMIN_PASSWORD=admin_password,
        PYTHONUNBUFFERED="1",
    )
    env.update(extra_env or {})
    process = subprocess.Popen(
        [sys.executable, "-m", "devstack"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_reader, args=(process, lines, output), daemon=True).start()
    try:
        yield RunningStack(process, _wait_for_url(process, lines, output), data_dir, output)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        for tag in built:
            remove_test_image(tag)


def _image_exists(tag: str) -> bool:
    import docker
    import docker.errors

    client = docker.DockerClient(base_url=docker_url(), timeout=60)
    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    finally:
        client.close()
    return True
