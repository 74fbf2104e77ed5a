"""Packages and each organization's package, limits and prices (QuotaService on fakes)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain.billing.entities import Pricing
from chalicelib.domain.quotas.entities import DEFAULT_PACKAGE_ID, Limits, Package, Usage
from chalicelib.domain.quotas.service import QuotaService
from chalicelib.domain.shared.errors import Conflict, NotFound, ValidationFailed
from chalicelib.domain.shared.principal import Principal
from tests.fakes.quotas import FakePackages, FakeQuotas

T0 = datetime(2026, 11, 1, tzinfo=UTC)
ADMIN = Principal(user_id="admin", role="admin", token_id="t", token_expires=0)
ANN = Principal(user_id="ann", role="user", token_id="t", token_expires=0, organization_id="org-ann")
DEFAULT = Package(DEFAULT_PACKAGE_ID, "Starter", "", Limits(containers=10), None, 0, T0, T0)
PLATFORM = Pricing(12_000, 4_000, 100_000, "EUR")
OWN = Pricing(1, 2, 3)


def service(quotas: FakeQuotas | None = None) -> tuple[QuotaService, FakePackages, FakeQuotas]:
    packages, quotas = FakePackages(), quotas or FakeQuotas()
    return (
        QuotaService(packages, quotas, DEFAULT, base_pricing=lambda: PLATFORM, clock=lambda: T0),
        packages,
        quotas,
    )


def test_an_organization_without_counters_is_counted_and_put_on_the_default_package() -> None:
    quotas, _, _ = service(FakeQuotas(lambda org_id: Usage(containers=2, cpu_millis=300)))
    view = quotas.resources(ANN)
    assert view.package == DEFAULT and view.usage == Usage(containers=2, cpu_millis=300)
    assert view.pricing == PLATFORM


def test_a_package_with_its_own_prices_is_what_its_organizations_pay_in_the_platforms_currency() -> None:
    quotas, _, _ = service()
    own = quotas.create_package(ADMIN, "Pro", "", Limits(), OWN)
    quotas.assign(ADMIN, ANN.organization_id, own.id)
    assert quotas.pricing_for(ANN.organization_id, PLATFORM) == Pricing(1, 2, 3, "EUR")
    assert quotas.resources(ANN).pricing == Pricing(1, 2, 3, "EUR")
    assert quotas.pricing_for("org-other", PLATFORM) == PLATFORM


def test_the_default_package_lists_first_and_an_edited_one_replaces_the_configured_one() -> None:
    quotas, _, _ = service()
    quotas.create_package(ADMIN, "Aaa", "", Limits(), None)
    assert quotas.packages()[0].id == DEFAULT_PACKAGE_ID
    edited = quotas.update_package(ADMIN, DEFAULT_PACKAGE_ID, "Starter", "", Limits(containers=3), None)
    assert edited.version == 1 and quotas.packages()[0].limits.containers == 3
    assert quotas.resources(ANN).package.limits.containers == 3


def test_the_default_package_cannot_be_deleted_and_a_deleted_ones_organizations_fall_back_to_it() -> None:
    quotas, _, _ = service()
    with pytest.raises(Conflict):
        quotas.delete_package(ADMIN, DEFAULT_PACKAGE_ID)
    small = quotas.create_package(ADMIN, "Small", "", Limits(containers=1), None)
    quotas.assign(ADMIN, ANN.organization_id, small.id)
    quotas.delete_package(ADMIN, small.id)
    assert quotas.resources(ANN).package == DEFAULT
    with pytest.raises(NotFound):
        quotas.package(small.id)


def test_each_edit_of_a_package_is_a_new_version() -> None:
    quotas, packages, _ = service()
    pro = quotas.create_package(ADMIN, "Pro", "", Limits(), None)
    first = quotas.update_package(ADMIN, pro.id, "Pro", "", Limits(containers=5), None)
    second = quotas.update_package(ADMIN, pro.id, "Pro+", "", Limits(containers=6), None)
    assert (pro.version, first.version, second.version) == (1, 2, 3)
    with pytest.raises(Conflict):  # an edit made from what was read before the last one
        packages.replace(first, first.version - 1)


def test_negative_limits_and_prices_are_refused_naming_the_field() -> None:
    quotas, _, _ = service()
    with pytest.raises(ValidationFailed) as bad:
        quotas.create_package(ADMIN, "Bad", "", Limits(vps=-1), None)
    assert bad.value.details == {"field": "limits.vps"}
    with pytest.raises(ValidationFailed):
        quotas.create_package(ADMIN, "Bad", "", Limits(), Pricing(-1, 0, 0))


def test_assigning_an_unknown_package_or_organization_is_not_found() -> None:
    quotas, _, fake = service()
    fake.organizations = {ANN.organization_id}
    with pytest.raises(NotFound):
        quotas.assign(ADMIN, ANN.organization_id, "no-such-package")
    with pytest.raises(NotFound):
        quotas.assign(ADMIN, "org-nobody", DEFAULT_PACKAGE_ID)
