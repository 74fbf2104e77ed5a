"""Service providers (platform administrators only): accounts with encrypted keys, the credential check,
plan sync with our markup, and provider cost against revenue."""

from __future__ import annotations

import math
import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlparse

from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, ValidationFailed
from chalicelib.domain.shared.secrets import SecretBox
from chalicelib.domain.vps.accounts import (
    LOOPBACK,
    ProviderAccounts,
    for_admins,
    key_context,
    webhook_context,
)
from chalicelib.domain.vps.entities import (
    SUPPORTED_KINDS,
    CostLine,
    CostReport,
    Plan,
    PlanChange,
    PriceChange,
    Provider,
    ProviderKind,
    ProviderSecrets,
    SyncResult,
    Vps,
    VpsPolicy,
)
from chalicelib.domain.vps.ports import ProviderCheck, ProviderType
from chalicelib.domain.vps.stores import Instances, Plans, Providers

MAX_COST_DAYS = 366


@dataclass(frozen=True)
class ProviderRequest:
    name: str
    type: ProviderKind
    api_key: str
    configuration: dict[str, str]
    active: bool = True


@dataclass(frozen=True)
class ProviderChanges:
    name: str | None = None
    api_key: str | None = None  # rotation: the new key replaces the old one
    configuration: dict[str, str] | None = None
    active: bool | None = None
    rotate_webhook_secret: bool = False


def check_configuration(configuration: dict[str, str], *, loopback_only: bool = False) -> None:
    """`base_url` (the provider's API elsewhere): https, or http on this machine; in the local stages it must
    be on this machine (no test reaches a real provider). Without it the deployment's own is used (locally
    CS_LINODE_BASE_URL, the sandbox)."""
    url = configuration.get("base_url")
    if url is None:
        return
    parsed = urlparse(url or "")
    secure = parsed.scheme == "https"
    local = parsed.scheme in ("http", "https") and parsed.hostname in LOOPBACK
    if not parsed.hostname or not (secure or local) or parsed.username or parsed.password:
        raise ValidationFailed(
            "configuration.base_url must be an https URL (or http on 127.0.0.1/localhost) without "
            "credentials.",
            details={"field": "configuration.base_url"},
        )
    if loopback_only and not local:
        raise ValidationFailed(
            "In the local stack configuration.base_url must point at this machine (the Linode sandbox).",
            details={"field": "configuration.base_url"},
        )


def _minutes(vps: Vps, start: datetime, end: datetime) -> int:
    """Minutes the VPS was metered inside [start, end) (a started minute counts, as billing counts it)."""
    if vps.running_since is None:
        return 0
    since = max(start, vps.running_since)
    until = min(end, vps.ended_at) if vps.ended_at else end
    return math.ceil((until - since).total_seconds() / 60) if until > since else 0


