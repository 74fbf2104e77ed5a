"""What the image registry needs: its records, the object store of uploads and logs, and image operations on
one Docker Engine endpoint."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from chalicelib.domain.hosts.entities import Host
from chalicelib.domain.images.entities import Image, RegistryCredential, Upload
from chalicelib.domain.shared.paging import Page


class Images(Protocol):
    """Image records (one organization's partition), their name reservations and the organization's usage."""

    def add(self, image: Image) -> None:
        """Write the record and reserve its name:tag. Raises Conflict (field `name`) when it is taken."""
        ...

    def get(self, org_id: str, image_id: str, *, consistent: bool = False) -> Image:
        """Raises NotFound (also for another organization's image)."""
        ...

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Image]:
        """Newest first. Raises ValidationFailed (field `cursor`) for a cursor not made here."""
        ...

    def update(self, old: Image, new: Image, *, limit_bytes: int | None = None) -> None:
        """Write `new` over `old` if still at `old.version`; the organization's usage moves by
        `new.held_bytes - old.held_bytes` in the same transaction (growing only up to `limit_bytes`).
        Raises Conflict (changed meanwhile) or ImageQuotaExceeded."""
        ...

    def delete(self, image: Image) -> None:
        """Delete the record and its name, giving back what it holds, if still at `image.version`.
        Raises Conflict otherwise."""
        ...

    def usage(self, org_id: str) -> int:
        """Bytes the organization's images hold."""
        ...


class Registries(Protocol):
    """An organization's registry logins (platform code reads the ciphertext; nothing returns it)."""

    def add(self, credential: RegistryCredential, password_encrypted: str) -> None:
        """Add or replace the login for `credential.server`."""
        ...

    def list(self, org_id: str) -> list[RegistryCredential]: ...

    def remove(self, org_id: str, credential_id: str) -> None:
        """Raises NotFound."""
        ...

    def for_server(self, org_id: str, server: str) -> tuple[RegistryCredential, str] | None:
        """The login and its ciphertext for a registry host, or None."""
        ...


class ImageArchive(Protocol):
    """The object store of uploaded tarballs, build contexts and build logs (S3)."""

    def upload_url(self, key: str, size_bytes: int, expires_seconds: int) -> Upload:
        """A presigned PUT of exactly `size_bytes` bytes to `key`."""
        ...

    def size_of(self, key: str) -> int | None:
        """The stored object's size, or None when nothing was uploaded."""
        ...

    def download(self, key: str, path: str) -> None:
        """Copy the object to a local file. Raises NotFound."""
        ...

    def put_text(self, key: str, text: str) -> None: ...

    def delete(self, key: str) -> None:
        """No error when it is already gone."""
        ...


@dataclass(frozen=True)
class EngineImage:
    id: str  # sha256:...
    size_bytes: int
    tags: tuple[str, ...]
    repo_digests: tuple[str, ...] = ()


@dataclass(frozen=True)
class BuildResult:
    image_id: str | None  # None: the build failed (the log says why)
    error: str | None


class ImageEngine(Protocol):
    """Image operations on one engine. Raises EngineUnavailable (transient) or EngineError."""

    def inspect_image(self, reference: str) -> EngineImage | None:
        """The image by reference or id, or None when the host does not have it."""
        ...

    def load_image(self, tarball_path: str) -> str:
        """`docker load` an untagged tarball; returns the loaded image's id."""
        ...

    def save_image(self, reference: str, path: str) -> None:
        """`docker save` one image into a local file."""
        ...

    def tag_image(self, image_id: str, reference: str) -> None: ...

    def remove_image(self, reference: str) -> None:
        """Untag/remove; no error when it is gone. Raises Conflict when a container uses it."""
        ...

    def build_image(
        self, context_path: str, dockerfile: str, reference: str, on_log: Callable[[list[str]], None]
    ) -> BuildResult:
        """Build from a context tarball (no network, nothing pulled), passing log lines to `on_log` as they
        come; tags the result as `reference`."""
        ...

    def pull_image(self, reference: str, auth: Mapping[str, str] | None) -> EngineImage:
        """Pull from a registry (with a login when given). Raises ImageNotFound or EngineError."""
        ...


ImageEngineFor = Callable[[Host], ImageEngine]


class ContainersUsing(Protocol):
    """Which of an organization's containers run an image reference (as written on the container)."""

    def __call__(self, org_id: str, reference: str) -> Iterator[str]: ...
