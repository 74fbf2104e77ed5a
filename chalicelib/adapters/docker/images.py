"""DockerImages: the ImageEngine port on one Docker Engine endpoint (load, save, tag, build, pull, remove),
sharing the DockerEngine's client. Builds never pull and have no network."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from chalicelib.adapters.docker.engine import DockerEngine
from chalicelib.adapters.docker.errors import engine_errors
from chalicelib.domain.images.ports import BuildResult, EngineImage
from chalicelib.domain.shared.errors import Conflict, EngineError, ImageNotFound

BUILD_TIMEOUT = 1800  # seconds one build may run
LOAD_TIMEOUT = 900
_LOADED_ID = re.compile(r"Loaded image ID:\s*(sha256:[0-9a-f]{64})")
_LOADED_NAME = re.compile(r"Loaded image:\s*(\S+)")
_LAYER = re.compile(r"^ ---> ([0-9a-f]{12,64})$", re.MULTILINE)
_IN_USE = re.compile(r"(being used by|image is referenced in multiple|conflict: unable to)", re.IGNORECASE)


class DockerImages:
    """Image operations on the engine behind `engine` (its connection pool and TLS are reused)."""

    def __init__(self, engine: DockerEngine) -> None:
        self._engine = engine
        self._slow: DockerEngine | None = None  # its own client with a long timeout: loads, builds, pulls

    def inspect_image(self, reference: str) -> EngineImage | None:
        import docker.errors

        with engine_errors(reference):
            try:
                attrs = self._api().inspect_image(reference)
            except docker.errors.ImageNotFound:
                return None
            except docker.errors.NotFound:
                return None
        return _engine_image(attrs)

    def load_image(self, tarball_path: str) -> str:
        with engine_errors("the uploaded image"), open(tarball_path, "rb") as data:
            messages = list(self._api(LOAD_TIMEOUT).load_image(data))
        loaded: str | None = None
        for message in _flatten(messages):
            if message.get("error"):
                raise EngineError(f"The engine could not load the image: {message['error']}")
            text = str(message.get("stream") or "")
            found = _LOADED_ID.search(text)
            if found:
                loaded = found.group(1)
        if loaded is None:
            raise EngineError("The engine loaded nothing from the tarball (is it a docker save archive?).")
        return loaded

    def save_image(self, reference: str, path: str) -> None:
        with engine_errors(reference), open(path, "wb") as out:
            for chunk in self._api(LOAD_TIMEOUT).get_image(reference):
                out.write(chunk)

    def tag_image(self, image_id: str, reference: str) -> None:
        repository, _, tag = reference.rpartition(":")
        if "/" in tag:  # no tag: a registry port was taken for one
            repository, tag = reference, "latest"
        with engine_errors(reference):
            if not self._api().tag(image_id, repository, tag, force=True):
                raise EngineError(f"The engine did not tag the image as {reference}.")

    def remove_image(self, reference: str) -> None:
        import docker.errors

        with engine_errors(reference):
            try:
                self._api().remove_image(reference, force=False, noprune=False)
            except docker.errors.NotFound:
                return
            except docker.errors.APIError as exc:
                if exc.status_code == 409 or _IN_USE.search(str(exc.explanation or "")):
                    raise Conflict(
                        "A container on the host still uses the image; delete that container first."
                    ) from exc
                raise

    def build_image(
        self, context_path: str, dockerfile: str, reference: str, on_log: Callable[[list[str]], None]
    ) -> BuildResult:
        image_id: str | None = None
        error: str | None = None
        layers: list[str] = []  # intermediate images: a failed build removes them
        with engine_errors(reference), open(context_path, "rb") as context:
            stream = self._api(BUILD_TIMEOUT).build(
                fileobj=context,
                custom_context=True,
                dockerfile=dockerfile,
                tag=reference,
                rm=True,
                forcerm=True,
                pull=False,
                network_mode="none",
                nocache=True,  # never another organization's cached layers (nor telling it what they built)
                decode=True,
            )
            for message in stream:
                lines: list[str] = []
                if message.get("stream"):
                    lines = str(message["stream"]).rstrip("\n").split("\n")
                    found = re.search(r"Successfully built ([0-9a-f]{12,64})", str(message["stream"]))
                    if found:
                        image_id = found.group(1)
                    layers += _LAYER.findall(str(message["stream"]))
                if message.get("aux", {}).get("ID"):
                    image_id = str(message["aux"]["ID"])
                if message.get("error"):
                    error = str(message["error"]).strip()
                    lines = [f"ERROR: {error}"]
                if lines:
                    on_log(lines)
        if error is not None:
            for layer in reversed(layers):
                with contextlib.suppress(Exception):
                    self._api().remove_image(layer, force=False, noprune=False)
            return BuildResult(None, error)
        return BuildResult(image_id, None if image_id else "The build produced no image.")

    def pull_image(self, reference: str, auth: Mapping[str, str] | None) -> EngineImage:
        import docker.errors

        repository, _, tag = reference.rpartition(":")
        if not repository or "/" in tag:
            repository, tag = reference, "latest"
        with engine_errors(reference):
            try:
                for message in self._api(LOAD_TIMEOUT).pull(
                    repository, tag=tag, stream=True, decode=True, auth_config=dict(auth) if auth else None
                ):
                    if message.get("error"):
                        raise EngineError(str(message["error"]).strip())
            except docker.errors.NotFound as exc:
                raise ImageNotFound(str(exc.explanation or exc), details={"image": reference}) from exc
            except docker.errors.APIError as exc:
                raise EngineError(str(exc.explanation or exc)) from exc
            found = self.inspect_image(reference)
        if found is None:
            raise EngineError(f"The engine reported no image {reference} after pulling it.")
        return found

    def _api(self, timeout: int | None = None) -> Any:
        if timeout is None:
            return self._engine._client().api
        if self._slow is None:
            self._slow = DockerEngine(self._engine.url, self._engine._tls, timeout=BUILD_TIMEOUT)
        return self._slow._client().api


def _engine_image(attrs: Mapping[str, Any]) -> EngineImage:
    return EngineImage(
        id=str(attrs["Id"]),
        size_bytes=int(attrs.get("Size") or 0),
        tags=tuple(str(t) for t in attrs.get("RepoTags") or ()),
        repo_digests=tuple(str(d) for d in attrs.get("RepoDigests") or ()),
    )


def _flatten(messages: Iterable[Any]) -> Iterable[dict[str, Any]]:
    for message in messages:
        if isinstance(message, dict):
            yield message
        elif isinstance(message, bytes | str):
            for line in (message.decode() if isinstance(message, bytes) else message).splitlines():
                try:
                    parsed = json.loads(line)
                except ValueError:
                    continue
                if isinstance(parsed, dict):
                    yield parsed
