"""Quotas' and the marketplace's rows of the authorization matrix, and the resources their cells name."""

from __future__ import annotations

from typing import Any

from tests.support.market import limits
from tests.support.matrix import JOINED, Cell, Row, World

SLUG = "static-site"  # a repository template every customer may browse and deploy


def package_body(world: World) -> dict[str, Any]:
    return {"name": world.unique("Package"), "limits": limits(containers=20, cpu="8", memory="16Gi")}


def new_package(world: World) -> str:
    reply = world.admin.call("POST", "/api/admin/packages", package_body(world))
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


def template_body(world: World) -> dict[str, Any]:
    return {
        "slug": world.unique("app"),
        "name": "Matrix app",
        "category": "tools",
        "version": "1",
        "image": world.image,
        "resources": {"cpu": "0.1", "memory": "16Mi"},
    }


def new_template(world: World) -> str:
    reply = world.admin.call("POST", "/api/admin/marketplace", template_body(world))
    assert reply.status == 201, reply.body
    return str(reply.body["slug"])


def settle_deployed(world: World, cells: list[Cell]) -> None:
    """Wait until what the deploy cells started is provisioned (nothing keeps running after the module)."""
    for cell in cells:  # what a member deployed belongs to the owner's organization: the owner waits for it
        user = world.owner if cell.caller in JOINED else world.user_of(cell.caller)
        if cell.reply.status == 202 and user is not None:
            user.wait_for(cell.reply.body["id"])


def add_market_resources(world: World) -> None:
    world.makers.update({"package_id": new_package, "slug": new_template})
    world.ids.update({"package_id": new_package(world), "slug": SLUG})


MARKET_ROWS: dict[str, Row] = {
    # quotas: the organization's own limits and usage; packages are the operators'
    "get_resources": Row(),
    "list_packages": Row(),
    "create_package": Row(body=package_body),
    "get_package": Row(),
    "update_package": Row(body=package_body),
    "delete_package": Row(fresh=("package_id",)),
    # a package without a VPS limit: the VPS cells buy more instances than the default package allows
    "assign_package": Row(body=lambda w: {"package_id": w.ids["package_id"]}),
    # the marketplace: every organization browses the same catalog and deploys into its own organization
    "list_templates": Row(),
    "get_template": Row(scoped=False),
    "deploy_template": Row(
        body=lambda w: {"name": w.unique("app"), "environment": {"SITE_TITLE": "Matrix"}},
        scoped=False,
        after=settle_deployed,
    ),
    "list_all_templates": Row(),
    "add_template": Row(body=template_body),
    "change_template": Row(body=lambda w: {"description": w.unique("changed")}),
    "disable_template": Row(fresh=("slug",)),
}
