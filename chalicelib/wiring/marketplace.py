"""Marketplace: the catalog (repository files and stored changes), deployed through the container service and
priced with the organization's container prices (billing's rating)."""

from __future__ import annotations

from chalicelib.domain.marketplace.service import MarketplaceService
from chalicelib.wiring import component, settings
from chalicelib.wiring.billing import get_runner
from chalicelib.wiring.containers import get_containers
from chalicelib.wiring.events import audit_trail


@component
def get_marketplace() -> MarketplaceService:
    from chalicelib.store.marketplace.repository import TemplateRepository

    current = settings()
    runner = get_runner()
    return MarketplaceService(
        TemplateRepository(),
        get_containers(),
        lambda org_id: runner.pricing_for(org_id),
        registry_images=current.resources.registry_images,
        audit=audit_trail(),
    )
