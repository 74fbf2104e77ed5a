"""Image registry settings: part of the one settings object (Settings.images), read on first use."""

from __future__ import annotations

from collections.abc import Mapping

from chalicelib.domain.images.limits import GIB
from chalicelib.domain.images.limits import ImageSettings as ImageSettings
from chalicelib.domain.shared.errors import ConfigurationError


def _int(env: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    raw = env.get(name) or str(default)
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from exc
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {value}")
    return value


def build_image_settings(env: Mapping[str, str], local: bool, missing: list[str]) -> ImageSettings:
    """CS_IMAGE_BUCKET (required outside the local stages), CS_IMAGE_QUOTA_BYTES, CS_IMAGE_MAX_UPLOAD_BYTES,
    CS_IMAGE_UPLOAD_URL_SECONDS, CS_IMAGE_PULL (1/0; the local stages never pull, whatever it says)."""
    bucket = env.get("CS_IMAGE_BUCKET") or ""
    if not bucket:
        if local:
            bucket = ImageSettings.bucket
        else:
            missing.append("CS_IMAGE_BUCKET")
    pull = (env.get("CS_IMAGE_PULL") or ("0" if local else "1")).strip().lower() in ("1", "true", "yes")
    return ImageSettings(
        bucket=bucket,
        quota_bytes=_int(env, "CS_IMAGE_QUOTA_BYTES", 10 * GIB, 0),
        max_upload_bytes=_int(env, "CS_IMAGE_MAX_UPLOAD_BYTES", 5 * GIB, 1),
        upload_url_seconds=_int(env, "CS_IMAGE_UPLOAD_URL_SECONDS", 900, 60),
        pull=pull and not local,
    )
