"""The Chalice app (app.py) served by chalice's threaded local server, in this process."""

from __future__ import annotations

import threading
from typing import Any

from devstack import REPO_ROOT
from devstack.environment import chalice_config_file
from devstack.net import LOOPBACK


class ApiServer:
    """Serves `from app import app` on host:port (port 0 picks a free port)."""

    def __init__(self, port: int, stage: str = "local", host: str = LOOPBACK) -> None:
        self._host = host
        self._port = port
        self._stage = stage
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Import the app and start serving on a daemon thread."""
        from chalice.config import Config
        from chalice.local import LocalChalice, LocalDevServer, create_local_server

        app = load_app()
        config = Config(
            chalice_stage=self._stage,
            user_provided_params={"chalice_app": app, "project_dir": str(REPO_ROOT)},
            config_from_disk=chalice_config_file(),
        )
        # create_local_server swaps the app's class; doing that twice would make a class its own base.
        make_server = LocalDevServer if isinstance(app, LocalChalice) else create_local_server
        self._server = make_server(app, config, self._host, self._port)
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
