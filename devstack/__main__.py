"""`python -m devstack`: run the local stack until Ctrl-C or SIGTERM."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import FrameType

from devstack.seed import DockerUnavailable
from devstack.stack import LocalStack, StackConfig


def main() -> int:
    """Start the stack, print its URL, wait for a signal, stop (writing the snapshot)."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    for name in ("devstack", "chalicelib", "functions"):
        logging.getLogger(name).setLevel(logging.INFO)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    stack = LocalStack(StackConfig.from_env(), say=lambda line: print(line, flush=True))
    try:
        stack.start()
    except DockerUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 1
    print(f"ContainerStacks is running at {stack.url}", flush=True)
    while not stop.wait(1.0):
        pass
    print("stopping …", flush=True)
    stack.stop()
    print(f"stopped; state saved in {stack.snapshot_path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