class ProviderService:
    """Provider accounts, their plans and costs. Raises NotFound, Conflict, ValidationFailed (also for a
    provider type not supported yet, and when the provider refuses) and ServiceUnavailable."""

    def __init__(
        self,
        providers: Providers,
        plans: Plans,
        instances: Instances,
        accounts: ProviderAccounts,
        box: SecretBox,
        policy: VpsPolicy,
        *,
        clock: Clock = utcnow,
    ) -> None:
        self._providers = providers
        self._plans = plans
        self._instances = instances
        self._accounts = accounts
        self._box = box
        self._policy = policy
        self._clock = clock

    # ------------------------------------------------------------ accounts
    def all(self) -> list[Provider]:
        return sorted(self._providers.all(), key=lambda p: (p.name.lower(), p.id))

    def get(self, provider_id: str) -> Provider:
        return self._providers.get(provider_id)

    def create(self, req: ProviderRequest) -> tuple[Provider, str]:
        """Store the account with its key encrypted; returns it and its webhook secret (shown this once)."""
        check_configuration(
            req.configuration, loopback_only=self._policy.loopback_only and req.type in SUPPORTED_KINDS
        )
        now = self._clock()
        provider = Provider(
            id=str(uuid.uuid4()),
            name=req.name,
            type=req.type,
            active=req.active,
            configuration=dict(req.configuration),
            key_last_four=req.api_key[-4:],
            created_at=now,
            updated_at=now,
        )
        webhook_secret = secrets.token_urlsafe(32)
        self._providers.add(provider, self._seal(provider.id, req.api_key, webhook_secret))
        return provider, webhook_secret

    def update(self, provider_id: str, changes: ProviderChanges) -> tuple[Provider, str | None]:
        """Rename, reconfigure, (de)activate, rotate the API key or the webhook secret (the new secret is
        returned this once)."""
        current = self._providers.get(provider_id)
        configuration = changes.configuration if changes.configuration is not None else current.configuration
        check_configuration(configuration, loopback_only=self._policy.loopback_only and current.supported)
        new = replace(
            current,
            name=changes.name if changes.name is not None else current.name,
            configuration=dict(configuration),
            active=changes.active if changes.active is not None else current.active,
            key_last_four=changes.api_key[-4:] if changes.api_key else current.key_last_four,
            updated_at=self._clock(),
            version=current.version + 1,
        )
        sealed: ProviderSecrets | None = None
        webhook_secret: str | None = None
        if changes.api_key or changes.rotate_webhook_secret:
            old = self._providers.secrets(provider_id)
            webhook_secret = secrets.token_urlsafe(32) if changes.rotate_webhook_secret else None
            sealed = ProviderSecrets(
                api_key_encrypted=self._box.encrypt(changes.api_key, key_context(provider_id))
                if changes.api_key
                else old.api_key_encrypted,
                webhook_secret_encrypted=self._box.encrypt(webhook_secret, webhook_context(provider_id))
                if webhook_secret
                else old.webhook_secret_encrypted,
            )
        self._providers.update(current, new, sealed)
        return new, webhook_secret

    def remove(self, provider_id: str) -> None:
        """Forget the account and its plans; refused (409) while customers have VPS instances there."""
        self._providers.get(provider_id)
        if self._instances.of_provider(provider_id):
            raise Conflict(
                "Customers still have VPS instances at this provider; deactivate it instead, or wait until "
                "they are deleted."
            )
        self._plans.remove_of_provider(provider_id)
        self._providers.remove(provider_id)

    def check(self, provider_id: str) -> ProviderCheck:
        """What the stored credentials reach at the provider (account, regions, types, instances)."""
        _, cloud = self._accounts.open(provider_id)
        with for_admins():
            return cloud.check()

    def _seal(self, provider_id: str, api_key: str, webhook_secret: str) -> ProviderSecrets:
        return ProviderSecrets(
            api_key_encrypted=self._box.encrypt(api_key, key_context(provider_id)),
            webhook_secret_encrypted=self._box.encrypt(webhook_secret, webhook_context(provider_id)),
        )

    # ------------------------------------------------------------ plans
    def sync_plans(self, provider_id: str) -> SyncResult:
        """Read the provider's types and regions: new types become plans at the default markup, a changed
        price keeps the plan's markup rule (and is reported), types gone are deactivated."""
        provider, cloud = self._accounts.open(provider_id)
        with for_admins():
            types = list(cloud.types())
            regions = tuple(cloud.regions())
        now = self._clock()
        existing = {p.provider_plan_id: p for p in self._plans.all() if p.provider_id == provider_id}
        added: list[Plan] = []
        changed: list[PlanChange] = []
        unchanged = 0
        for t in types:
            plan = existing.pop(t.id, None)
            if plan is None:
                added.append(self._new_plan(provider_id, t, now))
                self._plans.put(added[-1])
                continue
            synced = replace(
                plan,
                name=plan.name or t.label,
                vcpus=t.vcpus,
                memory_mb=t.memory_mb,
                disk_mb=t.disk_mb,
                transfer_mb=t.transfer_mb,
                base_hourly_cents=t.hourly_cents,
                base_monthly_cents=t.monthly_cents,
            )
            if synced == plan:
                unchanged += 1
                continue
            synced = replace(synced, updated_at=now)
            self._plans.put(synced)
            if (t.hourly_cents, t.monthly_cents) != (plan.base_hourly_cents, plan.base_monthly_cents):
                changed.append(
                    PlanChange(synced, plan.base_hourly_cents, plan.base_monthly_cents, plan.monthly_cents)
                )
            else:
                unchanged += 1
        withdrawn = [replace(p, active=False, updated_at=now) for p in existing.values() if p.active]
        for plan in withdrawn:
            self._plans.put(plan)
        moved = tuple(
            PriceChange(
                c.plan.id,
                c.plan.name,
                c.old_monthly_cents,
                c.plan.base_monthly_cents,
                c.old_monthly_price_cents,
                c.plan.monthly_cents,
            )
            for c in changed
        )
        self._providers.update(
            provider,
            replace(
                provider, regions=regions, synced_at=now, price_changes=moved, version=provider.version + 1
            ),
        )
        return SyncResult(tuple(added), tuple(changed), unchanged, tuple(withdrawn), len(regions))

    def _new_plan(self, provider_id: str, t: ProviderType, now: datetime) -> Plan:
        return Plan(
            id=str(uuid.uuid4()),
            provider_id=provider_id,
            provider_plan_id=t.id,
            name=t.label,
            vcpus=t.vcpus,
            memory_mb=t.memory_mb,
            disk_mb=t.disk_mb,
            transfer_mb=t.transfer_mb,
            base_hourly_cents=t.hourly_cents,
            base_monthly_cents=t.monthly_cents,
            markup=self._policy.default_markup,
            active=t.monthly_cents > 0,  # a type without a price (priced per region) is not sold until set up
            created_at=now,
            updated_at=now,
        )

    # ------------------------------------------------------------ costs
    def costs(self, provider_id: str, start: datetime | None, end: datetime | None) -> CostReport:
        """Provider cost (its price x hours metered) against revenue (our price x hours) in [start, end),
        per plan and per organization. Default: this month so far."""
        self._providers.get(provider_id)
        now = self._clock()
        end = min(end or now, now)
        start = start or now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        if start >= end:
            raise ValidationFailed("from must be before to (and before now).", details={"field": "from"})
        if end - start > timedelta(days=MAX_COST_DAYS):
            raise ValidationFailed(f"A report covers at most {MAX_COST_DAYS} days.", details={"field": "to"})
        records = {v.id: v for v in self._instances.of_provider(provider_id)}
        records.update({v.id: v for v in self._instances.ended_since(provider_id, start)})
        by_plan: dict[str, CostLine] = {}
        by_org: dict[str, CostLine] = {}
        total = CostLine("total", "All instances", 0, 0, 0, 0)
        for vps in records.values():
            minutes = _minutes(vps, start, end)
            if minutes == 0:
                continue
            line = CostLine(
                vps.id,
                vps.label,
                1,
                minutes,
                vps.base_hourly_micros * minutes // 60,
                vps.hourly_micros * minutes // 60,
            )
            by_plan[vps.plan_id] = _add(by_plan.get(vps.plan_id), line, vps.plan_id, vps.plan_name)
            by_org[vps.organization_id] = _add(
                by_org.get(vps.organization_id), line, vps.organization_id, vps.organization_id
            )
            total = _add(total, line, "total", "All instances")
        return CostReport(
            provider_id,
            start,
            end,
            total,
            tuple(sorted(by_plan.values(), key=lambda c: -c.revenue_micros)),
            tuple(sorted(by_org.values(), key=lambda c: -c.revenue_micros)),
        )


def _add(line: CostLine | None, more: CostLine, key: str, label: str) -> CostLine:
    base = line or CostLine(key, label, 0, 0, 0, 0)
    return CostLine(
        key,
        label,
        base.instances + more.instances,
        base.minutes + more.minutes,
        base.cost_micros + more.cost_micros,
        base.revenue_micros + more.revenue_micros,
    )
