"""PackageRepository (PACKAGES / PACKAGE#<id>, one small platform partition) and QuotaRepository (ORG#<org> /
QUOTA: the organization's package and usage counters)."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, UpdateError

from chalicelib.domain.billing.entities import Pricing
from chalicelib.domain.quotas.entities import Limits, OrgQuota, Package, Usage, usage_of
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.tenancy import tenant_scope
from chalicelib.store import keys
from chalicelib.store.accounts.models import OrganizationItem
from chalicelib.store.containers.models import ContainerItem
from chalicelib.store.containers.repository import container_of
from chalicelib.store.quotas.models import PackageItem, QuotaItem
from chalicelib.store.table import Item, is_condition_failure, store_call
from chalicelib.store.vps import keys as vkeys
from chalicelib.store.vps.models import VpsItem

CHANGED = "The package changed meanwhile; reload it and try again."


def _int(value: float | None) -> int | None:
    return int(value) if value is not None else None


def _package(item: PackageItem) -> Package:
    pricing = (
        Pricing(
            int(item.cpu_hour_micros),
            int(item.memory_gib_hour_micros or 0),
            int(item.storage_gib_month_micros or 0),
        )
        if item.cpu_hour_micros is not None
        else None
    )
    return Package(
        id=item.id,
        name=item.name,
        description=item.description or "",
        limits=Limits(
            containers=_int(item.max_containers),
            cpu_millis=_int(item.max_cpu_millis),
            memory_bytes=_int(item.max_memory_bytes),
            storage_bytes=_int(item.max_storage_bytes),
            vps=_int(item.max_vps),
            backups=_int(item.max_backups),
        ),
        pricing=pricing,
        version=int(item.version or 1),
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _package_item(p: Package) -> PackageItem:
    return PackageItem(
        keys.PACKAGES_PK,
        keys.package_sk(p.id),
        id=p.id,
        name=p.name,
        description=p.description,
        max_containers=p.limits.containers,
        max_cpu_millis=p.limits.cpu_millis,
        max_memory_bytes=p.limits.memory_bytes,
        max_storage_bytes=p.limits.storage_bytes,
        max_vps=p.limits.vps,
        max_backups=p.limits.backups,
        cpu_hour_micros=p.pricing.cpu_hour_micros if p.pricing else None,
        memory_gib_hour_micros=p.pricing.memory_gib_hour_micros if p.pricing else None,
        storage_gib_month_micros=p.pricing.storage_gib_month_micros if p.pricing else None,
        version=p.version,
        created_at=p.created_at,
        updated_at=p.updated_at,
    )


class PackageRepository:
    """The operator's packages."""

    @store_call
    def list_all(self) -> list[Package]:
        found = PackageItem.query(keys.PACKAGES_PK, PackageItem.sk.startswith(keys.PACKAGE_PREFIX))
        return sorted(
            (_package(i) for i in found if isinstance(i, PackageItem)), key=lambda p: p.name.lower()
        )

    @store_call
    def find(self, package_id: str) -> Package | None:
        try:
            return _package(PackageItem.get(keys.PACKAGES_PK, keys.package_sk(package_id)))
        except (DoesNotExist, ValueError):
            return None

    @store_call
    def add(self, package: Package) -> None:
        try:
            _package_item(package).save(condition=Item.pk.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict(f"Package {package.id} exists already.") from exc
            raise

    @store_call
    def replace(self, package: Package, expected_version: int | None) -> None:
        condition = (
            Item.pk.does_not_exist()
            if expected_version is None
            else Item.pk.exists() & (PackageItem.version == expected_version)
        )
        try:
            _package_item(package).save(condition=condition)
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict(CHANGED) from exc
            raise

    @store_call
    def remove(self, package_id: str) -> None:
        try:
            PackageItem(keys.PACKAGES_PK, keys.package_sk(package_id)).delete(condition=Item.pk.exists())
        except DeleteError as exc:
            if is_condition_failure(exc):
                raise NotFound(f"Package {package_id} was not found.") from exc
            raise


def _quota(item: QuotaItem) -> OrgQuota:
    return OrgQuota(
        organization_id=item.organization_id,
        package_id=item.package_id,
        usage=Usage(
            containers=int(item.containers or 0),
            cpu_millis=int(item.cpu_millis or 0),
            memory_bytes=int(item.memory_bytes or 0),
            storage_bytes=int(item.storage_bytes or 0),
            vps=int(item.vps or 0),
            backups=int(item.backups or 0),
        ),
    )


def quota_item(org_id: str, package_id: str, usage: Usage, now: datetime) -> QuotaItem:
    """A new organization's counters item (written with the organization, or by `ensure`)."""
    return QuotaItem(
        keys.org_pk(org_id),
        keys.QUOTA_SK,
        organization_id=org_id,
        package_id=package_id,
        containers=usage.containers,
        cpu_millis=usage.cpu_millis,
        memory_bytes=usage.memory_bytes,
        storage_bytes=usage.storage_bytes,
        vps=usage.vps,
        backups=usage.backups,
        created_at=now,
        updated_at=now,
    )


class QuotaRepository:
    """Each organization's package and counters."""

    @store_call
    def get(self, org_id: str) -> OrgQuota | None:
        try:
            return _quota(QuotaItem.get(keys.org_pk(org_id), keys.QUOTA_SK, consistent_read=True))
        except (DoesNotExist, ValueError):
            return None

    @store_call
    def ensure(self, org_id: str, package_id: str, now: datetime) -> OrgQuota:
        """Count the organization's container and VPS records (a Query of each in its partition) into a new
        counters item, unless one exists (made before quotas, or by a path that wrote none)."""
        found = self.get(org_id)
        if found is not None:
            return found
        usage = Usage()
        for item in ContainerItem.query(
            keys.org_pk(org_id), ContainerItem.sk.startswith(keys.CONTAINER_PREFIX), consistent_read=True
        ):
            if isinstance(item, ContainerItem):
                usage = usage + usage_of(container_of(item))
        instances = VpsItem.query(
            keys.org_pk(org_id), VpsItem.sk.startswith(vkeys.VPS_PREFIX), consistent_read=True
        )
        usage = usage + Usage(vps=sum(1 for item in instances if isinstance(item, VpsItem)))
        try:
            quota_item(org_id, package_id, usage, now).save(condition=Item.pk.does_not_exist())
        except PutError as exc:
            if not is_condition_failure(exc):
                raise
            return self.get(org_id) or OrgQuota(org_id, package_id, usage)  # a concurrent ensure won
        return OrgQuota(org_id, package_id, usage)

    @store_call
    def assign(self, org_id: str, package_id: str, now: datetime) -> None:
        with tenant_scope(org_id):
            try:
                OrganizationItem.get(keys.org_pk(org_id), keys.ORG_SK)
            except (DoesNotExist, ValueError) as exc:
                raise NotFound(f"Organization {org_id} was not found.") from exc
            self.ensure(org_id, package_id, now)
            try:
                QuotaItem(keys.org_pk(org_id), keys.QUOTA_SK).update(
                    actions=[QuotaItem.package_id.set(package_id), QuotaItem.updated_at.set(now)],
                    condition=Item.pk.exists(),
                )
            except UpdateError as exc:
                if is_condition_failure(exc):
                    raise Conflict("The organization's quota changed meanwhile; try again.") from exc
                raise
