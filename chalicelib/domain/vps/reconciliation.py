"""Keeping cost and reality in line: compare the instances each provider has under our tag with our VPS
records. Orphans (at the provider, not ours on record) leak cost; ghosts (on record, gone at the provider)
bill customers for nothing. Findings are reported to administrators (stored and mailed), not acted on."""

from __future__ import annotations

import logging
from datetime import timedelta

from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import DomainError, NotFound, PermissionDenied
from chalicelib.domain.shared.ids import new_ulid
from chalicelib.domain.shared.mail import Mailer
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.tenancy import tenant_scope
from chalicelib.domain.vps.accounts import ProviderAccounts, for_admins
from chalicelib.domain.vps.entities import (
    LIVE,
    ORG_TAG_PREFIX,
    OUR_TAG,
    VPS_TAG_PREFIX,
    Finding,
    Provider,
    Vps,
    VpsPolicy,
    VpsReconciliation,
    tagged_value,
)
from chalicelib.domain.vps.ports import CloudProvider, ProviderInstance
from chalicelib.domain.vps.stores import Instances, Providers, Reports

log = logging.getLogger(__name__)
IN_FLIGHT = ("provisioning", "deleting")


class VpsReconciler:
    """Raises NotFound for an unknown provider, ValidationFailed for a type not supported yet and the
    provider's errors when it cannot be listed."""

    def __init__(
        self,
        providers: Providers,
        instances: Instances,
        accounts: ProviderAccounts,
        reports: Reports,
        mailer: Mailer,
        policy: VpsPolicy,
        *,
        clock: Clock = utcnow,
    ) -> None:
        self._providers = providers
        self._instances = instances
        self._accounts = accounts
        self._reports = reports
        self._mailer = mailer
        self._policy = policy
        self._clock = clock

    def reconcile(self) -> list[VpsReconciliation]:
        """Every active provider (the schedule); a provider that cannot be listed is skipped and logged."""
        done: list[VpsReconciliation] = []
        for provider in self._providers.all():
            if not (provider.active and provider.supported):
                continue
            try:
                done.append(self.reconcile_provider(provider.id))
            except DomainError as exc:
                log.warning("provider %s not reconciled: %s", provider.id, exc.message)
        return done

    def reconcile_provider(self, provider_id: str) -> VpsReconciliation:
        """One provider now. Raises ValidationFailed when the provider refuses (our key, say), and
        ServiceUnavailable when it does not answer."""
        with for_admins():
            return self._reconcile(provider_id)

    def _reconcile(self, provider_id: str) -> VpsReconciliation:
        provider, cloud = self._accounts.open(provider_id)
        ours = list(cloud.instances(tag=OUR_TAG))
        records = self._instances.of_provider(provider.id)
        known = {v.provider_instance_id for v in records}
        findings = [self._orphan(i) for i in ours if i.id not in known and self._unaccounted(i)]
        at_provider = {i.id for i in ours}
        findings += [
            Finding("ghost", v.provider_instance_id, v.id, v.organization_id, v.label, v.status)
            for v in records
            if v.provider_instance_id not in at_provider and self._gone(cloud, v)
        ]
        report = VpsReconciliation(
            new_ulid(), provider.id, self._clock(), len(ours), len(records), tuple(findings)
        )
        self._reports.add(report)
        if findings:
            self._mail(provider, report)
        return report

    def reports(self, provider_id: str, limit: int, cursor: str | None) -> Page[VpsReconciliation]:
        self._providers.get(provider_id)
        return self._reports.page(provider_id, limit, cursor)

    @staticmethod
    def _orphan(instance: ProviderInstance) -> Finding:
        return Finding(
            "orphan",
            instance.id,
            tagged_value(instance.tags, VPS_TAG_PREFIX),
            tagged_value(instance.tags, ORG_TAG_PREFIX),
            instance.label,
            instance.status,
        )

    def _unaccounted(self, instance: ProviderInstance) -> bool:
        """Not on record: not younger than the grace period (a create in flight), and its record (found by
        its tags, read consistently: the index may lag) does not claim it."""
        grace = timedelta(seconds=self._policy.orphan_grace_seconds)
        if instance.created is not None and self._clock() - instance.created < grace:
            return False
        vps_id = tagged_value(instance.tags, VPS_TAG_PREFIX)
        org_id = tagged_value(instance.tags, ORG_TAG_PREFIX)
        if not vps_id or not org_id:
            return True
        try:
            with tenant_scope(org_id):  # another organization's record: read in its own scope
                record = self._instances.get(org_id, vps_id, consistent=True)
        except (NotFound, PermissionDenied):  # a tag that names no organization
            return True
        if record.provider_instance_id == instance.id and record.status not in ("error", "deleted"):
            return False
        return not (record.provider_instance_id is None and record.status in IN_FLIGHT)

    @staticmethod
    def _gone(cloud: CloudProvider, vps: Vps) -> bool:
        """On record as live, and the provider answers 404 for it (not merely missing from the tag list)."""
        return (
            vps.status in LIVE
            and vps.provider_instance_id is not None
            and (cloud.instance(vps.provider_instance_id) is None)
        )

    def _mail(self, provider: Provider, report: VpsReconciliation) -> None:
        if not self._policy.report_email:
            log.warning(
                "VPS reconciliation of %s found %d problems; no report address set",
                provider.id,
                len(report.findings),
            )
            return
        lines = "\n".join(
            f"- {f.kind}: instance {f.provider_instance_id or '-'}, VPS {f.vps_id or '-'} "
            f"(organization {f.organization_id or '-'}), {f.label}, {f.status}"
            for f in report.findings
        )
        try:
            self._mailer.send(
                self._policy.report_email,
                "vps_reconciliation_report",
                {
                    "provider": provider.name,
                    "orphans": str(len(report.orphans)),
                    "ghosts": str(len(report.ghosts)),
                    "findings": lines,
                    "provider_id": provider.id,
                },
            )
        except DomainError as exc:
            log.warning("VPS reconciliation report not mailed: %s", exc.message)
