"""The Chalice app (app.py) served by chalice's threaded local server, in this process."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from devstack import REPO_ROOT, mailbox, static
from devstack.environment import chalice_config_file
from devstack.net import LOOPBACK


class ApiServer:
    """Serves `from app import app` on host:port (port 0 picks a free port)."""

    def __init__(
        self, port: int, stage: str = "local", host: str = LOOPBACK, mail_dir: Path | None = None
    ) -> None:
        self._host = host
        self._mail_dir = mail_dir
        self._port = port
        self._stage = stage
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Import the app and start serving on a daemon thread."""
        from chalice.config import Config
        from chalice.local import LocalChalice, LocalDevServer

        app = load_app()
        config = Config(
            chalice_stage=self._stage,
            user_provided_params={"chalice_app": app, "project_dir": str(REPO_ROOT)},
            config_from_disk=chalice_config_file(),
        )
        # chalice's create_local_server swaps the app's class; doing that twice would make a class its own
        # base, so it is done here once.
        if not isinstance(app, LocalChalice):
            app.__class__ = type("LocalChalice", (LocalChalice, app.__class__), {})
        self._server = LocalDevServer(
            app,
            config,
            self._host,
            self._port,
            handler_cls=_handler_class(self._mail_dir),
            server_cls=_server_class(),
        )
        self._port = int(self._server.server.server_address[1])
        self._thread = threading.Thread(target=self._server.server.serve_forever, name="api", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is None or self._thread is None:
            return
        self._server.shutdown()
        self._server.server.server_close()
        self._thread.join()

    @property
    def url(self) -> str:
        """Where the API answers."""
        return f"http://{self._host}:{self._port}"


def load_app() -> Any:
    """The Chalice app object of app.py."""
    from app import app

    return app


def _handler_class(mail_dir: Path | None = None) -> Any:
    """chalice's request handler, answering what API Gateway answers in AWS in the API's error shape:
    an unknown path at any depth is a 404 (the greedy /api/{proxy+} route in AWS), an HTTP method no
    route takes (TRACE, CONNECT, ...) a 405. GET/HEAD outside /api serve the web app (devstack/static.py),
    and /_mail the mail the local SMTP server received (devstack/mailbox.py)."""
    from chalice.local import ChaliceRequestHandler, ForbiddenError, LocalGatewayException

    from chalicelib.api.edge import json_error

    site = static.StaticSite()
    box = mailbox.Mailbox(mail_dir) if mail_dir is not None else None

    class Handler(ChaliceRequestHandler):  # type: ignore[misc]
        # Headers and body leave in separate writes; with Nagle's algorithm the body waits for the
        # client's delayed ACK (40 ms on Linux) on every keep-alive request.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            if not mailbox.serve(self, box) and not static.serve(self, site):
                self._generic_handle()

        do_HEAD = do_GET

        def _send_error_response(self, error: LocalGatewayException) -> None:
            if isinstance(error, ForbiddenError) and b"Missing Authentication Token" in (error.body or b""):
                body = json_error(404, "not_found", "There is no such API route.")
                self._send_http_response(404, {"Content-Type": "application/json"}, body)
                return
            super()._send_error_response(error)

        def _method_not_allowed(self) -> None:
            self._parse_payload()
            body = json_error(405, "method_not_allowed", f"{self.command} is not supported by this API.")
            allow = "GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS"
            headers = {"Content-Type": "application/json", "Allow": allow}
            self._send_http_response(405, headers, body)

        do_TRACE = do_CONNECT = do_PROPFIND = do_COPY = do_MOVE = do_LOCK = do_UNLOCK = _method_not_allowed

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            """The app logs every request itself (app.observe), with its duration; no second line."""

    return Handler


def _server_class() -> Any:
    """A threaded server that takes bursts of clients (listen backlog) and restarts on a just-freed port."""
    from chalice.local import ThreadedHTTPServer

    class Server(ThreadedHTTPServer):  # type: ignore[misc]
        request_queue_size = 256
        allow_reuse_address = True
        daemon_threads = True

    return Server
