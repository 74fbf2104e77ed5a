"""The marketplace over HTTP against moto: the catalog of the repository's template files with what operators
add and change over it, search and categories, prices in the organization's own container prices, and the
deploy refusals that need no engine."""

from __future__ import annotations

from typing import Any

from tests.support.api import Api, User
from tests.support.market import package, put_on_package

PRICES = {"cpu_per_vcpu_hour": "60", "memory_per_gib_hour": "192", "storage_per_gib_month": "730"}


def slugs(reply: Any) -> list[str]:
    assert reply.status == 200, reply.body
    return [t["slug"] for t in reply.body["templates"]]


def test_the_catalog_lists_the_repository_templates_with_search_categories_and_pages(api: Api) -> None:
    ann = api.user()
    # When a customer opens the marketplace
    everything = ann.call("GET", "/api/marketplace")
    # Then every template of the repository is there, by name, with the categories to filter by
    assert slugs(everything) == ["kv-store", "nginx", "postgres", "redis", "static-site"]
    assert everything.body["categories"] == ["databases", "web"]
    # And search and category narrow it down
    assert slugs(ann.call("GET", "/api/marketplace?q=KEY-VALUE")) == ["kv-store"]
    assert slugs(ann.call("GET", "/api/marketplace?category=web")) == ["nginx", "static-site"]
    assert slugs(ann.call("GET", "/api/marketplace?category=web&q=busybox")) == ["static-site"]
    # And pages of two walk the whole catalog once
    seen: list[str] = []
    cursor = ""
    while True:
        page = ann.call("GET", f"/api/marketplace?limit=2{cursor}")
        seen += slugs(page)
        if not page.body["next_cursor"]:
            break
        cursor = f"&cursor={page.body['next_cursor']}"
    assert seen == slugs(everything)
    assert ann.call("GET", "/api/marketplace?cursor=bm9wZQ").status == 400


def test_a_template_shows_the_hourly_and_monthly_price_of_its_resources_in_the_organizations_prices(
    api: Api,
) -> None:
    admin, ann = api.admin(), api.user()
    assert admin.call("PUT", "/api/admin/billing/pricing", PRICES).status == 200
    # Given the platform's prices: 0.1 vCPU at 60.00, 16Mi at 192.00 per GiB-hour
    detail = ann.call("GET", "/api/marketplace/static-site")
    assert detail.status == 200, detail.body
    assert detail.body["resources"] == {"cpu": "0.1", "memory": "16Mi", "storage": None}
    # Then one hour costs 6.00 + 3.00, and a month (730 hours) 6570.00
    assert detail.body["price"] == {"currency": "USD", "hourly": "9.000000", "monthly": "6570.00"}
    # And storage is priced per GiB-month: 1Gi at 730.00 is 1.00 an hour
    assert ann.call("GET", "/api/marketplace/kv-store").body["price"]["hourly"] == "10.000000"
    # When the organization is put on a package with its own prices
    own = {"cpu_per_vcpu_hour": "6", "memory_per_gib_hour": "0", "storage_per_gib_month": "0"}
    put_on_package(admin, ann.org_id, package(admin, "Cheap", pricing=own))
    # Then its prices are what the catalog shows
    assert ann.call("GET", "/api/marketplace/static-site").body["price"]["hourly"] == "0.600000"


def test_a_registry_template_is_shown_but_the_local_stack_refuses_to_deploy_it(api: Api) -> None:
    ann = api.user()
    nginx = ann.call("GET", "/api/marketplace/nginx").body
    assert nginx["source"] == "registry" and nginx["deployable"] is False
    assert "never pulls" in nginx["why_not"]
    refused = ann.call("POST", "/api/marketplace/nginx/deploy", {"name": "web"})
    assert refused.status == 409, refused.body
    assert refused.body["error"]["code"] == "registry_image_unavailable"
    assert "nginx:1.27-alpine" in refused.body["error"]["message"]


