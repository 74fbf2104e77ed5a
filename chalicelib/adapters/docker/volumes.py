"""Volume archives through a throwaway helper container (a static busybox image, never the customer's):
created with the volumes mounted under /backup/<dir>, read with the engine's archive API, removed after."""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, BinaryIO

from chalicelib.adapters.docker.engine import DockerEngine
from chalicelib.adapters.docker.errors import engine_errors
from chalicelib.domain.backups.ports import VolumeDirs
from chalicelib.domain.hosts.engine import ContainerEngine
from chalicelib.domain.shared.errors import EngineError

if TYPE_CHECKING:
    from docker import DockerClient

ROOT = "/backup"
CLEAR_TIMEOUT = 300  # seconds an emptying helper may take


class DockerVolumeArchiver:
    """Implements the VolumeArchiver port on one Docker Engine."""

    def __init__(self, engine: ContainerEngine, helper_image: str) -> None:
        if not isinstance(engine, DockerEngine):
            raise TypeError("volume archives need a Docker engine")
        self._engine = engine
        self._image = helper_image

    def export(self, job: str, labels: Mapping[str, str], volumes: VolumeDirs, into: BinaryIO) -> None:
        client = self._client()
        with engine_errors(job):
            for name, _ in volumes:
                self._require_volume(client, name)
        with (
            self._helper(job, labels, volumes, read_only=True, command=["true"]) as helper,
            engine_errors(job),
        ):
            stream, _ = helper.get_archive(ROOT)
            into.seek(0)
            into.truncate()
            for chunk in stream:
                into.write(chunk)
            into.seek(0)

    def restore(self, job: str, labels: Mapping[str, str], volumes: VolumeDirs, source: BinaryIO) -> None:
        client = self._client()
        with engine_errors(job):
            for name, _ in volumes:
                self._require_volume(client, name)
        targets = " ".join(shlex.quote(f"{ROOT}/{d}") for _, d in volumes)
        clear = (
            f'for d in {targets}; do find "$d" -mindepth 1 -maxdepth 1 -exec rm -rf {{}} + || exit 1; done'
        )
        with self._helper(job, labels, volumes, read_only=False, command=["sh", "-c", clear]) as helper:
            with engine_errors(job):
                helper.start()
                result = helper.wait(timeout=CLEAR_TIMEOUT)
            if int(result.get("StatusCode", 1)) != 0:
                raise EngineError(f"The volumes could not be emptied before the restore (exit {result}).")
            source.seek(0)
            with engine_errors(job):
                if not helper.put_archive("/", source.read()):
                    raise EngineError("The engine refused to extract the archive into the volumes.")

    def create_volume(self, name: str, labels: Mapping[str, str]) -> None:
        with engine_errors(name):
            self._client().api.create_volume(name, labels=dict(labels))

    def remove_volume(self, name: str) -> None:
        self._engine.remove_volume(name)

    @contextlib.contextmanager
    def _helper(
        self, job: str, labels: Mapping[str, str], volumes: VolumeDirs, *, read_only: bool, command: list[str]
    ) -> Iterator[Any]:
        import docker.errors

        client = self._client()
        with engine_errors(self._image):
            try:
                client.images.get(self._image)
            except docker.errors.ImageNotFound as exc:
                raise EngineError(
                    f"The backup helper image {self._image!r} is not on the host (CS_BACKUP_HELPER_IMAGE); "
                    "build it there first (README, Backups)."
                ) from exc
        name = f"{job}-{id(self):x}"
        with engine_errors(job):
            helper = client.containers.create(
                self._image,
                command=command,
                name=name,
                labels=dict(labels),
                network_mode="none",
                cap_drop=["ALL"],
                cap_add=["CHOWN", "DAC_OVERRIDE", "FOWNER"],
                security_opt=["no-new-privileges"],
                volumes={
                    engine_volume: {"bind": f"{ROOT}/{d}", "mode": "ro" if read_only else "rw"}
                    for engine_volume, d in volumes
                },
            )
        try:
            yield helper
        finally:
            with contextlib.suppress(docker.errors.DockerException):
                helper.remove(force=True)

    @staticmethod
    def _require_volume(client: DockerClient, name: str) -> None:
        import docker.errors

        try:
            client.api.inspect_volume(name)
        except docker.errors.NotFound as exc:
            raise EngineError(
                "A volume to back up does not exist on the host yet (has the container run?)."
            ) from exc

    def _client(self) -> DockerClient:
        return self._engine._client()
