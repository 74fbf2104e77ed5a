"""What the VPS slice needs from its stores and from the wallet (the provider itself is ports.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from chalicelib.domain.shared.paging import Page
from chalicelib.domain.vps.entities import Plan, Provider, ProviderSecrets, SshKey, Vps, VpsReconciliation


class Providers(Protocol):
    """Provider accounts (a small platform partition)."""

    def add(self, provider: Provider, secrets: ProviderSecrets) -> None: ...

    def get(self, provider_id: str) -> Provider:
        """Raises NotFound."""
        ...

    def all(self) -> list[Provider]: ...

    def update(self, current: Provider, new: Provider, secrets: ProviderSecrets | None = None) -> None:
        """Write `new` (and new secrets) only if the record is still at `current.version`; raises Conflict."""
        ...

    def secrets(self, provider_id: str) -> ProviderSecrets:
        """Raises NotFound."""
        ...

    def remove(self, provider_id: str) -> None:
        """Raises NotFound."""
        ...

    def advance_events(self, provider_id: str, seen: int | None, after: int) -> bool:
        """Move the event cursor from `seen` to `after`; False when another poller moved it first."""
        ...


class Plans(Protocol):
    """Plans (provider types with our markup), all providers in one small platform partition."""

    def all(self) -> list[Plan]: ...

    def get(self, plan_id: str) -> Plan:
        """Raises NotFound."""
        ...

    def put(self, plan: Plan) -> None: ...

    def remove_of_provider(self, provider_id: str) -> None: ...


class Instances(Protocol):
    """VPS records (tenant partition), their meters, and the provider's index of them."""

    def create(self, vps: Vps) -> None:
        """Store a new record; raises PaymentRequired when the organization is suspended."""
        ...

    def get(self, org_id: str, vps_id: str, *, consistent: bool = False) -> Vps:
        """Raises NotFound (also for another organization's VPS)."""
        ...

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Vps]: ...

    def update(self, current: Vps, new: Vps) -> None:
        """Write `new` only if the record is still at `current.version`; raises Conflict (or NotFound)."""
        ...

    def start_metering(self, current: Vps, new: Vps) -> None:
        """As update, and the meter starts at `new.running_since` at `new.hourly_micros`: one transaction."""
        ...

    def finish(self, current: Vps, ended: datetime, reason: str | None) -> None:
        """The provider no longer has it: the record leaves the organization's list (kept for cost reports)
        and its meter ends at `ended`: one transaction. Raises Conflict when the record moved."""
        ...

    def remove(self, current: Vps) -> None:
        """Drop a record that never reached the provider (a create that failed before anything existed)."""
        ...

    def by_instance(self, provider_id: str, instance_id: str) -> Vps | None:
        """The live record of a provider instance (index read; None when unknown)."""
        ...

    def of_provider(self, provider_id: str) -> list[Vps]:
        """Live records that have a provider instance (index read, all pages)."""
        ...

    def ended_since(self, provider_id: str, since: datetime) -> list[Vps]:
        """Records of the provider whose VPS ended at or after `since` (index read)."""
        ...


class SshKeys(Protocol):
    """A user's SSH public keys (user partition)."""

    def add(self, key: SshKey, limit: int) -> None:
        """Raises Conflict when the user has this key (fingerprint) already or `limit` keys."""
        ...

    def of_user(self, user_id: str) -> list[SshKey]: ...

    def remove(self, user_id: str, key_id: str) -> None:
        """Raises NotFound."""
        ...


class EventLog(Protocol):
    """Provider events claimed for applying (short-lived records): each event id is applied once."""

    def claim(self, provider_id: str, event_id: int, expires: datetime) -> bool:
        """True for the first claim of the event; False when it was claimed (applied) before."""
        ...

    def release(self, provider_id: str, event_id: int) -> None:
        """Forget a claim whose applying failed, so that the next delivery applies it."""
        ...


class Reports(Protocol):
    """Reconciliation reports, newest first."""

    def add(self, report: VpsReconciliation) -> None: ...

    def page(self, provider_id: str | None, limit: int, cursor: str | None) -> Page[VpsReconciliation]: ...


class Funds(Protocol):
    """The wallet as VPS reselling sees it: hold a create's money, give it back, refuse a suspended org.

    Raises InsufficientFunds (402) when the wallet does not cover a hold, ServiceUnavailable when it is busy.
    """

    def suspended(self, org_id: str) -> bool: ...

    def hold(self, org_id: str, vps_id: str, cents: int, label: str, actor: str) -> None:
        """Debit the hold once per VPS (a second call changes nothing)."""
        ...

    def held(self, org_id: str, vps_id: str) -> int:
        """The cents held for the VPS and not given back yet (0 when none)."""
        ...

    def give_back(self, org_id: str, vps_id: str, label: str, reason: str) -> int:
        """Credit the hold back once (metering took over, or the create failed); the cents returned now."""
        ...