def test_a_deploy_without_a_required_field_names_it(api: Api) -> None:
    ann = api.user()
    reply = ann.call(
        "POST", "/api/marketplace/kv-store/deploy", {"name": "kv", "environment": {"KV_MAX_BYTES": 9}}
    )
    assert reply.status == 400, reply.body
    assert reply.body["error"]["details"] == [{"field": "environment.KV_TOKEN", "message": "is required"}]
    assert ann.call("GET", "/api/containers").body["containers"] == []


def test_secret_defaults_are_not_shown(api: Api) -> None:
    admin, ann = api.admin(), api.user()
    form = {"KV_TOKEN": {"label": "Token", "default": "sesame", "secret": True}}
    assert admin.call("PUT", "/api/admin/marketplace/kv-store", {"environment": form}).status == 200
    [field] = ann.call("GET", "/api/marketplace/kv-store").body["environment"]
    assert field["secret"] and field["default"] is None


def added(admin: User, slug: str) -> dict[str, Any]:
    body = {
        "slug": slug,
        "name": "Echo",
        "description": "Says hello",
        "icon": "bolt",
        "category": "tools",
        "version": "1",
        "image": "containerstacks/hello:local",
        "environment": {"GREETING": {"label": "Greeting", "default": "hi"}},
        "ports": [{"container": 80}],
        "resources": {"cpu": "0.1", "memory": "16Mi"},
    }
    reply = admin.call("POST", "/api/admin/marketplace", body)
    assert reply.status == 201, reply.body
    return dict(reply.body)


def test_operators_add_change_disable_and_bring_back_templates(api: Api) -> None:
    admin, ann = api.admin(), api.user()
    # When an operator adds a template
    echo = added(admin, "echo")
    assert echo["origin"] == "admin" and echo["enabled"]
    # Then customers find it in its category
    assert slugs(ann.call("GET", "/api/marketplace?category=tools")) == ["echo"]
    assert admin.call("POST", "/api/admin/marketplace", {**_body(echo), "slug": "nginx"}).status == 409
    # When the operator changes a repository template
    changed = admin.call(
        "PUT", "/api/admin/marketplace/static-site", {"name": "Web page", "version": "1.1.0"}
    )
    assert changed.status == 200 and changed.body["customized"] and changed.body["origin"] == "repository"
    # Then customers see the change over the file (its other fields unchanged)
    page = ann.call("GET", "/api/marketplace/static-site").body
    assert (page["name"], page["version"], page["image"]) == (
        "Web page",
        "1.1.0",
        "containerstacks/market-static-site:1.0",
    )
    # When it is disabled
    assert admin.call("DELETE", "/api/admin/marketplace/static-site").status == 204
    # Then customers neither see nor deploy it; the operator still lists it
    assert "static-site" not in slugs(ann.call("GET", "/api/marketplace"))
    assert ann.call("GET", "/api/marketplace/static-site").status == 404
    assert ann.call("POST", "/api/marketplace/static-site/deploy", {"name": "x"}).status == 404
    listed = {t["slug"]: t for t in admin.call("GET", "/api/admin/marketplace").body["templates"]}
    assert listed["static-site"]["enabled"] is False and listed["echo"]["enabled"]
    # And enabling it brings it back
    assert admin.call("PUT", "/api/admin/marketplace/static-site", {"enabled": True}).status == 200
    assert "static-site" in slugs(ann.call("GET", "/api/marketplace"))


def test_an_invalid_change_is_refused_before_it_is_stored(api: Api) -> None:
    admin = api.admin()
    twice = [{"name": "a", "path": "/a"}, {"name": "a", "path": "/b"}]
    refused = admin.call("PUT", "/api/admin/marketplace/kv-store", {"volumes": twice})
    assert refused.status == 400 and refused.body["error"]["details"][0]["field"] == "volumes"
    assert admin.call("PUT", "/api/admin/marketplace/no-such", {"enabled": True}).status == 404
    assert not any(t["customized"] for t in admin.call("GET", "/api/admin/marketplace").body["templates"])


def _body(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": t["name"],
        "category": t["category"],
        "version": t["version"],
        "image": t["image"],
        "resources": {"cpu": t["resources"]["cpu"], "memory": t["resources"]["memory"]},
    }
