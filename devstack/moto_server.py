"""moto in server mode inside this process, configured to execute state machines."""

from __future__ import annotations

import functools
import logging
import threading
from typing import Any

from devstack.net import LOOPBACK

# DynamoDB applies each write (its condition check included) atomically; moto's threaded server does not
# (it evaluates a condition, then mutates, with no lock), so parallel conditional writes could both pass.
_DYNAMODB_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items")
_dynamodb_write_lock = threading.RLock()


def serialize_dynamodb_writes() -> None:
    """Make moto's DynamoDB writes atomic with respect to each other, as DynamoDB's are (idempotent)."""
    from moto.dynamodb.models import DynamoDBBackend

    for name in _DYNAMODB_WRITES:
        write = getattr(DynamoDBBackend, name)
        if getattr(write, "_cs_serialized", False):
            continue

        def serialized(*args: Any, _write: Any = write, **kwargs: Any) -> Any:
            with _dynamodb_write_lock:
                return _write(*args, **kwargs)

        functools.update_wrapper(serialized, write)
        serialized._cs_serialized = True  # type: ignore[attr-defined]
        setattr(DynamoDBBackend, name, serialized)


def enable_state_machine_execution() -> None:
    """Make moto's Step Functions run definitions (must precede creating state machines)."""
    from moto.core.config import default_user_config

    default_user_config["stepfunctions"] = {"execute_state_machine": True}


class MotoServer:
    """A ThreadedMotoServer on 127.0.0.1; port 0 picks a free port."""

    def __init__(self, port: int = 0) -> None:
        from moto.server import ThreadedMotoServer

        self._server = ThreadedMotoServer(ip_address=LOOPBACK, port=port, verbose=False)
        self._port = port

    def start(self) -> None:
        """Start serving (returns once the socket is bound)."""
        # One line per request, and a state dump per failed execution, would drown the stack's output.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)
        enable_state_machine_execution()
        serialize_dynamodb_writes()
        self._server.start()
        self._port = int(self._server.get_host_and_port()[1])

    def stop(self) -> None:
        """Stop serving; moto's in-memory state stays in the process."""
        self._server.stop()

    @property
    def port(self) -> int:
        """The bound port."""
        return self._port

    @property
    def endpoint(self) -> str:
        """The endpoint URL every SDK uses (AWS_ENDPOINT_URL)."""
        return f"http://{LOOPBACK}:{self._port}"
