"""The image registry's limits and switches (built from the environment by chalicelib/images_settings.py)."""

from __future__ import annotations

from dataclasses import dataclass

GIB = 1024**3


@dataclass(frozen=True)
class ImageSettings:
    """Where uploads and build logs are kept, how much an organization may store, whether hosts pull."""

    bucket: str = "containerstacks-images"
    quota_bytes: int = 10 * GIB  # per organization: the images' size on the hosts, summed
    max_upload_bytes: int = 5 * GIB  # one `docker save` tarball or build context
    upload_url_seconds: int = 900  # how long a presigned upload URL works
    pull: bool = False  # pull missing images on the host before creating a container (never locally)
