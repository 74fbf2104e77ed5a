"""Providers (PROVIDERS / PROVIDER#<id>), plans (PLANS / PLAN#<id>), SSH keys (USER#<user> / SSHKEY#<id>),
applied provider events (ephemeral VPSEVENT#...) and reconciliation reports (VPSRECONCILIATIONS)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any, cast

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, UpdateError

from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.vps.entities import (
    Finding,
    Markup,
    MarkupKind,
    Plan,
    PriceChange,
    Provider,
    ProviderKind,
    ProviderSecrets,
    SshKey,
    VpsReconciliation,
)
from chalicelib.domain.vps.ports import ProviderRegion
from chalicelib.store import keys
from chalicelib.store.cursor import decode_cursor, encode_cursor
from chalicelib.store.table import EphemeralItem, Item, is_condition_failure, store_call
from chalicelib.store.vps import keys as vkeys
from chalicelib.store.vps.models import PlanItem, ProviderItem, SshKeyItem, VpsReconciliationItem


def _provider(item: ProviderItem) -> Provider:
    return Provider(
        id=item.id,
        name=item.name,
        type=cast(ProviderKind, item.kind),
        active=bool(item.active),
        configuration={str(k): str(v) for k, v in (item.configuration or {}).items()},
        key_last_four=item.key_last_four,
        created_at=item.created_at,
        updated_at=item.updated_at,
        regions=tuple(
            ProviderRegion(str(r["id"]), str(r["label"]), str(r["country"]), str(r["status"]))
            for r in item.regions or []
        ),
        synced_at=item.synced_at,
        price_changes=tuple(_price_change(c) for c in item.price_changes or []),
        events_after=int(item.events_after) if item.events_after is not None else None,
        version=int(item.version),
    )


def _price_change(raw: dict[str, Any]) -> PriceChange:
    return PriceChange(
        str(raw["plan_id"]),
        str(raw["name"]),
        int(raw["old_base_monthly_cents"]),
        int(raw["base_monthly_cents"]),
        int(raw["old_monthly_cents"]),
        int(raw["monthly_cents"]),
    )


def _ref(provider_id: str) -> ProviderItem:
    return ProviderItem(vkeys.PROVIDERS_PK, vkeys.provider_sk(provider_id))


class ProviderRepository:
    """Provider accounts; their ciphertexts are read only by `secrets`."""

    @store_call
    def add(self, provider: Provider, secrets: ProviderSecrets) -> None:
        ProviderItem(
            vkeys.PROVIDERS_PK,
            vkeys.provider_sk(provider.id),
            id=provider.id,
            name=provider.name,
            kind=provider.type,
            active=provider.active,
            configuration=provider.configuration,
            key_last_four=provider.key_last_four,
            api_key_encrypted=secrets.api_key_encrypted,
            webhook_secret_encrypted=secrets.webhook_secret_encrypted,
            regions=[asdict(r) for r in provider.regions],
            synced_at=provider.synced_at,
            price_changes=[asdict(c) for c in provider.price_changes],
            events_after=provider.events_after,
            version=provider.version,
            created_at=provider.created_at,
            updated_at=provider.updated_at,
        ).save(condition=Item.pk.does_not_exist())

    def _item(self, provider_id: str) -> ProviderItem:
        try:
            return ProviderItem.get(vkeys.PROVIDERS_PK, vkeys.provider_sk(provider_id), consistent_read=True)
        except DoesNotExist as exc:
            raise NotFound(f"Provider {provider_id} was not found.") from exc

    @store_call
    def get(self, provider_id: str) -> Provider:
        return _provider(self._item(provider_id))

    @store_call
    def all(self) -> list[Provider]:
        return [
            _provider(item)
            for item in ProviderItem.query(
                vkeys.PROVIDERS_PK, ProviderItem.sk.startswith(vkeys.PROVIDER_PREFIX)
            )
            if isinstance(item, ProviderItem)
        ]

    @store_call
    def update(self, current: Provider, new: Provider, secrets: ProviderSecrets | None = None) -> None:
        actions: list[Any] = [
            ProviderItem.name.set(new.name),
            ProviderItem.active.set(new.active),
            ProviderItem.configuration.set(new.configuration),
            ProviderItem.key_last_four.set(new.key_last_four),
            ProviderItem.regions.set([asdict(r) for r in new.regions]),
            ProviderItem.version.set(new.version),
            ProviderItem.updated_at.set(new.updated_at),
        ]
        if new.synced_at is not None:
            actions.append(ProviderItem.synced_at.set(new.synced_at))
            actions.append(ProviderItem.price_changes.set([asdict(c) for c in new.price_changes]))
        if secrets is not None:
            actions += [
                ProviderItem.api_key_encrypted.set(secrets.api_key_encrypted),
                ProviderItem.webhook_secret_encrypted.set(secrets.webhook_secret_encrypted),
            ]
        try:
            _ref(current.id).update(actions=actions, condition=ProviderItem.version == current.version)
        except UpdateError as exc:
            if is_condition_failure(exc):
                self._item(current.id)  # NotFound when it is gone
                raise Conflict("The provider changed meanwhile; reload it and try again.") from exc
            raise

    @store_call
    def secrets(self, provider_id: str) -> ProviderSecrets:
        item = self._item(provider_id)
        return ProviderSecrets(item.api_key_encrypted, item.webhook_secret_encrypted)

    @store_call
    def remove(self, provider_id: str) -> None:
        try:
            _ref(provider_id).delete(condition=Item.pk.exists())
        except DeleteError as exc:
            if is_condition_failure(exc):
                raise NotFound(f"Provider {provider_id} was not found.") from exc
            raise

    @store_call
    def advance_events(self, provider_id: str, seen: int | None, after: int) -> bool:
        condition = (
            ProviderItem.events_after == seen
            if seen is not None
            else ProviderItem.events_after.does_not_exist()
        )
        try:
            _ref(provider_id).update(
                actions=[ProviderItem.events_after.set(after)], condition=condition & Item.pk.exists()
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True


def _plan(item: PlanItem) -> Plan:
    return Plan(
        id=item.id,
        provider_id=item.provider_id,
        provider_plan_id=item.provider_plan_id,
        name=item.name,
        vcpus=int(item.vcpus),
        memory_mb=int(item.memory_mb),
        disk_mb=int(item.disk_mb),
        transfer_mb=int(item.transfer_mb),
        base_hourly_cents=int(item.base_hourly_cents),
        base_monthly_cents=int(item.base_monthly_cents),
        markup=Markup(cast(MarkupKind, item.markup_kind), int(item.markup_value)),
        active=bool(item.active),
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


class PlanRepository:
    """Every provider's plans in one small platform partition (a few dozen items)."""

    @store_call
    def all(self) -> list[Plan]:
        return [
            _plan(item)
            for item in PlanItem.query(vkeys.PLANS_PK, PlanItem.sk.startswith(vkeys.PLAN_PREFIX))
            if isinstance(item, PlanItem)
        ]

    @store_call
    def get(self, plan_id: str) -> Plan:
        try:
            return _plan(PlanItem.get(vkeys.PLANS_PK, vkeys.plan_sk(plan_id), consistent_read=True))
        except DoesNotExist as exc:
            raise NotFound(f"Plan {plan_id} was not found.") from exc

    @store_call
    def put(self, plan: Plan) -> None:
        PlanItem(
            vkeys.PLANS_PK,
            vkeys.plan_sk(plan.id),
            id=plan.id,
            provider_id=plan.provider_id,
            provider_plan_id=plan.provider_plan_id,
            name=plan.name,
            vcpus=plan.vcpus,
            memory_mb=plan.memory_mb,
            disk_mb=plan.disk_mb,
            transfer_mb=plan.transfer_mb,
            base_hourly_cents=plan.base_hourly_cents,
            base_monthly_cents=plan.base_monthly_cents,
            markup_kind=plan.markup.kind,
            markup_value=plan.markup.value,
            active=plan.active,
            created_at=plan.created_at,
            updated_at=plan.updated_at,
        ).save()

    @store_call
    def remove_of_provider(self, provider_id: str) -> None:
        with PlanItem.batch_write() as batch:
            for plan in self.all():
                if plan.provider_id == provider_id:
                    batch.delete(PlanItem(vkeys.PLANS_PK, vkeys.plan_sk(plan.id)))


