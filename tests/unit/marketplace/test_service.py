"""Browsing and deploying templates, and operators' changes over the repository's files (fakes)."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.billing.entities import Pricing
from chalicelib.domain.hosts.engine import VolumeMount
from chalicelib.domain.marketplace.entities import NeedsRegistry
from chalicelib.domain.marketplace.service import MarketplaceService
from chalicelib.domain.shared.errors import Conflict, NotFound, ValidationFailed
from chalicelib.domain.shared.principal import Principal
from tests.fakes.marketplace import FakeCatalog, FakeDeployer

ANN = Principal(user_id="ann", role="user", token_id="t", token_expires=0, organization_id="org-ann")
ADMIN = Principal(user_id="admin", role="admin", token_id="t", token_expires=0)
PRICING = Pricing(cpu_hour_micros=60_000_000, memory_gib_hour_micros=0, storage_gib_month_micros=0)


def template(slug: str, **changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "slug": slug,
        "name": slug.capitalize(),
        "description": f"The {slug} app",
        "category": "web",
        "version": "1",
        "image": f"{slug}:1",
        "resources": {"cpu": "0.1", "memory": "16Mi"},
        "environment": {
            "TOKEN": {"required": True, "secret": True},
            "MODE": {"default": "fast"},
        },
        "volumes": [{"name": "data", "path": "/data"}],
        "ports": [{"container": 8080}],
    }
    return {**doc, **changes}


def market(registry_images: bool = False) -> tuple[MarketplaceService, FakeCatalog, FakeDeployer]:
    files = {
        "web": template("web"),
        "cache": template("cache", category="databases"),
        "hub": template("hub", source="registry"),
    }
    catalog, deployer = FakeCatalog(files), FakeDeployer()
    service = MarketplaceService(catalog, deployer, lambda org_id: PRICING, registry_images=registry_images)
    return service, catalog, deployer


def test_a_deploy_fills_the_defaults_keeps_extra_variables_and_names_volumes_after_the_container() -> None:
    service, _, deployer = market()
    container = service.deploy(ANN, "web", "site", {"TOKEN": "s3cret", "EXTRA": "1"})
    [req] = deployer.requests
    assert (req.name, req.image, req.resources.cpu_millis) == ("site", "web:1", 100)
    assert req.environment == {"MODE": "fast", "TOKEN": "s3cret", "EXTRA": "1"}
    assert req.volumes == (VolumeMount("site-data", "/data"),)
    assert [p.host for p in req.ports] == [None]  # the host picks the port
    assert container.status == "provisioning"


def test_a_required_field_left_empty_is_refused_naming_it() -> None:
    service, _, deployer = market()
    with pytest.raises(ValidationFailed) as refused:
        service.deploy(ANN, "web", "site", {"TOKEN": "  "})
    assert refused.value.details == [{"field": "environment.TOKEN", "message": "is required"}]
    assert deployer.requests == []


def test_a_name_too_long_for_its_volumes_is_refused() -> None:
    service, _, _ = market()
    with pytest.raises(ValidationFailed) as refused:
        service.deploy(ANN, "web", "x" * 60, {"TOKEN": "t"})
    assert refused.value.details == {"field": "name"}


def test_registry_templates_deploy_only_where_registry_images_are_kept() -> None:
    offline, _, _ = market(registry_images=False)
    assert offline.get(ANN, "hub").deployable is False
    with pytest.raises(NeedsRegistry):
        offline.deploy(ANN, "hub", "hub", {"TOKEN": "t"})
    online, _, deployer = market(registry_images=True)
    assert online.get(ANN, "hub").deployable and online.deploy(ANN, "hub", "hub", {"TOKEN": "t"})
    assert deployer.requests[0].image == "hub:1"


def test_search_filters_and_pages_in_name_order() -> None:
    service, _, _ = market()
    page, categories = service.search(ANN, None, None, 2, None)
    assert [v.template.slug for v in page.items] == ["cache", "hub"] and categories == ["databases", "web"]
    rest, _ = service.search(ANN, None, None, 2, page.next_cursor)
    assert [v.template.slug for v in rest.items] == ["web"] and rest.next_cursor is None
    found, _ = service.search(ANN, "THE CACHE", None, 10, None)
    assert [v.template.slug for v in found.items] == ["cache"]
    web, _ = service.search(ANN, None, "web", 10, None)
    assert {v.template.slug for v in web.items} == {"hub", "web"}
    assert page.items[0].price.hourly_micros == 6_000_000  # 0.1 vCPU at 60.00
    with pytest.raises(ValidationFailed):
        service.search(ANN, None, None, 2, "not-a-cursor")


def test_operators_change_fields_over_the_file_and_disable_templates() -> None:
    service, catalog, _ = market()
    changed = service.change(ADMIN, "web", {"name": "Website"})
    assert changed.customized and changed.name == "Website" and changed.image == "web:1"
    catalog.files["web"]["image"] = "web:2"  # a later release of the file still shows through
    assert service.get(ANN, "web").template.image == "web:2"
    service.disable(ADMIN, "web")
    with pytest.raises(NotFound):
        service.get(ANN, "web")
    assert [t.slug for t in service.all() if not t.enabled] == ["web"]
    with pytest.raises(Conflict):
        service.add(ADMIN, "web", template("web"))
    added = service.add(ADMIN, "new", template("new"))
    assert added.origin == "admin" and not added.customized
