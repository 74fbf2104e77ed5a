"""Images: an organization uploads `docker save` tarballs or builds from a Dockerfile; workflows put them on
the hosts under its own namespace, where only its containers can run them."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import replace

from chalicelib.domain.audit.events import AuditTrail, NoAudit, deleted
from chalicelib.domain.hosts.ports import Hosts
from chalicelib.domain.images.entities import (
    AWAITING_UPLOAD,
    BUILD_IMAGE,
    BUILDING,
    LOAD_IMAGE,
    LOADING,
    SETTLED,
    Image,
    ImageQuotaExceeded,
    ImageRequest,
    RegistryCredential,
    Upload,
    Usage,
    check_request,
    log_key,
    registry_of,
    upload_key,
)
from chalicelib.domain.images.limits import ImageSettings
from chalicelib.domain.images.ports import ContainersUsing, ImageArchive, ImageEngineFor, Images, Registries
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, NotFound, ValidationFailed
from chalicelib.domain.shared.ids import new_ulid
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.shared.secrets import SecretBox
from chalicelib.domain.shared.workflows import Workflows

log = logging.getLogger(__name__)


def registry_context(org_id: str, server: str) -> dict[str, str]:
    """KMS encryption context of a registry password: it only opens for that organization and registry."""
    return {"purpose": "registry-password", "organization_id": org_id, "server": server}


class ImageService:
    """The organization's images and registry logins. Raises NotFound, Conflict, ImageQuotaExceeded,
    ValidationFailed and ServiceUnavailable."""

    audit: AuditTrail = NoAudit()

    def __init__(
        self,
        images: Images,
        archive: ImageArchive,
        workflows: Workflows,
        hosts: Hosts,
        images_for: ImageEngineFor,
        containers_using: ContainersUsing,
        registries: Registries,
        box: SecretBox,
        settings: ImageSettings,
        *,
        clock: Clock = utcnow,
    ) -> None:
        self._images = images
        self._archive = archive
        self._workflows = workflows
        self._hosts = hosts
        self._images_for = images_for
        self._containers_using = containers_using
        self._registries = registries
        self._box = box
        self._settings = settings
        self._clock = clock

    # ------------------------------------------------------------ reads
    def page(self, p: Principal, limit: int, cursor: str | None) -> Page[Image]:
        return self._images.page(p.organization_id, limit, cursor)

    def get(self, p: Principal, image_id: str) -> Image:
        return self._images.get(p.organization_id, image_id)

    def usage(self, p: Principal) -> Usage:
        return Usage(self._images.usage(p.organization_id), self._settings.quota_bytes)

    # ------------------------------------------------------------ upload / build
    def request_upload(self, p: Principal, req: ImageRequest) -> tuple[Image, Upload]:
        """Reserve name:tag and hand out a presigned PUT for a `docker save` tarball of one image."""
        return self._request(p, replace(req, dockerfile=None))

    def request_build(self, p: Principal, req: ImageRequest) -> tuple[Image, Upload]:
        """Reserve name:tag and hand out a presigned PUT for the build context (a tar, gzip allowed)."""
        if req.dockerfile is None:
            raise ValidationFailed("dockerfile: required for a build.", details={"field": "dockerfile"})
        return self._request(p, req)

    def _request(self, p: Principal, req: ImageRequest) -> tuple[Image, Upload]:
        check_request(req, self._settings.max_upload_bytes)
        used = self._images.usage(p.organization_id)
        if used + req.size_bytes > self._settings.quota_bytes:
            raise ImageQuotaExceeded(
                f"Your organization's images use {used} of {self._settings.quota_bytes} bytes; "
                f"this upload of {req.size_bytes} bytes does not fit; delete images you no longer need.",
                details={
                    "field": "size_bytes",
                    "used_bytes": used,
                    "limit_bytes": self._settings.quota_bytes,
                },
            )
        now = self._clock()
        image = Image(
            id=new_ulid(),
            organization_id=p.organization_id,
            name=req.name,
            tag=req.tag,
            source="build" if req.dockerfile is not None else "upload",
            status=AWAITING_UPLOAD,
            status_reason=None,
            declared_bytes=req.size_bytes,
            size_bytes=0,
            digest=None,
            repo_tags=(),
            host_ids=(),
            dockerfile=req.dockerfile,
            log_tail=(),
            version=1,
            created_by=p.user_id,
            created_at=now,
            updated_at=now,
        )
        self._images.add(image)
        upload = self._archive.upload_url(
            upload_key(image), req.size_bytes, self._settings.upload_url_seconds
        )
        return image, upload

    def complete(self, p: Principal, image_id: str) -> Image:
        """The client finished its upload: load it onto the hosts (or build it) in the background."""
        image = self._images.get(p.organization_id, image_id, consistent=True)
        if image.status != AWAITING_UPLOAD:
            if image.status in (LOADING, BUILDING):
                return image  # a repeated completion: the workflow already runs
            raise Conflict(f"The image is {image.status}; upload again as a new image.")
        size = self._archive.size_of(upload_key(image))
        if size is None:
            raise Conflict(
                "Nothing was uploaded yet: PUT the file to the upload URL first, then complete.",
                details={"status": image.status},
            )
        if size != image.declared_bytes:
            raise Conflict(
                f"The upload has {size} bytes, not the {image.declared_bytes} announced; upload it again.",
                details={"status": image.status},
            )
        building = image.source == "build"
        updated = replace(
            image,
            status=BUILDING if building else LOADING,
            version=image.version + 1,
            updated_at=self._clock(),
        )
        self._images.update(image, updated)
        try:
            self._workflows.start(
                BUILD_IMAGE if building else LOAD_IMAGE,
                f"image-{image.id}",
                {"organization_id": image.organization_id, "image_id": image.id},
            )
        except Exception:
            with contextlib.suppress(Conflict, NotFound):
                self._images.update(
                    updated, replace(updated, status=AWAITING_UPLOAD, version=updated.version + 1)
                )
            raise
        return updated

    # ------------------------------------------------------------ delete
    def delete(self, p: Principal, image_id: str) -> None:
        """Remove the image from every host and forget it. Conflict while a container uses it or while it
        is still being loaded or built."""
        image = self._images.get(p.organization_id, image_id, consistent=True)
        if image.status not in (*SETTLED, AWAITING_UPLOAD):
            raise Conflict(
                f"The image is {image.status}; wait until it is ready.", details={"status": image.status}
            )
        users = sorted(self._containers_using(p.organization_id, image.reference))
        if users:
            raise Conflict(
                f"Containers use {image.reference}; delete them or deploy another image first.",
                details={"containers": users},
            )
        reference = image.engine_reference()
        for host_id in image.host_ids:
            try:
                host = self._hosts.get(host_id)
            except NotFound:
                continue
            self._images_for(host).remove_image(reference)
        self._images.delete(image)
        for key in {upload_key(image), log_key(image)}:
            self._archive.delete(key)
        self.audit.record(deleted(p, "image", image.id, name=image.reference))

    # ------------------------------------------------------------ registry logins
    def registries(self, p: Principal) -> list[RegistryCredential]:
        return self._registries.list(p.organization_id)

    def add_registry(self, p: Principal, server: str, username: str, password: str) -> RegistryCredential:
        """Save (or replace) the login hosts pull this organization's images from `server` with."""
        server = server.strip().lower()
        if registry_of(f"{server}/x") != server and server != "docker.io":
            raise ValidationFailed("server: a registry host name, e.g. ghcr.io.", details={"field": "server"})
        credential = RegistryCredential(new_ulid(), p.organization_id, server, username, self._clock())
        encrypted = self._box.encrypt(password, registry_context(p.organization_id, server))
        self._registries.add(credential, encrypted)
        return credential

    def remove_registry(self, p: Principal, credential_id: str) -> None:
        self._registries.remove(p.organization_id, credential_id)