def _key(item: SshKeyItem) -> SshKey:
    return SshKey(item.id, item.user_id, item.name, item.public_key, item.fingerprint, item.created_at)


class SshKeyRepository:
    @store_call
    def of_user(self, user_id: str) -> list[SshKey]:
        return [
            _key(item)
            for item in SshKeyItem.query(
                keys.user_pk(user_id), SshKeyItem.sk.startswith(vkeys.SSH_KEY_PREFIX), consistent_read=True
            )
            if isinstance(item, SshKeyItem)
        ]

    @store_call
    def add(self, key: SshKey, limit: int) -> None:
        mine = self.of_user(key.user_id)
        if any(k.fingerprint == key.fingerprint for k in mine):
            raise Conflict("You added this key already.", details={"field": "public_key"})
        if len(mine) >= limit:
            raise Conflict(f"You have {limit} SSH keys, the most allowed; delete one first.")
        SshKeyItem(
            keys.user_pk(key.user_id),
            vkeys.ssh_key_sk(key.id),
            id=key.id,
            user_id=key.user_id,
            name=key.name,
            public_key=key.public_key,
            fingerprint=key.fingerprint,
            created_at=key.created_at,
            updated_at=key.created_at,
        ).save(condition=Item.pk.does_not_exist())

    @store_call
    def remove(self, user_id: str, key_id: str) -> None:
        try:
            SshKeyItem(keys.user_pk(user_id), vkeys.ssh_key_sk(key_id)).delete(condition=Item.pk.exists())
        except DeleteError as exc:
            if is_condition_failure(exc):
                raise NotFound(f"SSH key {key_id} was not found.") from exc
            raise


