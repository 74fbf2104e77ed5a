"""Quota and marketplace settings: part of the one settings object (Settings.resources), read on first use.

The default package is what every new organization gets until an operator assigns another. Its limits come
from CS_DEFAULT_MAX_* (a whole number, a quantity such as 4 / 500m / 8Gi, or `unlimited`) for as long as no
operator has edited it (`PUT /api/admin/packages/default` stores it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from chalicelib.domain.shared import quantities
from chalicelib.domain.shared.errors import ConfigurationError

UNLIMITED = "unlimited"
GIB = 2**30


@dataclass(frozen=True)
class ResourceSettings:
    """The default package's limits (None: unlimited) and whether registry images can be deployed."""

    package_name: str = "Starter"
    max_containers: int | None = 10
    max_cpu_millis: int | None = 4_000
    max_memory_bytes: int | None = 8 * GIB
    max_storage_bytes: int | None = 100 * GIB
    max_vps: int | None = 3
    max_backups: int | None = 20
    # Marketplace templates of public registry images: hosts never pull, so only where the operator keeps
    # them on the hosts (default: yes in AWS, no in the local stack, which builds its own images only).
    registry_images: bool = False


def _limit(
    env: Mapping[str, str], name: str, default: int | None, parse: Callable[[str], int] = int
) -> int | None:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if raw.lower() == UNLIMITED:
        return None
    try:
        value = parse(raw)
    except ValueError as exc:
        raise ConfigurationError(
            f"{name} must be a limit such as 10, 4, 8Gi or 'unlimited', not {raw!r}"
        ) from exc
    if value < 0:
        raise ConfigurationError(f"{name} must not be negative, not {raw!r}")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes"):
        return True
    if raw in ("0", "false", "no"):
        return False
    raise ConfigurationError(f"{name} must be true or false, not {raw!r}")


def build_resource_settings(env: Mapping[str, str], local: bool) -> ResourceSettings:
    """From CS_DEFAULT_PACKAGE_NAME, CS_DEFAULT_MAX_{CONTAINERS,CPU,MEMORY,STORAGE,VPS,BACKUPS} and
    CS_MARKETPLACE_REGISTRY_IMAGES."""
    d = ResourceSettings()
    return ResourceSettings(
        package_name=(env.get("CS_DEFAULT_PACKAGE_NAME") or d.package_name).strip()[:100],
        max_containers=_limit(env, "CS_DEFAULT_MAX_CONTAINERS", d.max_containers),
        max_cpu_millis=_limit(env, "CS_DEFAULT_MAX_CPU", d.max_cpu_millis, quantities.parse_cpu_millis),
        max_memory_bytes=_limit(env, "CS_DEFAULT_MAX_MEMORY", d.max_memory_bytes, quantities.parse_bytes),
        max_storage_bytes=_limit(env, "CS_DEFAULT_MAX_STORAGE", d.max_storage_bytes, quantities.parse_bytes),
        max_vps=_limit(env, "CS_DEFAULT_MAX_VPS", d.max_vps),
        max_backups=_limit(env, "CS_DEFAULT_MAX_BACKUPS", d.max_backups),
        registry_images=_flag(env, "CS_MARKETPLACE_REGISTRY_IMAGES", not local),
    )
