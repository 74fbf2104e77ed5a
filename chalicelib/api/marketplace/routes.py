"""The marketplace: browse and deploy app templates (customers), add, change and disable them (operators)."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api.containers.schemas import ContainerOut
from chalicelib.api.http import Call, endpoint
from chalicelib.api.marketplace.schemas import (
    AdminTemplateListOut,
    AdminTemplateOut,
    DeployIn,
    MarketplaceQuery,
    TemplateChangesIn,
    TemplateIn,
    TemplateListOut,
    TemplateOut,
)
from chalicelib.wiring.marketplace import get_marketplace

bp = Blueprint(__name__)
TAG = "marketplace"
ADMIN = "admin"


@endpoint(
    bp,
    "/api/marketplace",
    "GET",
    summary="App templates (search, category), a page at a time, each with the price of its resources",
    tag=TAG,
    query=MarketplaceQuery,
    response=TemplateListOut,
)
def list_templates(call: Call) -> TemplateListOut:
    q: MarketplaceQuery = call.query
    page, categories = get_marketplace().search(call.principal, q.q, q.category, q.limit, q.cursor)
    return TemplateListOut(
        templates=[TemplateOut.of(v) for v in page.items], categories=categories, next_cursor=page.next_cursor
    )


@endpoint(
    bp,
    "/api/marketplace/{slug}",
    "GET",
    summary="One template with the hourly and monthly price of its resources in the organization's prices",
    tag=TAG,
    response=TemplateOut,
    errors=(404,),
)
def get_template(call: Call, slug: str) -> TemplateOut:
    return TemplateOut.of(get_marketplace().get(call.principal, slug))


@endpoint(
    bp,
    "/api/marketplace/{slug}/deploy",
    "POST",
    summary="Deploy the template as a container (provisioned asynchronously, like any container)",
    tag=TAG,
    status=202,
    request=DeployIn,
    response=ContainerOut,
    errors=(402, 404, 409, 503),
    idempotent=True,
)
def deploy_template(call: Call, slug: str) -> ContainerOut:
    body: DeployIn = call.body
    return ContainerOut.of(get_marketplace().deploy(call.principal, slug, body.name, body.env()))


@endpoint(
    bp,
    "/api/admin/marketplace",
    "GET",
    summary="Every template, disabled ones included, and where each comes from",
    tag=ADMIN,
    auth="admin",
    response=AdminTemplateListOut,
)
def list_all_templates(call: Call) -> AdminTemplateListOut:
    return AdminTemplateListOut(templates=[AdminTemplateOut.of(t) for t in get_marketplace().all()])


@endpoint(
    bp,
    "/api/admin/marketplace",
    "POST",
    summary="Add a template to the catalog",
    tag=ADMIN,
    auth="admin",
    status=201,
    request=TemplateIn,
    response=AdminTemplateOut,
    errors=(409,),
    idempotent=True,
)
def add_template(call: Call) -> AdminTemplateOut:
    body: TemplateIn = call.body
    return AdminTemplateOut.of(get_marketplace().add(call.principal, body.slug, body.document()))


@endpoint(
    bp,
    "/api/admin/marketplace/{slug}",
    "PUT",
    summary="Change a template's fields (enabled: true brings a disabled one back)",
    tag=ADMIN,
    auth="admin",
    request=TemplateChangesIn,
    response=AdminTemplateOut,
    errors=(404, 409),
)
def change_template(call: Call, slug: str) -> AdminTemplateOut:
    body: TemplateChangesIn = call.body
    return AdminTemplateOut.of(get_marketplace().change(call.principal, slug, body.document()))


@endpoint(
    bp,
    "/api/admin/marketplace/{slug}",
    "DELETE",
    summary="Disable a template: customers no longer see or deploy it (deployed apps keep running)",
    tag=ADMIN,
    auth="admin",
    status=204,
    errors=(404, 409),
)
def disable_template(call: Call, slug: str) -> None:
    get_marketplace().disable(call.principal, slug)
