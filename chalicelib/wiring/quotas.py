"""Quotas and packages: the service, the default package from settings, and the container store's hook."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from chalicelib.domain.quotas.entities import DEFAULT_PACKAGE_ID, Limits, Package
from chalicelib.domain.quotas.service import QuotaService
from chalicelib.wiring import component, settings
from chalicelib.wiring.events import audit_trail, notifier

if TYPE_CHECKING:
    from chalicelib.store.quotas.hook import ContainerQuota

SINCE = datetime(2026, 1, 1, tzinfo=UTC)  # the default package as configured, before any edit


@component
def default_package() -> Package:
    """The default package from CS_DEFAULT_* until an operator stores an edited one."""
    r = settings().resources
    return Package(
        id=DEFAULT_PACKAGE_ID,
        name=r.package_name,
        description="Every new organization starts on this package.",
        limits=Limits(
            containers=r.max_containers,
            cpu_millis=r.max_cpu_millis,
            memory_bytes=r.max_memory_bytes,
            storage_bytes=r.max_storage_bytes,
            vps=r.max_vps,
            backups=r.max_backups,
        ),
        pricing=None,
        version=0,
        created_at=SINCE,
        updated_at=SINCE,
    )


@component
def get_quotas() -> QuotaService:
    from chalicelib.store.billing.state import BillingStateRepository
    from chalicelib.store.quotas.repository import PackageRepository, QuotaRepository

    settings()
    return QuotaService(
        PackageRepository(),
        QuotaRepository(),
        default_package(),
        base_pricing=BillingStateRepository().pricing,
        audit=audit_trail(),
        notifier=notifier(),
    )


@component
def container_quota() -> ContainerQuota:
    """The hook every container store writes its counters through (service, workflow steps, reconciler)."""
    from chalicelib.store.quotas.hook import ContainerQuota

    return ContainerQuota(get_quotas().standing)
