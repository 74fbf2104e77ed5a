"""`python -m devstack`: run the local stack until Ctrl-C or SIGTERM."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
from types import FrameType

from devstack.mailbox import PREFIX
from devstack.seed import AdminAddressTaken, DockerUnavailable
from devstack.stack import LocalStack, StackConfig


def port_is_free(port: int) -> bool:
    """True when nothing listens on 127.0.0.1:`port` yet."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class HumanFormatter(logging.Formatter):
    """`12:00:01 message` (the level too above INFO): what a person at the terminal reads."""

    def __init__(self) -> None:
        super().__init__(datefmt="%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        level = "" if record.levelno <= logging.INFO else f"{record.levelname} "
        line = f"{self.formatTime(record, self.datefmt)} {level}{record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def configure_logging() -> None:
    """Readable lines for `make dev`: CS_LOG_FORMAT=human (unless set otherwise) switches the app's
    Powertools logger from JSON to one line per record too; it must be set before the app is imported."""
    os.environ.setdefault("CS_LOG_FORMAT", "human")
    handler = logging.StreamHandler(sys.stdout)
    if os.environ["CS_LOG_FORMAT"].lower() == "human":
        handler.setFormatter(HumanFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    for name in ("devstack", "chalicelib", "functions"):
        logging.getLogger(name).setLevel(logging.INFO)


def main() -> int:
    """Start the stack, print its URL, wait for a signal, stop (writing the snapshot)."""
    configure_logging()
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    config = StackConfig.from_env()
    if not port_is_free(config.port):
        print(
            f"error: port {config.port} is already in use (another `make dev`?); "
            "set PORT to use another one, e.g. PORT=8001 make dev",
            file=sys.stderr,
            flush=True,
        )
        return 1
    stack = LocalStack(config, say=lambda line: print(line, flush=True))
    try:
        stack.start()
    except (DockerUnavailable, AdminAddressTaken, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 1
    print(
        f"mail the app sends is readable at {stack.url}{PREFIX} (files in {stack.mail.mail_dir})", flush=True
    )
    print(f"ContainerStacks is running at {stack.url}", flush=True)
    while not stop.wait(1.0):
        pass
    print("stopping …", flush=True)
    stack.stop()
    print(f"stopped; state saved in {stack.snapshot_path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
