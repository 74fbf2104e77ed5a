"""In-memory fakes of the VPS slice's stores and of the Funds port (chalicelib/domain/vps/stores.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.domain.shared.errors import Conflict, InsufficientFunds, NotFound, PaymentRequired
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.vps.entities import Plan, Provider, ProviderSecrets, SshKey, Vps, VpsReconciliation


class FakeProviders:
    def __init__(self) -> None:
        self.items: dict[str, Provider] = {}
        self.sealed: dict[str, ProviderSecrets] = {}

    def add(self, provider: Provider, secrets: ProviderSecrets) -> None:
        self.items[provider.id] = provider
        self.sealed[provider.id] = secrets

    def get(self, provider_id: str) -> Provider:
        if provider_id not in self.items:
            raise NotFound(f"Provider {provider_id} was not found.")
        return self.items[provider_id]

    def all(self) -> list[Provider]:
        return list(self.items.values())

    def update(self, current: Provider, new: Provider, secrets: ProviderSecrets | None = None) -> None:
        if self.get(current.id).version != current.version:
            raise Conflict("The provider changed meanwhile.")
        self.items[new.id] = new
        if secrets is not None:
            self.sealed[new.id] = secrets

    def secrets(self, provider_id: str) -> ProviderSecrets:
        self.get(provider_id)
        return self.sealed[provider_id]

    def remove(self, provider_id: str) -> None:
        self.get(provider_id)
        del self.items[provider_id]

    def advance_events(self, provider_id: str, seen: int | None, after: int) -> bool:
        current = self.get(provider_id)
        if current.events_after != seen:
            return False
        self.items[provider_id] = replace(current, events_after=after)
        return True


class FakePlans:
    def __init__(self) -> None:
        self.items: dict[str, Plan] = {}

    def all(self) -> list[Plan]:
        return list(self.items.values())

    def get(self, plan_id: str) -> Plan:
        if plan_id not in self.items:
            raise NotFound(f"Plan {plan_id} was not found.")
        return self.items[plan_id]

    def put(self, plan: Plan) -> None:
        self.items[plan.id] = plan

    def remove_of_provider(self, provider_id: str) -> None:
        self.items = {k: p for k, p in self.items.items() if p.provider_id != provider_id}


class FakeInstances:
    """VPS records; `meters` holds each VPS's (started, hourly micros, ended) as the billing meter would."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Vps] = {}
        self.ended: dict[str, Vps] = {}
        self.meters: dict[str, tuple[datetime, int, datetime | None]] = {}
        self.suspended: set[str] = set()

    def create(self, vps: Vps) -> None:
        if vps.organization_id in self.suspended:
            raise PaymentRequired("suspended")
        self.items[(vps.organization_id, vps.id)] = vps

    def get(self, org_id: str, vps_id: str, *, consistent: bool = False) -> Vps:
        if (org_id, vps_id) not in self.items:
            raise NotFound(f"VPS {vps_id} was not found.")
        return self.items[(org_id, vps_id)]

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Vps]:
        return Page([v for (o, _), v in self.items.items() if o == org_id][:limit], None)

    def _check(self, current: Vps) -> None:
        if self.get(current.organization_id, current.id).version != current.version:
            raise Conflict("The VPS changed meanwhile.")

    def update(self, current: Vps, new: Vps) -> None:
        self._check(current)
        self.items[(new.organization_id, new.id)] = new

    def start_metering(self, current: Vps, new: Vps) -> None:
        self._check(current)
        if new.id in self.meters or new.running_since is None:
            raise Conflict("metered already")
        self.items[(new.organization_id, new.id)] = new
        self.meters[new.id] = (new.running_since, new.hourly_micros, None)

    def finish(self, current: Vps, ended: datetime, reason: str | None) -> None:
        self._check(current)
        del self.items[(current.organization_id, current.id)]
        if current.running_since is not None:
            self.ended[current.id] = replace(current, status="deleted", ended_at=ended, status_reason=reason)
            started, micros, _ = self.meters[current.id]
            self.meters[current.id] = (started, micros, ended)

    def remove(self, current: Vps) -> None:
        self._check(current)
        del self.items[(current.organization_id, current.id)]

    def by_instance(self, provider_id: str, instance_id: str) -> Vps | None:
        return next(
            (
                v
                for v in self.items.values()
                if v.provider_id == provider_id and v.provider_instance_id == instance_id
            ),
            None,
        )

    def of_provider(self, provider_id: str) -> list[Vps]:
        return [v for v in self.items.values() if v.provider_id == provider_id and v.provider_instance_id]

    def ended_since(self, provider_id: str, since: datetime) -> list[Vps]:
        return [
            v
            for v in self.ended.values()
            if v.provider_id == provider_id and v.ended_at and v.ended_at >= since
        ]


class FakeSshKeys:
    def __init__(self) -> None:
        self.items: dict[str, list[SshKey]] = {}

    def add(self, key: SshKey, limit: int) -> None:
        mine = self.items.setdefault(key.user_id, [])
        if any(k.fingerprint == key.fingerprint for k in mine) or len(mine) >= limit:
            raise Conflict("duplicate or too many")
        mine.append(key)

    def of_user(self, user_id: str) -> list[SshKey]:
        return list(self.items.get(user_id, []))

    def remove(self, user_id: str, key_id: str) -> None:
        mine = self.items.get(user_id, [])
        if not any(k.id == key_id for k in mine):
            raise NotFound(f"SSH key {key_id} was not found.")
        self.items[user_id] = [k for k in mine if k.id != key_id]


class FakeEventLog:
    def __init__(self) -> None:
        self.claimed: set[tuple[str, int]] = set()

    def claim(self, provider_id: str, event_id: int, expires: datetime) -> bool:
        if (provider_id, event_id) in self.claimed:
            return False
        self.claimed.add((provider_id, event_id))
        return True

    def release(self, provider_id: str, event_id: int) -> None:
        self.claimed.discard((provider_id, event_id))


class FakeReports:
    def __init__(self) -> None:
        self.items: list[VpsReconciliation] = []

    def add(self, report: VpsReconciliation) -> None:
        self.items.append(report)

    def page(self, provider_id: str | None, limit: int, cursor: str | None) -> Page[VpsReconciliation]:
        found = [r for r in reversed(self.items) if provider_id is None or r.provider_id == provider_id]
        return Page(found[:limit], None)


class FakeFunds:
    """Wallet balances in cents; holds and their returns are kept per VPS, each applied once."""

    def __init__(self) -> None:
        self.balances: dict[str, int] = {}
        self.holds: dict[str, int] = {}
        self.returned: dict[str, int] = {}
        self.suspended_orgs: set[str] = set()

    def suspended(self, org_id: str) -> bool:
        return org_id in self.suspended_orgs

    def hold(self, org_id: str, vps_id: str, cents: int, label: str, actor: str) -> None:
        if vps_id in self.holds:
            return
        if self.balances.get(org_id, 0) < cents:
            raise InsufficientFunds("The wallet does not cover it.")
        self.balances[org_id] = self.balances.get(org_id, 0) - cents
        self.holds[vps_id] = cents

    def held(self, org_id: str, vps_id: str) -> int:
        return 0 if vps_id in self.returned else self.holds.get(vps_id, 0)

    def give_back(self, org_id: str, vps_id: str, label: str, reason: str) -> int:
        cents = self.held(org_id, vps_id)
        if cents:
            self.returned[vps_id] = cents
            self.balances[org_id] = self.balances.get(org_id, 0) + cents
        return cents
