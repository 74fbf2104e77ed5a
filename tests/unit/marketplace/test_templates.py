"""The repository's template files, template documents, and prices rated as the billing run rates a meter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.api.marketplace.schemas import TemplateIn
from chalicelib.domain.billing.entities import GIB, Meter, MeterUsage, Pricing, rate_meter
from chalicelib.domain.containers.entities import Resources
from chalicelib.domain.marketplace.documents import document_of, parse_template
from chalicelib.domain.marketplace.entities import price_of
from chalicelib.domain.shared.errors import ValidationFailed
from chalicelib.store.marketplace.repository import TEMPLATES_DIR, repository_templates
from devstack.images import MARKETPLACE_IMAGES

FILES = repository_templates()
T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("slug", sorted(FILES))
def test_every_template_file_is_a_valid_template_and_a_valid_operator_request(slug: str) -> None:
    doc = FILES[slug]
    template = parse_template(doc)
    assert template.slug == slug == (TEMPLATES_DIR / f"{slug}.json").stem
    TemplateIn.model_validate({"slug": slug, **document_of(template)})  # what the API would accept
    if template.source == "local":  # built offline by the local stack: a build context with a Dockerfile
        assert template.build and (MARKETPLACE_IMAGES / template.build / "Dockerfile").is_file()
    else:
        assert template.build is None and "registry image" in template.description


def test_the_catalog_has_offline_templates_beside_registry_ones() -> None:
    sources = {parse_template(doc).source for doc in FILES.values()}
    assert sources == {"local", "registry"}


@pytest.mark.parametrize(
    "resources",
    [Resources(100, 16 * 2**20), Resources(250, 3 * GIB, 10 * GIB), Resources(10, 6 * 2**20, 1)],
    ids=str,
)
def test_the_hourly_price_is_what_the_billing_run_charges_for_an_hour(resources: Resources) -> None:
    pricing = Pricing(cpu_hour_micros=12_345, memory_gib_hour_micros=4_321, storage_gib_month_micros=99_999)
    usage = MeterUsage(T0, resources.cpu_millis, resources.memory_bytes, resources.storage_bytes or 0)
    hour = Meter("org", "c", "container", "app", (usage,), None, None)
    charge = rate_meter(hour, pricing, T0 + timedelta(hours=730))
    assert charge is not None
    price = price_of(resources, pricing)
    assert price.hourly_micros == pricing.hourly_micros(usage)
    total_micros = charge.cents * 10_000 + charge.carry_micros  # 730 hours, as billed minute by minute
    assert total_micros == price.hourly_micros * 730
    assert abs(price.monthly_cents * 10_000 - total_micros) <= 5_000  # the month, rounded to the cent


def doc(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "slug": "app",
        "name": "App",
        "category": "web",
        "version": "1",
        "image": "app:1",
        "resources": {"cpu": "0.1", "memory": "16Mi"},
    }
    return {**base, **changes}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slug": "Bad Slug"}, "slug"),
        ({"name": " "}, "name"),
        ({"source": "ftp"}, "source"),
        ({"environment": {"1BAD": {}}}, "environment.1BAD"),
        ({"environment": {"OK": {"default": 3}}}, "environment.OK.default"),
        ({"ports": [{"container": 0}]}, "ports.0.container"),
        ({"volumes": [{"name": "d", "path": "/a"}, {"name": "d", "path": "/b"}]}, "volumes"),
        ({"resources": {"cpu": "100", "memory": "16Mi"}}, "resources.cpu"),
    ],
)
def test_a_bad_document_is_refused_naming_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_template(doc(**changes))
    assert refused.value.details == {"field": field}


def test_a_document_round_trips() -> None:
    template = parse_template(doc(environment={"B": {"required": True}, "A": {"default": "x"}}))
    assert [f.name for f in template.environment] == ["B", "A"]  # the form keeps its order
    assert parse_template({**document_of(template), "slug": "app"}) == template