class EventLogRepository:
    """Claims of applied provider events in the ephemeral table (TTL)."""

    @store_call
    def claim(self, provider_id: str, event_id: int, expires: datetime) -> bool:
        from chalicelib.domain.shared.clock import utcnow

        item = EphemeralItem(vkeys.vps_event_pk(provider_id, event_id), keys.EPHEMERAL_SK, expires=expires)
        try:
            item.save(condition=EphemeralItem.pk.does_not_exist() | (EphemeralItem.expires < utcnow()))
        except PutError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    @store_call
    def release(self, provider_id: str, event_id: int) -> None:
        EphemeralItem(vkeys.vps_event_pk(provider_id, event_id), keys.EPHEMERAL_SK).delete()


def _report(item: VpsReconciliationItem) -> VpsReconciliation:
    return VpsReconciliation(
        id=item.id,
        provider_id=item.provider_id,
        ran_at=item.created_at,
        provider_instances=int(item.provider_instances),
        records=int(item.records),
        findings=tuple(Finding(**f) for f in item.findings or []),
    )


class ReportRepository:
    @store_call
    def add(self, report: VpsReconciliation) -> None:
        VpsReconciliationItem(
            vkeys.VPS_RECONCILIATIONS_PK,
            vkeys.vps_reconciliation_sk(report.provider_id, report.ran_at, report.id),
            id=report.id,
            provider_id=report.provider_id,
            provider_instances=report.provider_instances,
            records=report.records,
            findings=[asdict(f) for f in report.findings],
            created_at=report.ran_at,
            updated_at=report.ran_at,
        ).save()

    @store_call
    def page(self, provider_id: str | None, limit: int, cursor: str | None) -> Page[VpsReconciliation]:
        prefix = vkeys.vps_reconciliation_prefix(provider_id) if provider_id else "RECON#"
        result = VpsReconciliationItem.query(
            vkeys.VPS_RECONCILIATIONS_PK,
            VpsReconciliationItem.sk.startswith(prefix),
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, vkeys.VPS_RECONCILIATIONS_PK),
        )
        items = [_report(item) for item in result if isinstance(item, VpsReconciliationItem)]
        return Page(items=items, next_cursor=encode_cursor(result.last_evaluated_key))
