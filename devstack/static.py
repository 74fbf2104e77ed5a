"""The web app (web/dist, built by `make web`) served by the local stack on the API's own URL.

`/api/...` stays with the Chalice app; any other GET or HEAD is a file of the build, or index.html for the
app's client-side routes (/dashboard, /containers/…), as CloudFront does in AWS.
"""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from devstack import REPO_ROOT

WEB_DIST = REPO_ROOT / "web" / "dist"
INDEX = "index.html"
# Hashed build output never changes under the same name; everything else is revalidated.
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)


def content_security_policy() -> str:
    """The policy, with the local stack's S3 (moto on 127.0.0.1) in connect-src: the images page PUTs
    uploads to presigned URLs there (in AWS they go to the bucket's own S3 host)."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL", "").rstrip("/")
    if not endpoint.startswith("http://127.0.0.1:"):
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace("connect-src 'self'", f"connect-src 'self' {endpoint}")


NOT_BUILT = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>ContainerStacks</title>"
    "<h1>The web app is not built yet</h1><p>Run <code>make web</code> (or <code>make dev</code>, "
    "which builds it) and reload. The API is already here: "
    "<a href=/api/openapi.json>/api/openapi.json</a>.</p></html>"
)


@dataclass(frozen=True)
class StaticResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def is_api_path(raw_path: str) -> bool:
    """True for /api and everything under it (the Chalice app answers those)."""
    path = urlsplit(raw_path).path
    return path == "/api" or path.startswith("/api/")


class StaticSite:
    """Answers GET/HEAD from a Vite build; files are read per request, so a rebuild shows at once."""

    def __init__(self, root: Path = WEB_DIST) -> None:
        self._root = root.resolve()

    def respond(self, raw_path: str) -> StaticResponse:
        index = self._root / INDEX
        if not index.is_file():
            return _response(503, NOT_BUILT.encode(), "text/html; charset=utf-8", REVALIDATE)
        path = unquote(urlsplit(raw_path).path)
        found = self._file(path)
        if found is not None:
            cache = IMMUTABLE if path.startswith("/assets/") else REVALIDATE
            return _response(200, found.read_bytes(), _content_type(found), cache)
        if path.startswith("/assets/") or Path(path).suffix:
            return _response(404, b"Not found\n", "text/plain; charset=utf-8", REVALIDATE)
        # A client-side route: the app decides what to show (including its own "page not found").
        return _response(200, index.read_bytes(), "text/html; charset=utf-8", REVALIDATE)

    def _file(self, path: str) -> Path | None:
        if "\x00" in path or path.endswith("/"):
            return None
        candidate = (self._root / path.lstrip("/")).resolve()
        if not candidate.is_relative_to(self._root) or not candidate.is_file():
            return None
        return candidate


def _content_type(path: Path) -> str:
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if guessed.startswith("text/") or guessed in (
        "application/javascript",
        "image/svg+xml",
        "application/json",
    ):
        return f"{guessed}; charset=utf-8"
    return guessed


def _response(status: int, body: bytes, content_type: str, cache: str) -> StaticResponse:
    headers = {
        "Content-Type": content_type,
        "Cache-Control": cache,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    if content_type.startswith("text/html"):
        headers["Content-Security-Policy"] = content_security_policy()
    return StaticResponse(status, body, headers)


class _Handler(Protocol):
    command: str
    path: str

    def send_response(self, code: int, message: str | None = None) -> None: ...
    def send_header(self, keyword: str, value: str) -> None: ...
    def end_headers(self) -> None: ...

    @property
    def wfile(self) -> _Writable: ...


class _Writable(Protocol):
    def write(self, data: bytes, /) -> int: ...


def serve(handler: _Handler, site: StaticSite) -> bool:
    """Answer a GET/HEAD that is not for the API from the build; False leaves the request to the API."""
    if is_api_path(handler.path):
        return False
    response = site.respond(handler.path)
    handler.send_response(response.status)
    for name, value in response.headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(response.body)))
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(response.body)
    return True
