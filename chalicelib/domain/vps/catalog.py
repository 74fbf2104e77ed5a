"""What customers can buy: plans at our markup price and the regions to put them in; administrators set
each plan's markup and switch plans off."""

from __future__ import annotations

from dataclasses import dataclass, replace

from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import NotFound, ValidationFailed
from chalicelib.domain.vps.entities import Markup, Plan, Provider
from chalicelib.domain.vps.ports import ProviderRegion
from chalicelib.domain.vps.stores import Plans, Providers

MAX_PERCENT_BPS = 100_000  # 1000 %
MAX_FIXED_CENTS = 10_000_000  # 100 000.00 a month


@dataclass(frozen=True)
class PlanChanges:
    markup: Markup | None = None
    active: bool | None = None
    name: str | None = None


@dataclass(frozen=True)
class Region:
    provider_id: str
    region: ProviderRegion


def check_markup(markup: Markup) -> None:
    limit = MAX_PERCENT_BPS if markup.kind == "percent" else MAX_FIXED_CENTS
    if not 0 <= markup.value <= limit:
        raise ValidationFailed(
            "markup.value must be between 0 and 1000 percent, or 0 and 100000.00 a month.",
            details={"field": "markup.value"},
        )


class Catalog:
    """Plans and regions. Raises NotFound and ValidationFailed."""

    def __init__(self, providers: Providers, plans: Plans, *, clock: Clock = utcnow) -> None:
        self._providers = providers
        self._plans = plans
        self._clock = clock

    def _selling(self) -> dict[str, Provider]:
        """Providers customers can buy from: active and of a supported type."""
        return {p.id: p for p in self._providers.all() if p.active and p.supported}

    def plans(self, *, everything: bool) -> list[Plan]:
        """Customers: active plans of providers we sell from, cheapest first. Administrators: every plan."""
        found = self._plans.all()
        if not everything:
            selling = self._selling()
            found = [p for p in found if p.active and p.provider_id in selling]
        return sorted(found, key=lambda p: (p.hourly_micros, p.name, p.id))

    def plan_for_sale(self, plan_id: str) -> tuple[Plan, Provider]:
        """The plan a customer asked for, if it is on sale (else 400 naming plan_id)."""
        try:
            plan = self._plans.get(plan_id)
        except NotFound:
            plan = None
        provider = self._selling().get(plan.provider_id) if plan else None
        if plan is None or not plan.active or provider is None:
            raise ValidationFailed("There is no such plan on sale.", details={"field": "plan_id"})
        return plan, provider

    def regions(self) -> list[Region]:
        found = [Region(p.id, r) for p in self._selling().values() for r in p.regions]
        return sorted(found, key=lambda r: (r.region.id, r.provider_id))

    def update_plan(self, plan_id: str, changes: PlanChanges) -> Plan:
        """Set the markup (the price follows it on every re-sync), rename, or (de)activate a plan."""
        plan = self._plans.get(plan_id)
        if changes.markup is not None:
            check_markup(changes.markup)
        updated = replace(
            plan,
            markup=changes.markup or plan.markup,
            active=changes.active if changes.active is not None else plan.active,
            name=changes.name if changes.name is not None else plan.name,
            updated_at=self._clock(),
        )
        self._plans.put(updated)
        return updated
