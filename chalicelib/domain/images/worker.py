"""The image workflows' steps: load an uploaded tarball onto every host, or build on one host (keeping the
log) and copy the result to the others; then count it against the organization's quota, or compensate."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace

from chalicelib.domain.hosts.entities import Host
from chalicelib.domain.hosts.ports import Hosts
from chalicelib.domain.images.entities import (
    BUILDING,
    ERROR,
    LOADING,
    READY,
    Image,
    ImageQuotaExceeded,
    build_dockerfile,
    log_key,
    namespace,
    tail,
    upload_key,
)
from chalicelib.domain.images.limits import ImageSettings
from chalicelib.domain.images.ports import ImageArchive, ImageEngineFor, Images
from chalicelib.domain.images.tarballs import BUILD_DOCKERFILE, untagged_copy, with_dockerfile
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, DomainError, EngineError, NotFound
from chalicelib.domain.shared.notices import NoNotifier, Notice, Notifier

log = logging.getLogger(__name__)

LOG_FLUSH_SECONDS = 2.0  # how often a running build writes its log tail to the record (clients poll it)
WRITE_ATTEMPTS = 5


class BuildFailed(EngineError):
    """The Dockerfile did not build; the build log says why."""

    status = 400
    code = "build_failed"


def for_customer(text: str, org_id: str) -> str:
    """An engine message with the organization's engine namespace written as its own registry."""
    return text.replace(f"{namespace(org_id)}/", "cs.local/")


class ImageWorker:
    """Task handlers of the load-image and build-image state machines. Each re-reads the record and acts
    only while it is loading/building, so a repeated step does nothing twice."""

    def __init__(
        self,
        images: Images,
        archive: ImageArchive,
        hosts: Hosts,
        images_for: ImageEngineFor,
        settings: ImageSettings,
        *,
        clock: Clock = utcnow,
        notifier: Notifier = NoNotifier(),
    ) -> None:
        self._notifier = notifier
        self._images = images
        self._archive = archive
        self._hosts = hosts
        self._images_for = images_for
        self._settings = settings
        self._clock = clock

    def load(self, org_id: str, image_id: str) -> None:
        """Load the uploaded tarball onto every host under the organization's name for it."""
        image = self._current(org_id, image_id, LOADING)
        if image is None:
            return
        hosts = self._all_hosts()
        reference = image.engine_reference()
        with tempfile.TemporaryDirectory(prefix="cs-image-") as work:
            raw, untagged = os.path.join(work, "upload.tar"), os.path.join(work, "untagged.tar")
            self._archive.download(upload_key(image), raw)
            repo_tags = untagged_copy(raw, untagged)
            os.unlink(raw)
            for host in hosts:
                engine = self._images_for(host)
                engine.tag_image(engine.load_image(untagged), reference)
        self._finish(image, hosts, repo_tags)

    def build(self, org_id: str, image_id: str) -> None:
        """Build on the host with the most room (log kept in the record's tail and in the archive), then copy
        the image to the other hosts."""
        image = self._current(org_id, image_id, BUILDING)
        if image is None:
            return
        hosts = self._all_hosts()
        builder = max(hosts, key=lambda h: (h.status == "active", h.room()))
        reference = image.engine_reference()
        lines: list[str] = []
        record = [image]
        flushed = [time.monotonic()]

        def on_log(batch: list[str]) -> None:
            lines.extend(batch)
            if time.monotonic() - flushed[0] >= LOG_FLUSH_SECONDS:
                record[0] = self._write_tail(record[0], lines)
                flushed[0] = time.monotonic()

        with tempfile.TemporaryDirectory(prefix="cs-build-") as work:
            context, prepared = os.path.join(work, "context.tar"), os.path.join(work, "build.tar")
            self._archive.download(upload_key(image), context)
            with_dockerfile(context, prepared, build_dockerfile(org_id, image.dockerfile or ""))
            os.unlink(context)
            result = self._images_for(builder).build_image(prepared, BUILD_DOCKERFILE, reference, on_log)
            text = for_customer("\n".join(lines), org_id)
            record[0] = self._write_tail(record[0], lines)
            self._archive.put_text(log_key(image), text)
            if result.image_id is None:
                raise BuildFailed(for_customer(result.error or "The build failed; see its log.", org_id))
            others = [h for h in hosts if h.id != builder.id]
            if others:
                saved = os.path.join(work, "saved.tar")
                self._images_for(builder).save_image(reference, saved)
                untagged = os.path.join(work, "untagged.tar")
                untagged_copy(saved, untagged)
                for host in others:
                    engine = self._images_for(host)
                    engine.tag_image(engine.load_image(untagged), reference)
        self._finish(record[0], hosts, ())

    def fail(self, org_id: str, image_id: str, reason: str) -> None:
        """Compensation: remove what a failed run put on the hosts and mark the record `error` with why."""
        image = self._current(org_id, image_id, LOADING, BUILDING)
        if image is None:
            return
        self._remove_everywhere(image)
        self._tell(image, "image.failed", f"Image {image.reference} could not be prepared", reason)
        self._settle(
            image,
            lambda i: replace(
                i,
                status=ERROR,
                status_reason=for_customer(reason, org_id),
                host_ids=(),
                held_bytes=0,
                size_bytes=0,
            ),
        )

    # ------------------------------------------------------------ helpers
    def _finish(self, image: Image, hosts: list[Host], repo_tags: tuple[str, ...]) -> None:
        reference = image.engine_reference()
        found = self._images_for(hosts[0]).inspect_image(reference)
        if found is None:
            raise EngineError(f"The host does not show {image.reference} after loading it; try again.")
        current = self._images.get(image.organization_id, image.id, consistent=True)
        ready = replace(
            current,
            status=READY,
            status_reason=None,
            size_bytes=found.size_bytes,
            held_bytes=found.size_bytes,
            digest=found.id,
            repo_tags=repo_tags,
            host_ids=tuple(h.id for h in hosts),
            version=current.version + 1,
            updated_at=self._clock(),
            finished_at=self._clock(),
        )
        try:
            self._images.update(current, ready, limit_bytes=self._settings.quota_bytes)
            self._tell(
                ready, "image.ready", f"Image {image.reference} is ready", f"Deploy it as {image.reference}."
            )
        except ImageQuotaExceeded:
            self.fail(
                image.organization_id,
                image.id,
                f"The image takes {found.size_bytes} bytes, more than is left of your organization's "
                f"{self._settings.quota_bytes} bytes for images; delete images you no longer need and "
                "upload it again.",
            )

    def _tell(self, image: Image, kind: str, title: str, body: str) -> None:
        data = {
            "image_id": image.id,
            "reference": image.reference,
            "source": image.source,
            "digest": image.digest,
        }
        self._notifier.notify(
            Notice(
                image.organization_id,
                kind,
                title,
                for_customer(body, image.organization_id),
                resource_type="image",
                resource_id=image.id,
                data=data,
            )
        )

    def _all_hosts(self) -> list[Host]:
        hosts = self._hosts.list_all()
        if not hosts:
            raise Conflict("No container host is registered, so the image has nowhere to go.")
        return hosts

    def _remove_everywhere(self, image: Image) -> None:
        for host in self._hosts.list_all():
            with contextlib.suppress(DomainError):
                self._images_for(host).remove_image(image.engine_reference())

    def _write_tail(self, image: Image, lines: list[str]) -> Image:
        text = for_customer("\n".join(lines[-200:]), image.organization_id).split("\n") if lines else []
        updated = replace(image, log_tail=tail((), text), version=image.version + 1, updated_at=self._clock())
        try:
            self._images.update(image, updated)
        except Conflict:
            return self._images.get(image.organization_id, image.id, consistent=True)
        return updated

    def _settle(self, image: Image, change: Callable[[Image], Image]) -> None:
        for _ in range(WRITE_ATTEMPTS):
            updated = change(image)
            updated = replace(
                updated, version=image.version + 1, updated_at=self._clock(), finished_at=self._clock()
            )
            try:
                self._images.update(image, updated)
                return
            except Conflict:
                try:
                    image = self._images.get(image.organization_id, image.id, consistent=True)
                except NotFound:
                    return
        log.warning("image %s kept changing; left as it is", image.id)

    def _current(self, org_id: str, image_id: str, *statuses: str) -> Image | None:
        try:
            image = self._images.get(org_id, image_id, consistent=True)
        except NotFound:
            return None
        return image if image.status in statuses else None
