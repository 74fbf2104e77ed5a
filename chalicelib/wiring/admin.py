"""Admin area: user and organization directories, platform counters, wallets (billing's), VPS figures."""

from __future__ import annotations

from chalicelib.domain.admin.ports import NoVps, VpsFigures
from chalicelib.domain.admin.service import AdminService, BillingWallets
from chalicelib.wiring import component, settings
from chalicelib.wiring.events import audit_trail


@component
def vps_figures() -> VpsFigures:
    """VPS instances and provider cost for the figures (the VPS capability replaces this body)."""
    return NoVps()


@component
def get_admin() -> AdminService:
    from chalicelib.store.admin.stats import StatsRepository
    from chalicelib.store.admin.users import OrganizationDirectoryRepository, UserDirectoryRepository
    from chalicelib.store.billing.ledger import LedgerRepository
    from chalicelib.store.billing.state import BillingStateRepository

    current = settings()
    return AdminService(
        UserDirectoryRepository(),
        OrganizationDirectoryRepository(),
        StatsRepository(),
        BillingWallets(LedgerRepository(), BillingStateRepository()),
        vps_figures(),
        currency=current.billing.currency,
        audit=audit_trail(),
    )
