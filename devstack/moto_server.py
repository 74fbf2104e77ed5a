"""moto in server mode inside this process, configured to execute state machines."""

from __future__ import annotations

import logging

from devstack.moto_fast import IN_PROCESS, speed_up_dynamodb, speed_up_step_functions
from devstack.moto_guard import serialise_dynamodb
from devstack.net import LOOPBACK


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
        serialise_dynamodb()
        speed_up_dynamodb()
        speed_up_step_functions()
        self._server.start()
        _answer_without_nagle(self._server)
        self._port = int(self._server.get_host_and_port()[1])
        IN_PROCESS.add(self.endpoint)

    def stop(self) -> None:
        """Stop serving; moto's in-memory state stays in the process."""
        IN_PROCESS.remove(self.endpoint)
        self._server.stop()

    @property
    def port(self) -> int:
        """The bound port."""
        return self._port

    @property
    def endpoint(self) -> str:
        """The endpoint URL every SDK uses (AWS_ENDPOINT_URL)."""
        return f"http://{LOOPBACK}:{self._port}"


def _answer_without_nagle(threaded: object) -> None:
    """werkzeug writes an answer's headers and body separately; with Nagle's algorithm the body waits for
    the client's delayed ACK (40 ms on Linux): every Step Functions task and StartExecution paid that."""
    server = getattr(threaded, "_server", None)  # moto exposes no handler option
    handler = getattr(server, "RequestHandlerClass", None)
    if server is not None and isinstance(handler, type):
        server.RequestHandlerClass = type("NoDelayHandler", (handler,), {"disable_nagle_algorithm": True})
