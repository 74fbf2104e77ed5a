"""First-run records of the local stack: the operator account and the default Docker host."""

from __future__ import annotations

import secrets

DEFAULT_ADMIN_EMAIL = "admin@containerstacks.local"


class DockerUnavailable(RuntimeError):
    """The configured Docker Engine does not answer."""


class AdminAddressTaken(RuntimeError):
    """CS_ADMIN_EMAIL belongs to an ordinary account, which is never promoted to admin."""


def ensure_admin(email: str | None, password: str | None) -> str | None:
    """Create the admin account unless it exists; returns the line to print once, else None."""
    from chalicelib.domain.shared.errors import Conflict
    from chalicelib.wiring.accounts import get_accounts

    address = email or DEFAULT_ADMIN_EMAIL
    chosen = password or secrets.token_urlsafe(18)
    try:
        created = get_accounts().ensure_admin(address, chosen)
    except Conflict as exc:
        raise AdminAddressTaken(
            f"{address} belongs to an ordinary account, which is never made an admin: "
            "set CS_ADMIN_EMAIL to another address"
        ) from exc
    if not created:
        return None
    if password:
        return f"admin account {address} created"
    return f"admin account created: {address} password {chosen} (shown once; set CS_ADMIN_PASSWORD to choose)"


def ensure_default_host(url: str) -> None:
    """Register the local Docker Engine as the default host (once)."""
    from chalicelib.wiring.hosts import get_hosts

    get_hosts().ensure_default_host(url)


def ping_docker(url: str) -> None:
    """Raises DockerUnavailable when no Docker Engine answers at `url`."""
    import docker

    try:
        client = docker.DockerClient(base_url=url, timeout=5)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        raise DockerUnavailable(
            f"no Docker Engine answers at {url} ({exc}). Run scripts/ensure-docker.sh (installs and starts "
            "docker.io as root), or set DOCKER_HOST to an engine that answers."
        ) from exc
