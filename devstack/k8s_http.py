"""The Kubernetes sandbox stub over HTTP on 127.0.0.1: the API server's REST paths for what ContainerStacks
uses (Bearer tokens; a request without one is anonymous and may read /version only, as on a cluster) and
the sandbox's own controls under /__control (no token: loopback only).

  GET /version
  /api/v1/namespaces[/{name}]                                   GET, POST, DELETE
  /apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies[/{name}]   GET, POST, PUT, DELETE
  /apis/apps/v1/namespaces/{ns}/deployments[/{name}[/scale]]    GET, POST, PUT, PATCH, DELETE
  /api/v1/namespaces/{ns}/services[/{name}]                     GET, POST, PUT, DELETE
  /api/v1/namespaces/{ns}/pods[/{name}[/log]]                   GET (pods are made by their Deployment)

Controls (JSON bodies):
  POST /__control/reset                          forget every object, pod, request and missing image
  POST /__control/config {"rollout_seconds"}     how long a new pod stays Pending before Running
  POST /__control/missing-images {"image"}       pods of this image wait in ImagePullBackOff
  POST /__control/tokens {"token"}               accept one more bearer token
  POST /__control/pods/{ns}/{name}/log {"line"}  a line the pod "prints"
  GET  /__control/requests                       the last 1000 API requests (method, path, status, body)
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from devstack.k8s_objects import KubeError, bad_request, unauthorized
from devstack.k8s_stub import VERSION, KubeStub
from devstack.net import LOOPBACK

_NAME = r"(?P<name>[^/]+)"
PATHS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^/api/v1/namespaces(?:/{_NAME})?$"), "namespaces"),
    (re.compile(rf"^/api/v1/namespaces/(?P<ns>[^/]+)/services(?:/{_NAME})?$"), "services"),
    (re.compile(rf"^/api/v1/namespaces/(?P<ns>[^/]+)/pods(?:/{_NAME}(?:/(?P<sub>log))?)?$"), "pods"),
    (
        re.compile(rf"^/apis/apps/v1/namespaces/(?P<ns>[^/]+)/deployments(?:/{_NAME}(?:/(?P<sub>scale))?)?$"),
        "deployments",
    ),
    (
        re.compile(rf"^/apis/networking\.k8s\.io/v1/namespaces/(?P<ns>[^/]+)/networkpolicies(?:/{_NAME})?$"),
        "networkpolicies",
    ),
]
PATCH_TYPES = ("application/merge-patch+json", "application/strategic-merge-patch+json")
_POD_LOG = re.compile(r"^/__control/pods/(?P<ns>[^/]+)/(?P<name>[^/]+)/log$")


class KubeServer:
    """Serves a KubeStub on 127.0.0.1:`port` (0: a free port). `url` is the cluster's API endpoint."""

    def __init__(self, stub: KubeStub | None = None, port: int = 0) -> None:
        self.stub = stub or KubeStub()
        self._server = ThreadingHTTPServer((LOOPBACK, port), _handler(self.stub))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self._server.server_address[1]}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, name="k8s-stub", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def _first(query: dict[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    return values[0] if values else None


def _bool(query: dict[str, list[str]], key: str) -> bool:
    """As the API server parses it (Go's strconv.ParseBool): the Python client sends True as "True"."""
    raw = _first(query, key)
    if raw in (None, "0", "f", "F", "false", "FALSE", "False"):
        return False
    if raw in ("1", "t", "T", "true", "TRUE", "True"):
        return True
    raise bad_request(f"invalid {key}: {raw!r}")


def _int(query: dict[str, list[str]], key: str) -> int | None:
    raw = _first(query, key)
    if raw is None:
        return None
    if not re.fullmatch(r"-?[0-9]+", raw):
        raise bad_request(f"invalid {key}: {raw!r}")
    return int(raw)


def run(stub: KubeStub, method: str, path: str, query: dict[str, list[str]], body: Any, kind: str) -> Any:
    """One API request's answer (a JSON object, or text for pods/log); KubeError for a Status answer."""
    if path.rstrip("/") == "/version" and method == "GET":
        return dict(VERSION)
    for pattern, resource in PATHS:
        match = pattern.match(path)
        if match is None:
            continue
        ns, name, sub = match.groupdict().get("ns"), match["name"], match.groupdict().get("sub")
        if name is None:
            if method == "GET":
                return stub.list_of(resource, ns, _first(query, "labelSelector"))
            if method == "POST" and resource != "pods":
                return stub.create(resource, ns, body)
        elif sub == "log" and method == "GET":
            timestamps = _bool(query, "timestamps")
            return stub.pod_log(
                ns or "", name, _int(query, "tailLines"), _int(query, "sinceSeconds"), timestamps
            )
        elif sub == "scale" and method in ("GET", "PUT", "PATCH"):
            if method == "GET":
                return stub.get_scale(ns or "", name)
            if method == "PATCH":
                _patch_type(kind)
                return stub.replace_scale(ns or "", name, _scale_patch(stub, ns or "", name, body))
            return stub.replace_scale(ns or "", name, body)
        elif sub is None and method == "GET":
            return stub.get(resource, ns, name)
        elif sub is None and method == "PUT" and resource != "pods":
            return stub.replace(resource, ns, name, body)
        elif sub is None and method == "PATCH" and resource == "deployments":
            _patch_type(kind)
            return stub.patch(resource, ns or "", name, body)
        elif sub is None and method == "DELETE" and resource != "pods":
            return stub.delete(resource, ns, name)
        raise KubeError(
            405, "MethodNotAllowed", "the server does not allow this method on the requested resource"
        )
    raise KubeError(404, "NotFound", "the server could not find the requested resource")


def _patch_type(kind: str) -> None:
    if kind not in PATCH_TYPES:
        raise KubeError(
            415, "UnsupportedMediaType", f"the body of the request was in an unknown format - {kind}"
        )


def _scale_patch(stub: KubeStub, ns: str, name: str, patch: Any) -> dict[str, Any]:
    from devstack.k8s_objects import merge_patch

    current = stub.get_scale(ns, name)
    current["metadata"].pop("resourceVersion", None)
    result: dict[str, Any] = merge_patch(current, patch)
    return result


def _handler(stub: KubeStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        def do_PUT(self) -> None:
            self._dispatch("PUT")

        def do_PATCH(self) -> None:
            self._dispatch("PATCH")

        def do_DELETE(self) -> None:
            self._dispatch("DELETE")

        def _dispatch(self, method: str) -> None:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            kind = (self.headers.get("Content-Type") or "application/json").split(";")[0].strip().lower()
            try:
                body = json.loads(raw) if raw.strip() else None
            except ValueError:
                self._send(400, bad_request("the request body is not valid JSON").body)
                return
            if url.path.startswith("/__control/"):
                self._control(method, url.path, body if isinstance(body, dict) else {})
                return
            status, answer = self._api(method, url.path, parse_qs(url.query), body, kind)
            with stub.lock:
                stub.requests.append(
                    {"method": method, "path": url.path, "query": url.query, "status": status, "body": body}
                )
            self._send(status, answer)

        def _api(self, method: str, path: str, query: Any, body: Any, kind: str) -> tuple[int, Any]:
            authorization = self.headers.get("Authorization")
            token = (authorization or "").removeprefix("Bearer ").strip()
            anonymous_ok = authorization is None and path.rstrip("/") == "/version"
            if not anonymous_ok and token not in stub.tokens:
                return 401, unauthorized().body
            try:
                return 200 if method != "POST" else 201, run(stub, method, path, query, body, kind)
            except KubeError as exc:
                return exc.code, exc.body

        def _control(self, method: str, path: str, given: dict[str, Any]) -> None:
            try:
                if (method, path) == ("POST", "/__control/reset"):
                    stub.reset()
                elif (method, path) == ("POST", "/__control/config"):
                    with stub.lock:
                        stub.rollout_seconds = max(0.0, float(given.get("rollout_seconds", 0)))
                elif (method, path) == ("POST", "/__control/missing-images") and given.get("image"):
                    with stub.lock:
                        stub.missing_images.add(str(given["image"]))
                elif (method, path) == ("POST", "/__control/tokens") and given.get("token"):
                    with stub.lock:
                        stub.tokens.add(str(given["token"]))
                elif (method, path) == ("GET", "/__control/requests"):
                    with stub.lock:
                        return self._send(200, {"items": list(stub.requests)})
                elif method == "POST" and (match := _POD_LOG.match(path)):
                    stub.log_line(match["ns"], match["name"], str(given.get("line", "")))
                else:
                    return self._send(404, {"message": "No such control"})
            except KubeError as exc:
                return self._send(exc.code, exc.body)
            except (TypeError, ValueError) as exc:
                return self._send(400, {"message": str(exc)})
            return self._send(200, {})

        def _send(self, status: int, answer: Any) -> None:
            text = isinstance(answer, str)
            payload = answer.encode() if text else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain" if text else "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler
