"""Getting a container's image onto its host before the provisioning workflow creates the container: the
organization's own images are already there (loaded or built), others are pulled with the organization's
registry login, except on the local stack, which has no network and never pulls."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.hosts.entities import Host
from chalicelib.domain.images.entities import engine_reference, is_own, registry_of
from chalicelib.domain.images.ports import ImageEngineFor, Registries
from chalicelib.domain.images.service import registry_context
from chalicelib.domain.shared.errors import EngineError, EngineUnavailable, ImageNotFound
from chalicelib.domain.shared.secrets import SecretBox

LABEL_IMAGE_DIGEST = "cs.image-digest"  # on each engine container: the image id it was created from


class ImagePullFailed(ImageNotFound):
    """The host could not pull the image; the message says what the customer can change."""

    code = "image_pull_failed"


@dataclass(frozen=True)
class SuppliedImage:
    reference: str  # what the host runs (the organization's namespace for its own images)
    digest: str | None  # the image id the host has under that reference
    pulled: bool = False


class ImageSupply:
    """Makes a container's image available on a host. Raises ImageNotFound (its own image is missing, or
    pulling is off), ImagePullFailed (the registry refused: name, tag or login), EngineUnavailable."""

    def __init__(
        self, images_for: ImageEngineFor, registries: Registries, box: SecretBox, *, pull: bool
    ) -> None:
        self._images_for = images_for
        self._registries = registries
        self._box = box
        self._pull = pull

    def ensure(self, host: Host, org_id: str, image: str) -> SuppliedImage:
        reference = engine_reference(org_id, image)
        engine = self._images_for(host)
        # Where hosts pull, anything but the organization's own images is pulled every time, with its own
        # login: an image already on the host may be another organization's private one, and the registry
        # decides whether this organization may have it (Kubernetes' AlwaysPullImages, for the same reason).
        found = engine.inspect_image(reference) if is_own(image) or not self._pull else None
        if found is not None:
            return SuppliedImage(reference, found.id)
        if is_own(image):
            raise ImageNotFound(
                f"Image {image} is not among your organization's ready images on this host; upload or build "
                "it under Images (GET /api/images), then deploy again.",
                details={"image": image},
            )
        if not self._pull:
            raise ImageNotFound(
                f"Image {image!r} is not on the container host, and pulling is off here: the local stack has "
                "no network and never pulls images. Build it FROM scratch and upload it (docker save) or "
                "build it under Images, then deploy cs.local/<name>:<tag>.",
                details={"image": image, "pull": "disabled"},
            )
        registry = registry_of(image)
        login = self._registries.for_server(org_id, registry)
        auth = None
        if login is not None:
            credential, encrypted = login
            password = self._box.decrypt(encrypted, registry_context(org_id, registry))
            auth = {"username": credential.username, "password": password, "serveraddress": registry}
        try:
            pulled = engine.pull_image(reference, auth)
        except EngineUnavailable:
            raise
        except EngineError as exc:
            hint = (
                f"check the saved login for {registry} (Images → Registries)"
                if login is not None
                else f"if the image is private, save a login for {registry} under Images → Registries"
            )
            raise ImagePullFailed(
                f"Pulling {image} failed: {exc.message}. Check the image name and tag, and {hint}; "
                "then deploy again.",
                details={"image": image, "registry": registry},
            ) from exc
        return SuppliedImage(reference, pulled.id, pulled=True)
