"""First-run records of the local stack: the operator account, the default Docker host and a Linode provider
on the sandbox stub with its plans."""

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


SANDBOX_PROVIDER = "Linode sandbox"
SANDBOX_MARK = {"sandbox": "devstack"}  # how a restart recognises the provider it seeded (any name)


def ensure_sandbox_linode() -> str | None:
    """A Linode provider on the sandbox stub (its key; no base_url, so CS_LINODE_BASE_URL, the stub's URL of
    this run, is used), its plans synced at the default markup: a newcomer can buy a VPS at once. Once: a
    restart finds it by its mark and leaves it (and the admin's changes to it) alone; it syncs again only
    if it was never synced. Returns the line to print, else None."""
    from chalicelib.domain.vps.providers import ProviderRequest
    from chalicelib.wiring.vps import get_provider_service
    from devstack.linode_stub import SANDBOX_TOKEN

    service = get_provider_service()
    provider = next(
        (p for p in service.all() if p.type == "linode" and p.configuration.get("sandbox") == "devstack"),
        None,
    )
    created = provider is None
    if provider is None:
        provider, _ = service.create(
            ProviderRequest(SANDBOX_PROVIDER, "linode", SANDBOX_TOKEN, dict(SANDBOX_MARK))
        )
    if provider.synced_at is not None:
        return None
    synced = service.sync_plans(provider.id)
    verb = "added" if created else "synced"
    return (
        f"{verb} the {provider.name} provider: {len(synced.added)} plans at the default markup, "
        f"{synced.regions} regions"
    )


SANDBOX_CLUSTER = "Kubernetes sandbox"


def ensure_sandbox_cluster(endpoint: str) -> str | None:
    """The Kubernetes sandbox stub registered as a cluster (once, by name); its endpoint follows the stub's
    port of this run. Returns the line to print, else None."""
    from chalicelib.domain.clusters.entities import ClusterRequest
    from chalicelib.domain.shared.principal import Principal
    from chalicelib.wiring.clusters import get_clusters
    from devstack.k8s_stub import SANDBOX_TOKEN

    stack = Principal(user_id="devstack", role="admin", token_id="", token_expires=0)
    service = get_clusters()
    found = next((c for c in service.list_clusters(stack) if c.name == SANDBOX_CLUSTER), None)
    if found is None:
        service.add(stack, ClusterRequest(SANDBOX_CLUSTER, endpoint, None, SANDBOX_TOKEN))
        return f"registered the {SANDBOX_CLUSTER} cluster at {endpoint}"
    if found.endpoint != endpoint:
        service.update(stack, found.id, ClusterRequest(endpoint=endpoint, token=SANDBOX_TOKEN))
    return None
