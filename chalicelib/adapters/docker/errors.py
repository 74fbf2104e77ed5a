"""Docker SDK and transport exceptions as domain errors (the docker SDK is imported lazily)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from chalicelib.domain.shared.errors import (
    DomainError,
    EngineContainerMissing,
    EngineError,
    EngineUnavailable,
    ImageNotFound,
    PortInUse,
)

_PORT_IN_USE = re.compile(r"port is already allocated|address already in use", re.IGNORECASE)
_PORT_IN_MESSAGE = re.compile(r"(?:Bind for|listen \w+) \S*:(\d+)")
_NETWORK_MISSING = re.compile(r"^network \S+ not found", re.IGNORECASE)
_NOT_ANSWERING = "The container engine is not answering right now; try again shortly."


@contextlib.contextmanager
def engine_errors(subject: str) -> Iterator[None]:
    """Re-raise SDK and transport errors as domain errors about `subject` (container, image or volume)."""
    import docker.errors
    import requests

    try:
        yield
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        raise translate_error(exc, subject) from exc


def translate_error(exc: Exception, subject: str) -> DomainError:
    """The domain error for an SDK/transport exception raised while acting on `subject`."""
    import docker.errors
    import requests

    if _caused_by(exc, requests.exceptions.SSLError):
        return EngineError(f"TLS with the container engine failed: {exc}")
    if _caused_by(exc, requests.exceptions.ConnectionError, requests.exceptions.Timeout):
        return EngineUnavailable(_NOT_ANSWERING)
    if isinstance(exc, docker.errors.ImageNotFound):
        return ImageNotFound(
            f"Image {subject!r} is not available on the container host (images are never pulled); "
            "choose an image that is there.",
            details={"image": subject},
        )
    if isinstance(exc, docker.errors.NotFound) and _NETWORK_MISSING.search(str(exc.explanation or "")):
        # Only a concurrent removal of the organization's last other container does this, between
        # ensure_network and start: a retry (which ensures the network again) succeeds.
        return EngineUnavailable(
            "The organization's network on the container host was being replaced; try again shortly."
        )
    if isinstance(exc, docker.errors.NotFound):
        return EngineContainerMissing(
            f"The engine has no container {subject!r}.", details={"container": subject}
        )
    if isinstance(exc, docker.errors.APIError):
        explanation = str(exc.explanation or exc)
        if _PORT_IN_USE.search(explanation):
            match = _PORT_IN_MESSAGE.search(explanation)
            port = int(match.group(1)) if match else None
            which = f"Host port {port} is" if port else "A requested host port is"
            return PortInUse(
                f"{which} already in use on the container host; choose another.", details={"port": port}
            )
        status = exc.status_code or 0
        if status in (502, 503, 504) or (status >= 500 and "connection refused" in explanation.lower()):
            return EngineUnavailable(_NOT_ANSWERING)
        return EngineError(f"The container engine refused the request for {subject!r}: {explanation}")
    return EngineError(f"The container engine call for {subject!r} failed: {exc}")


def _caused_by(exc: BaseException | None, *kinds: type[BaseException]) -> bool:
    while exc is not None:
        if isinstance(exc, kinds):
            return True
        exc = exc.__cause__
    return False
