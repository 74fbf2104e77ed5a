"""Image registry rows of the authorization matrix, and the owner's images and registry logins the cells name.
Uploads are a few junk bytes: loading them fails on its own, nothing reaches the engine."""

from __future__ import annotations

from tests.support.image_registry import put, wait_for_image
from tests.support.matrix import Caller, Cell, Listing, Row, World

JUNK = b"0123456789"


def announced_image(world: World) -> str:
    """An image of the owner's waiting for its upload (what delete takes)."""
    reply = world.owner.call(
        "POST", "/api/images/upload", {"name": world.unique("img"), "size_bytes": len(JUNK)}
    )
    assert reply.status == 201, reply.body
    return str(reply.body["image"]["id"])


def uploaded_image(world: World) -> str:
    """An image of the owner's whose bytes are in the bucket (what complete takes)."""
    reply = world.owner.call(
        "POST", "/api/images/upload", {"name": world.unique("img"), "size_bytes": len(JUNK)}
    )
    assert reply.status == 201, reply.body
    assert put(reply.body["upload"], JUNK) == 200
    return str(reply.body["image"]["id"])


def registry_login(world: World) -> str:
    reply = world.owner.call(
        "POST",
        "/api/images/registries",
        {"server": f"{world.unique('r')}.example.com", "username": "robot", "password": "secret"},
    )
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


def add_image_resources(world: World) -> None:
    world.makers.update({"image_id": uploaded_image, "registry_id": registry_login})
    world.ids.update({"image_id": announced_image(world), "registry_id": registry_login(world)})
    world.ids["build_id"] = world.ids["image_id"]


def settle_loads(world: World, cells: list[Cell]) -> None:
    """The owner's completed junk upload ends in error (nothing keeps running after the module)."""
    for cell in cells:
        if cell.caller == Caller.OWNER and cell.reply.status == 202:
            wait_for_image(world.owner, cell.reply.body["id"])


IMAGE_ROWS: dict[str, Row] = {
    "list_images": Row(lists=Listing("images", "image_id")),
    "image_usage": Row(),
    "upload_image": Row(body=lambda w: {"name": w.unique("img"), "size_bytes": 10}),
    "build_image": Row(
        body=lambda w: {"name": w.unique("img"), "size_bytes": 10, "dockerfile": "FROM scratch\n"}
    ),
    "build_status": Row(),
    "get_image": Row(),
    "complete_image": Row(fresh=("image_id",), after=settle_loads),
    "delete_image": Row(fresh=("image_id",)),
    "list_registries": Row(lists=Listing("registries", "registry_id")),
    "add_registry": Row(
        body=lambda w: {"server": f"{w.unique('r')}.example.com", "username": "u", "password": "p"}
    ),
    "remove_registry": Row(fresh=("registry_id",)),
}
