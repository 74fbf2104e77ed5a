"""Changes made at the provider (a reboot or shutdown from its side, a migration, a deletion) reach the VPS
records through one handler, fed by signed webhook deliveries and by a scheduled poller of the account's
events. Each event id is applied once; an event is only a hint: the instance is read back from the provider,
so an unknown or forged event changes nothing."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import (
    Conflict,
    DomainError,
    NotFound,
    ServiceUnavailable,
    ValidationFailed,
)
from chalicelib.domain.shared.tenancy import tenant_scope
from chalicelib.domain.vps.accounts import ProviderAccounts
from chalicelib.domain.vps.entities import LIVE, PROVIDER_STATUS, Provider
from chalicelib.domain.vps.ports import CloudProvider, ProviderEvent, ProviderRejected
from chalicelib.domain.vps.stores import EventLog, Instances, Providers

log = logging.getLogger(__name__)
EVENT_MEMORY = timedelta(days=90)  # Linode keeps account events for 90 days
MAX_EVENT_BYTES = 64 * 1024
PROVIDER_HEADER = "x-cs-provider-id"
SIGNATURE_HEADER = "x-cs-signature"
BAD_SIGNATURE = (
    "The delivery is not signed for a known provider: send X-CS-Provider-Id and X-CS-Signature "
    "(sha256=<hex HMAC-SHA256 of the body with the provider's webhook secret>)."
)
Outcome = Literal["applied", "unchanged", "duplicate", "ignored"]


@dataclass(frozen=True)
class PollResult:
    providers: int
    events: int
    applied: int  # records that changed


def signature(secret: str, body: bytes) -> str:
    """What X-CS-Signature carries for `body` (a relay computes the same)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def parse_event(body: bytes) -> ProviderEvent:
    """A Linode account event object (GET /v4/account/events/{id}). Raises ValidationFailed (body)."""
    try:
        raw: Any = json.loads(body or b"")
    except ValueError as exc:
        raise ValidationFailed("The body is not a provider event.", details={"field": "body"}) from exc
    if not isinstance(raw, dict) or isinstance(raw.get("id"), bool) or not isinstance(raw.get("id"), int):
        raise ValidationFailed("The body is not a provider event.", details={"field": "body"})
    entity: dict[str, Any] = raw["entity"] if isinstance(raw.get("entity"), dict) else {}
    created = raw.get("created")
    try:
        when = datetime.fromisoformat(created) if isinstance(created, str) else None
    except ValueError:
        when = None
    return ProviderEvent(
        id=int(raw["id"]),
        action=str(raw.get("action") or ""),
        status=str(raw.get("status") or ""),
        entity_type=str(entity["type"]) if entity.get("type") is not None else None,
        entity_id=str(entity["id"]) if entity.get("id") is not None else None,
        created=when,
    )


