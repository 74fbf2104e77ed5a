"""Packages and quotas: the operator defines packages, every organization is on one (the default until an
operator assigns another), and what it holds is counted against the package's limits.

The counting and the check happen in the container store's own transactions (store/quotas/hook.py), so
parallel creates cannot overshoot a limit; this service answers what the limits, prices and usage are.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace

from chalicelib.domain.billing.entities import Pricing
from chalicelib.domain.quotas.entities import DEFAULT_PACKAGE_ID, Limits, OrgQuota, Package, Usage
from chalicelib.domain.quotas.ports import Packages, Quotas
from chalicelib.domain.shared.audit import AuditEvent, AuditTrail, NoAudit
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, NotFound, ValidationFailed
from chalicelib.domain.shared.notices import NoNotifier, Notice, Notifier
from chalicelib.domain.shared.principal import Principal


def _check(limits: Limits, pricing: Pricing | None) -> None:
    for name, value in limits.by_name().items():
        if value is not None and value < 0:
            raise ValidationFailed(
                f"The {name} limit must not be negative.", details={"field": f"limits.{name}"}
            )
    if (
        pricing is not None
        and min(pricing.cpu_hour_micros, pricing.memory_gib_hour_micros, pricing.storage_gib_month_micros) < 0
    ):
        raise ValidationFailed("Prices must not be negative.", details={"field": "pricing"})


@dataclass(frozen=True)
class Resources:
    package: Package
    usage: Usage
    pricing: Pricing  # what its containers cost: the package's own prices, else the platform's


def _summary(p: Package) -> dict[str, object]:
    return {"name": p.name, "limits": asdict(p.limits), "pricing": asdict(p.pricing) if p.pricing else None}


class QuotaService:
    """Packages (operators), and each organization's package, limits, prices and usage.

    Raises NotFound (package, organization), Conflict (the default package cannot be deleted; a concurrent
    edit) and ValidationFailed.
    """

    def __init__(
        self,
        packages: Packages,
        quotas: Quotas,
        default_package: Package,
        *,
        base_pricing: Callable[[], Pricing] = Pricing,
        audit: AuditTrail | None = None,
        notifier: Notifier | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self._base_pricing = base_pricing
        self._packages = packages
        self._quotas = quotas
        self._default = default_package
        self._audit = audit or NoAudit()
        self._notifier = notifier or NoNotifier()
        self._clock = clock

    # ------------------------------------------------------------ packages (operators)
    def packages(self) -> list[Package]:
        """The default package first, then the others by name."""
        stored = self._packages.list_all()
        default = next((p for p in stored if p.is_default), self._default)
        return [default, *(p for p in stored if not p.is_default)]

    def package(self, package_id: str) -> Package:
        found = self._packages.find(package_id)
        if found is not None:
            return found
        if package_id == DEFAULT_PACKAGE_ID:
            return self._default
        raise NotFound(f"Package {package_id} was not found.", details={"field": "package_id"})

    def create_package(
        self, admin: Principal, name: str, description: str, limits: Limits, pricing: Pricing | None
    ) -> Package:
        _check(limits, pricing)
        now = self._clock()
        package = Package(str(uuid.uuid4()), name, description, limits, pricing, 1, now, now)
        self._packages.add(package)
        self._record(admin, "package.created", package.id, None, _summary(package))
        return package

    def update_package(
        self,
        admin: Principal,
        package_id: str,
        name: str,
        description: str,
        limits: Limits,
        pricing: Pricing | None,
    ) -> Package:
        """Replace the package's definition; organizations on it have the new limits and prices at once
        (usage above a lowered limit stays: only growing past it is refused)."""
        _check(limits, pricing)
        current = self.package(package_id)
        stored = self._packages.find(package_id) is not None
        now = self._clock()
        updated = replace(
            current,
            name=name,
            description=description,
            limits=limits,
            pricing=pricing,
            version=current.version + 1,
            updated_at=now,
        )
        self._packages.replace(updated, current.version if stored else None)
        self._record(admin, "package.updated", package_id, _summary(current), _summary(updated))
        return updated

    def delete_package(self, admin: Principal, package_id: str) -> None:
        """Organizations on a deleted package are on the default package from then on."""
        if package_id == DEFAULT_PACKAGE_ID:
            raise Conflict(
                "The default package cannot be deleted: every new organization gets it. Edit it instead.",
                details={"field": "package_id"},
            )
        current = self.package(package_id)
        self._packages.remove(package_id)
        self._record(admin, "package.deleted", package_id, _summary(current), None)

    def assign(self, admin: Principal, org_id: str, package_id: str) -> Package:
        """Put the organization on the package (its usage is kept; new claims are checked against it)."""
        package = self.package(package_id)
        before = self._quotas.get(org_id)
        self._quotas.assign(org_id, package.id, self._clock())
        self._audit.record(
            AuditEvent(
                action="organization.package_assigned",
                actor_id=admin.user_id,
                organization_id=org_id,
                target_type="organization",
                target_id=org_id,
                before={"package_id": before.package_id if before else DEFAULT_PACKAGE_ID},
                after={"package_id": package.id},
            )
        )
        self._notifier.notify(
            Notice(
                organization_id=org_id,
                kind="quota.package_changed",
                title=f"Your organization is now on the {package.name} package.",
                resource_type="package",
                resource_id=package.id,
            )
        )
        return package

    # ------------------------------------------------------------ the organization's view
    def standing(self, org_id: str) -> tuple[Package, OrgQuota]:
        """The organization's package and counters (counted from its records the first time)."""
        quota = self._quotas.get(org_id) or self._quotas.ensure(org_id, DEFAULT_PACKAGE_ID, self._clock())
        return self._package_or_default(quota.package_id), quota

    def resources(self, p: Principal) -> Resources:
        """The organization's package, its usage and the container prices it pays."""
        package, quota = self.standing(p.organization_id)
        base = self._base_pricing()
        pricing = replace(package.pricing, currency=base.currency) if package.pricing else base
        return Resources(package, quota.usage, pricing)

    def pricing_for(self, org_id: str, base: Pricing) -> Pricing:
        """The container prices the organization pays: its package's, else the platform's `base`."""
        quota = self._quotas.get(org_id)
        package = self._package_or_default(quota.package_id if quota else DEFAULT_PACKAGE_ID)
        return replace(package.pricing, currency=base.currency) if package.pricing else base

    def _package_or_default(self, package_id: str) -> Package:
        found = self._packages.find(package_id)
        if found is None and package_id != DEFAULT_PACKAGE_ID:
            found = self._packages.find(DEFAULT_PACKAGE_ID)  # its package was deleted
        return found or self._default

    def _record(self, admin: Principal, action: str, package_id: str, before: object, after: object) -> None:
        self._audit.record(
            AuditEvent(
                action=action,
                actor_id=admin.user_id,
                target_type="package",
                target_id=package_id,
                before=before if isinstance(before, dict) else None,
                after=after if isinstance(after, dict) else None,
            )
        )
