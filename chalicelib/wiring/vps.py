"""VPS reselling: providers, plans, customers' VPS, provisioning steps, provider events, reconciliation."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.vps.accounts import ProviderAccounts
from chalicelib.domain.vps.catalog import Catalog
from chalicelib.domain.vps.entities import Markup, VpsPolicy
from chalicelib.domain.vps.events import VpsEvents
from chalicelib.domain.vps.funds import WalletFunds
from chalicelib.domain.vps.providers import ProviderService
from chalicelib.domain.vps.provisioning import VpsProvisioner
from chalicelib.domain.vps.reconciliation import VpsReconciler
from chalicelib.domain.vps.service import VpsService
from chalicelib.wiring import component, settings, workflows
from chalicelib.wiring.cloud import cloud_providers
from chalicelib.wiring.quotas import container_quota


@component
def vps_policy() -> VpsPolicy:
    current = settings()
    v = current.vps
    return VpsPolicy(
        funded_hours=v.funded_hours,
        poll_seconds=v.poll_seconds,
        max_wait_seconds=v.max_wait_seconds,
        default_markup=Markup("percent", v.default_markup_percent_bps),
        orphan_grace_seconds=v.orphan_grace_seconds,
        report_email=v.report_email,
        loopback_only=current.is_local,
    )


@component
def envelope_box() -> Any:
    """The SecretBox for provider keys, webhook secrets and root passwords: KMS envelope encryption."""
    from chalicelib.adapters.aws.kms import KmsEnvelopeBox

    current = settings()
    return KmsEnvelopeBox(current.kms_key_id, current.region)


@component
def provider_accounts() -> ProviderAccounts:
    from chalicelib.store.vps.repository import ProviderRepository

    settings()
    return ProviderAccounts(
        ProviderRepository(), _LazyClouds(), envelope_box(), loopback_only=vps_policy().loopback_only
    )


class _LazyClouds:
    """Builds the adapters (wiring/cloud.py) only when a provider is first reached (routes that never do stay
    cheap); tests put a fake in `cloud_providers`' place."""

    def connect(self, provider_type: str, api_key: str, *, base_url: str | None = None) -> Any:
        return cloud_providers().connect(provider_type, api_key, base_url=base_url)


@component
def get_catalog() -> Catalog:
    from chalicelib.store.vps.repository import PlanRepository, ProviderRepository

    settings()
    return Catalog(ProviderRepository(), PlanRepository())


@component
def get_provider_service() -> ProviderService:
    from chalicelib.store.vps.instances import InstanceRepository
    from chalicelib.store.vps.repository import PlanRepository, ProviderRepository

    settings()
    return ProviderService(
        ProviderRepository(),
        PlanRepository(),
        InstanceRepository(container_quota()),
        provider_accounts(),
        envelope_box(),
        vps_policy(),
    )


@component
def vps_funds() -> WalletFunds:
    from chalicelib.store.billing.ledger import LedgerRepository
    from chalicelib.store.billing.state import BillingStateRepository
    from chalicelib.wiring.billing import get_wallet

    return WalletFunds(get_wallet(), LedgerRepository(), BillingStateRepository())


@component
def get_vps() -> VpsService:
    from chalicelib.store.vps.instances import InstanceRepository
    from chalicelib.store.vps.repository import SshKeyRepository

    settings()
    return VpsService(
        InstanceRepository(container_quota()),
        SshKeyRepository(),
        get_catalog(),
        provider_accounts(),
        vps_funds(),
        envelope_box(),
        workflows(),
        vps_policy(),
    )


@component
def get_vps_provisioner() -> VpsProvisioner:
    from chalicelib.store.vps.instances import InstanceRepository
    from chalicelib.store.vps.repository import SshKeyRepository
    from chalicelib.wiring.events import notifier

    settings()
    provisioner = VpsProvisioner(
        InstanceRepository(container_quota()),
        SshKeyRepository(),
        provider_accounts(),
        vps_funds(),
        envelope_box(),
        vps_policy(),
    )
    provisioner.notifier = notifier()
    return provisioner


@component
def get_vps_events() -> VpsEvents:
    from chalicelib.store.vps.instances import InstanceRepository
    from chalicelib.store.vps.repository import EventLogRepository, ProviderRepository

    settings()
    return VpsEvents(
        ProviderRepository(), InstanceRepository(container_quota()), provider_accounts(), EventLogRepository()
    )


@component
def get_vps_reconciler() -> VpsReconciler:
    from chalicelib.store.vps.instances import InstanceRepository
    from chalicelib.store.vps.repository import ProviderRepository, ReportRepository
    from chalicelib.wiring.billing import mailer

    settings()
    return VpsReconciler(
        ProviderRepository(),
        InstanceRepository(container_quota()),
        provider_accounts(),
        ReportRepository(),
        mailer(),
        vps_policy(),
    )