class VpsEvents:
    """Applies provider events to VPS records. Raises ValidationFailed (400) for a delivery that is not
    signed by a known provider or is not an event; nothing changes then."""

    def __init__(
        self,
        providers: Providers,
        instances: Instances,
        accounts: ProviderAccounts,
        events: EventLog,
        *,
        clock: Clock = utcnow,
    ) -> None:
        self._providers = providers
        self._instances = instances
        self._accounts = accounts
        self._events = events
        self._clock = clock

    def deliver(self, headers: Mapping[str, str], body: bytes) -> Outcome:
        """One webhook delivery (headers in lower case). A provider that cannot be asked about the instance
        now is a 503: the relay delivers again later (the event was not claimed)."""
        if len(body) > MAX_EVENT_BYTES:
            raise ValidationFailed("The body is larger than a provider event.", details={"field": "body"})
        provider = self._signed_by(headers, body)
        event = parse_event(body)
        try:
            return self.apply(provider, [event])[0]
        except ProviderRejected as exc:
            log.error("provider %s refused reading an instance: %s", provider.id, exc.message)
            raise ServiceUnavailable(
                "The provider could not be asked about this event; deliver it again."
            ) from exc

    def _signed_by(self, headers: Mapping[str, str], body: bytes) -> Provider:
        provider_id, sent = headers.get(PROVIDER_HEADER, ""), headers.get(SIGNATURE_HEADER, "")
        refused = ValidationFailed(BAD_SIGNATURE, details={"field": "X-CS-Signature"})
        if not provider_id or not sent or len(provider_id) > 64 or len(sent) > 128:
            raise refused
        try:
            provider = self._providers.get(provider_id)
        except NotFound as exc:
            raise refused from exc
        if not provider.supported:
            raise refused
        expected = signature(self._accounts.webhook_secret(provider), body).encode()
        if not hmac.compare_digest(expected, sent.encode("utf-8", "replace")):
            raise refused
        return provider

    def poll(self) -> PollResult:
        """Every active provider's new account events since its cursor (the schedule)."""
        providers = events = applied = 0
        for provider in self._providers.all():
            if not (provider.active and provider.supported):
                continue
            try:
                seen, changed = self.poll_provider(provider)
            except DomainError as exc:  # one provider failing must not stop the others
                log.warning("events of provider %s not polled: %s", provider.id, exc.message)
                continue
            providers, events, applied = providers + 1, events + seen, applied + changed
        return PollResult(providers, events, applied)

    def poll_provider(self, provider: Provider) -> tuple[int, int]:
        cloud = self._accounts.connect(provider)
        found = list(cloud.events(after_id=provider.events_after))
        outcomes = self.apply(provider, found, cloud)
        if found:
            self._providers.advance_events(provider.id, provider.events_after, max(e.id for e in found))
        changed = {e.entity_id for e, outcome in zip(found, outcomes, strict=True) if outcome == "applied"}
        return len(found), len(changed)

    def apply(
        self, provider: Provider, events: Sequence[ProviderEvent], cloud: CloudProvider | None = None
    ) -> list[Outcome]:
        """Apply each event once: its instance (when it is one of our VPS) is read back and the record
        follows. Instances are read once per batch however many events name them."""
        outcomes: list[Outcome] = []
        synced: dict[str, Outcome] = {}
        expires = self._clock() + EVENT_MEMORY
        for event in events:
            if not self._events.claim(provider.id, event.id, expires):
                outcomes.append("duplicate")
                continue
            if event.entity_type != "linode" or not event.entity_id:
                outcomes.append("ignored")
                continue
            try:
                if event.entity_id not in synced:
                    cloud = cloud or self._accounts.connect(provider)
                    synced[event.entity_id] = self._sync(provider, cloud, event.entity_id)
            except Exception:
                self._events.release(provider.id, event.id)
                raise
            outcomes.append(synced[event.entity_id])
        return outcomes

    def _sync(self, provider: Provider, cloud: CloudProvider, instance_id: str) -> Outcome:
        indexed = self._instances.by_instance(provider.id, instance_id)
        if indexed is None:
            return "ignored"  # not one of ours (or not ours any more)
        with tenant_scope(indexed.organization_id):
            for _ in range(3):
                try:
                    vps = self._instances.get(indexed.organization_id, indexed.id, consistent=True)
                except NotFound:
                    return "ignored"
                if vps.status not in LIVE or vps.provider_instance_id != instance_id:
                    return "unchanged"  # a workflow owns it (provisioning, deleting) or it failed
                found = cloud.instance(instance_id)
                try:
                    if found is None:
                        self._instances.finish(vps, self._clock(), "deleted at the provider")
                        log.warning("VPS %s was deleted at the provider; metering stopped", vps.id)
                        return "applied"
                    status = PROVIDER_STATUS.get(found.status, vps.status)
                    ipv4 = found.ipv4 or vps.ipv4
                    if (status, ipv4, found.ipv6 or vps.ipv6) == (vps.status, vps.ipv4, vps.ipv6):
                        return "unchanged"
                    new = replace(
                        vps,
                        status=status,
                        status_reason=None,
                        ipv4=ipv4,
                        ipv6=found.ipv6 or vps.ipv6,
                        updated_at=self._clock(),
                        version=vps.version + 1,
                    )
                    self._instances.update(vps, new)
                    return "applied"
                except Conflict:
                    continue
            raise Conflict(f"VPS {indexed.id} kept changing; the event is applied at its next delivery.")
