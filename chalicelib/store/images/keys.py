"""Key strings of the image records (the images slice of store/keys.py's grammar), all in ORG#<org>."""

from __future__ import annotations

IMAGE_PREFIX = "IMAGE#"
IMAGE_NAME_PREFIX = "IMAGENAME#"
IMAGE_USAGE_SK = "IMAGEUSAGE"
REGISTRY_PREFIX = "REGISTRY#"


def image_sk(image_id: str) -> str:
    return f"{IMAGE_PREFIX}{image_id}"


def image_name_sk(name: str, tag: str) -> str:
    """Guard item reserving name:tag inside the organization."""
    return f"{IMAGE_NAME_PREFIX}{name}:{tag}"


def registry_sk(server: str) -> str:
    """One login per registry host."""
    return f"{REGISTRY_PREFIX}{server}"
