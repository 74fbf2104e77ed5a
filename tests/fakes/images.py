"""In-memory fakes of the image registry's ports: an engine's images (beside a FakeEngine's containers) and
registry logins."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from chalicelib.domain.images.entities import RegistryCredential
from chalicelib.domain.images.ports import BuildResult, EngineImage
from chalicelib.domain.shared.errors import EngineError, NotFound
from tests.fakes.hosts import FakeEngine


class FakeImageEngine:
    """Images of one fake engine: what its containers can be created from. Never touches a network."""

    def __init__(self, engine: FakeEngine) -> None:
        self.engine = engine
        self.pulls: list[tuple[str, Mapping[str, str] | None]] = []
        self.pull_error: str | None = None  # what the registry answers instead of the image

    def inspect_image(self, reference: str) -> EngineImage | None:
        if reference not in self.engine.images:
            return None
        return EngineImage(id=f"sha256:{abs(hash(reference)):064d}"[:71], size_bytes=1000, tags=(reference,))

    def load_image(self, tarball_path: str) -> str:
        raise NotImplementedError

    def save_image(self, reference: str, path: str) -> None:
        raise NotImplementedError

    def tag_image(self, image_id: str, reference: str) -> None:
        self.engine.images.add(reference)

    def remove_image(self, reference: str) -> None:
        self.engine.images.discard(reference)

    def build_image(
        self, context_path: str, dockerfile: str, reference: str, on_log: Callable[[list[str]], None]
    ) -> BuildResult:
        raise NotImplementedError

    def pull_image(self, reference: str, auth: Mapping[str, str] | None) -> EngineImage:
        self.pulls.append((reference, auth))
        if self.pull_error is not None:
            raise EngineError(self.pull_error)
        self.engine.images.add(reference)
        found = self.inspect_image(reference)
        assert found is not None
        return found


class FakeRegistries:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], tuple[RegistryCredential, str]] = {}

    def add(self, credential: RegistryCredential, password_encrypted: str) -> None:
        self.items[(credential.organization_id, credential.server)] = (credential, password_encrypted)

    def list(self, org_id: str) -> list[RegistryCredential]:
        return [c for (org, _), (c, _) in self.items.items() if org == org_id]

    def remove(self, org_id: str, credential_id: str) -> None:
        for key, (c, _) in list(self.items.items()):
            if key[0] == org_id and c.id == credential_id:
                del self.items[key]
                return
        raise NotFound("no such login")

    def for_server(self, org_id: str, server: str) -> tuple[RegistryCredential, str] | None:
        return self.items.get((org_id, server))


def credential(org_id: str, server: str, username: str = "robot") -> RegistryCredential:
    return RegistryCredential("r1", org_id, server, username, datetime(2026, 1, 1, tzinfo=UTC))
