"""Images: the registry service, the workflow steps and the provisioning's image supply (S3, Docker, KMS)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.domain.hosts.entities import Host
from chalicelib.domain.images.ports import ImageEngine
from chalicelib.domain.images.service import ImageService
from chalicelib.domain.images.supply import ImageSupply
from chalicelib.domain.images.worker import ImageWorker
from chalicelib.wiring import component, secret_box, settings, workflows
from chalicelib.wiring.events import audit_trail, notifier
from chalicelib.wiring.hosts import get_hosts

if TYPE_CHECKING:
    from chalicelib.domain.images.ports import ImageEngineFor


@component
def image_engines() -> ImageEngineFor:
    """The ImageEngine of a host, over the same connection as its ContainerEngine (one per host)."""
    from chalicelib.adapters.docker.images import DockerImages

    hosts = get_hosts()
    cache: dict[tuple[str, str], ImageEngine] = {}

    def for_host(host: Host) -> ImageEngine:
        key = (host.id, host.url)
        if key not in cache:
            engine: Any = hosts.engine_for(host)
            cache[key] = DockerImages(engine)
        return cache[key]

    return for_host


@component
def image_archive() -> Any:
    from chalicelib.adapters.aws.image_archive import S3ImageArchive

    current = settings()
    return S3ImageArchive(current.images.bucket, current.region)


@component
def get_images() -> ImageService:
    from chalicelib.domain.images.usage import ContainersOfOrganization
    from chalicelib.store.containers.repository import ContainerRepository
    from chalicelib.store.hosts.repository import HostRepository
    from chalicelib.store.images.repository import ImageRepository, RegistryRepository

    current = settings()
    service = ImageService(
        ImageRepository(),
        image_archive(),
        workflows(),
        HostRepository(),
        image_engines(),
        ContainersOfOrganization(ContainerRepository()),
        RegistryRepository(),
        secret_box(),
        current.images,
    )
    service.audit = audit_trail()
    return service


@component
def get_image_worker() -> ImageWorker:
    from chalicelib.store.hosts.repository import HostRepository
    from chalicelib.store.images.repository import ImageRepository

    current = settings()
    return ImageWorker(
        ImageRepository(),
        image_archive(),
        HostRepository(),
        image_engines(),
        current.images,
        notifier=notifier(),
    )


@component
def get_image_supply() -> ImageSupply:
    from chalicelib.store.images.repository import RegistryRepository

    current = settings()
    return ImageSupply(image_engines(), RegistryRepository(), secret_box(), pull=current.images.pull)
