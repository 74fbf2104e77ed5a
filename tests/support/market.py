"""Quotas and marketplace test support: the offline templates' images, packages, and the counters' truth."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from devstack.images import build_context_image, marketplace_images
from tests.support.api import User
from tests.support.images import docker_url, remove_test_image

TINY = {"cpu": "10m", "memory": "6Mi"}  # the least the engine accepts


def _exists(tag: str) -> bool:
    import docker
    import docker.errors

    client = docker.DockerClient(base_url=docker_url(), timeout=60)
    try:
        client.images.get(tag)
        return True
    except docker.errors.ImageNotFound:
        return False
    finally:
        client.close()


@pytest.fixture(scope="session")
def market_images() -> Iterator[list[str]]:
    """The offline templates' images (built FROM scratch with busybox, nothing pulled); those this session
    built are removed at the end."""
    built: list[str] = []
    tags: list[str] = []
    for tag, context in marketplace_images():
        if not _exists(tag):
            built.append(tag)
        tags.append(build_context_image(docker_url(), tag, context))
    yield tags
    for tag in built:
        remove_test_image(tag)


def limits(**given: Any) -> dict[str, Any]:
    """A package's limits: unlimited except those given."""
    return {name: given.get(name) for name in ("containers", "cpu", "memory", "storage", "vps", "backups")}


def package(admin: User, name: str, pricing: dict[str, str] | None = None, **given: Any) -> str:
    reply = admin.call(
        "POST", "/api/admin/packages", {"name": name, "limits": limits(**given), "pricing": pricing}
    )
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


def put_on_package(admin: User, org_id: str, package_id: str) -> None:
    reply = admin.call("PUT", f"/api/admin/organizations/{org_id}/package", {"package_id": package_id})
    assert reply.status == 200, reply.body


def used(user: User) -> dict[str, int]:
    """What GET /api/resources says the organization uses, per limit."""
    reply = user.call("GET", "/api/resources")
    assert reply.status == 200, reply.body
    return {row["name"]: row["used"] for row in reply.body["limits"]}


def true_usage(org_id: str) -> dict[str, int]:
    """The usage counted from the container records themselves (what the counters must equal)."""
    from chalicelib.domain.quotas.entities import Usage, usage_of
    from chalicelib.store import keys
    from chalicelib.store.containers.models import ContainerItem
    from chalicelib.store.containers.repository import container_of

    total = Usage()
    for item in ContainerItem.query(
        keys.org_pk(org_id), ContainerItem.sk.startswith(keys.CONTAINER_PREFIX), consistent_read=True
    ):
        if isinstance(item, ContainerItem):
            total = total + usage_of(container_of(item))
    return total.by_name()
