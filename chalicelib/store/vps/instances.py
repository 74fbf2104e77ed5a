"""VPS records (ORG#<org> / VPS#<id>, indexed per provider in gsi1) and their billing meters, written in the
record's own transactions: metering starts with `running`, ends when the provider confirms the deletion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, cast

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.operand import Path

from chalicelib.domain.billing.standing import SUSPENDED
from chalicelib.domain.quotas.entities import Usage
from chalicelib.domain.shared.errors import Conflict, NotFound, PaymentRequired
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.vps.entities import Vps, VpsStatus
from chalicelib.store import keys
from chalicelib.store.billing import keys as bkeys
from chalicelib.store.billing.models import BillingStateItem, MeterItem, UsageChange
from chalicelib.store.cursor import decode_cursor, encode_cursor
from chalicelib.store.table import Item, Transaction, TransactionCancelled, store_call, transaction
from chalicelib.store.teams.projects import count_in, project_missing
from chalicelib.store.vps import keys as vkeys
from chalicelib.store.vps.models import VpsItem

if TYPE_CHECKING:
    from chalicelib.store.quotas.hook import ContainerQuota

CHANGED = "The VPS changed meanwhile; reload it and try again."
METER_KIND = "vps"
QUOTA_ATTEMPTS = 3  # a refused counters update is sent again when the counters item was missing or freed up
ONE = Usage(vps=1)


def _vps(item: VpsItem) -> Vps:
    return Vps(
        id=item.id,
        organization_id=item.organization_id,
        provider_id=item.provider_id,
        plan_id=item.plan_id,
        plan_name=item.plan_name,
        type_id=item.type_id,
        label=item.label,
        region=item.region,
        status=cast(VpsStatus, item.status),
        base_hourly_micros=int(item.base_hourly_micros),
        hourly_micros=int(item.hourly_micros),
        hold_cents=int(item.hold_cents),
        created_by=item.created_by,
        created_at=item.created_at,
        updated_at=item.updated_at,
        status_reason=item.status_reason,
        provider_instance_id=item.provider_instance_id,
        ipv4=tuple(str(a) for a in item.ipv4 or ()),
        ipv6=item.ipv6,
        ssh_key_ids=tuple(str(k) for k in item.ssh_key_ids or ()),
        root_password_encrypted=item.root_password_encrypted,
        running_since=item.running_since,
        ended_at=item.ended_at,
        project_id=item.project_id,
        version=int(item.version),
    )


def _item(v: Vps, *, ended: bool = False) -> VpsItem:
    indexed = v.provider_instance_id is not None and (not ended or v.running_since is not None)
    if ended and v.ended_at is not None:
        gsi1sk = vkeys.ended_gsi_sk(v.ended_at, v.id)
    else:
        gsi1sk = vkeys.live_gsi_sk(v.provider_instance_id or "")
    return VpsItem(
        keys.org_pk(v.organization_id),
        vkeys.ended_vps_sk(v.id) if ended else vkeys.vps_sk(v.id),
        gsi1pk=vkeys.provider_gsi_pk(v.provider_id) if indexed else None,
        gsi1sk=gsi1sk if indexed else None,
        id=v.id,
        organization_id=v.organization_id,
        provider_id=v.provider_id,
        plan_id=v.plan_id,
        plan_name=v.plan_name,
        type_id=v.type_id,
        label=v.label,
        region=v.region,
        status=v.status,
        status_reason=v.status_reason,
        provider_instance_id=v.provider_instance_id,
        ipv4=list(v.ipv4) or None,
        ipv6=v.ipv6,
        base_hourly_micros=v.base_hourly_micros,
        hourly_micros=v.hourly_micros,
        hold_cents=v.hold_cents,
        ssh_key_ids=list(v.ssh_key_ids) or None,
        root_password_encrypted=v.root_password_encrypted,
        running_since=v.running_since,
        ended_at=v.ended_at,
        project_id=v.project_id,
        created_by=v.created_by,
        version=v.version,
        created_at=v.created_at,
        updated_at=v.updated_at,
    )


def _meter_ref(v: Vps) -> MeterItem:
    return MeterItem(keys.org_pk(v.organization_id), bkeys.meter_sk(v.id))


class InstanceRepository:
    """VPS records. Each write is conditional on the version read; metering moves in the same transaction."""

    def __init__(self, quota: ContainerQuota | None = None) -> None:
        self._quota = quota  # the organization's package counts its VPS instances (None: not counted)

    @store_call
    def create(self, vps: Vps) -> None:
        for attempt in range(QUOTA_ATTEMPTS):
            try:
                with transaction() as tx:
                    tx.check(
                        "billing",
                        BillingStateItem,
                        keys.org_pk(vps.organization_id),
                        bkeys.BILLING_SK,
                        condition=BillingStateItem.suspended_at.does_not_exist(),
                    )
                    tx.save("record", _item(vps), condition=Item.pk.does_not_exist())
                    if vps.project_id:
                        count_in(tx, "project", vps.organization_id, vps.project_id, 1)
                    if self._quota:
                        self._quota.claim(tx, vps.organization_id, ONE)
                return
            except TransactionCancelled as exc:
                if "billing" in exc.failed:
                    raise PaymentRequired(SUSPENDED) from exc
                if "record" in exc.failed:
                    raise Conflict("A VPS with this id exists already.") from exc
                if "project" in exc.failed and vps.project_id:
                    raise project_missing(vps.project_id, "project_id") from exc
                self._refused(exc, vps.organization_id, ONE, attempt)

    def _refused(self, exc: TransactionCancelled, org_id: str, delta: Usage, attempt: int) -> None:
        """Raises why the counters refused `delta` (over the limit, or still refused on the last attempt);
        returns when another attempt may pass (the counters item is made now, or room was freed)."""
        if self._quota is None or "quota" not in exc.failed:
            raise Conflict(CHANGED) from exc
        refused = self._quota.refusal(org_id, delta, last=attempt + 1 == QUOTA_ATTEMPTS)
        if refused is not None:
            raise refused from exc

    @store_call
    def get(self, org_id: str, vps_id: str, *, consistent: bool = False) -> Vps:
        try:
            item = VpsItem.get(keys.org_pk(org_id), vkeys.vps_sk(vps_id), consistent_read=consistent)
        except DoesNotExist as exc:
            raise NotFound(f"VPS {vps_id} was not found.") from exc
        if not isinstance(item, VpsItem):
            raise NotFound(f"VPS {vps_id} was not found.")
        return _vps(item)

    @store_call
    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Vps]:
        partition = keys.org_pk(org_id)
        result = VpsItem.query(
            partition,
            VpsItem.sk.startswith(vkeys.VPS_PREFIX),
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, partition),
        )
        items = [_vps(item) for item in result if isinstance(item, VpsItem)]
        return Page(items=items, next_cursor=encode_cursor(result.last_evaluated_key))

    def _write(self, current: Vps, build: Callable[[Transaction], None], *, ends: bool = False) -> None:
        """Runs `build` in a transaction; `ends`: the VPS goes away, and its organization's count with it."""
        for attempt in range(QUOTA_ATTEMPTS):
            try:
                with transaction() as tx:
                    build(tx)
                    if ends and current.project_id:
                        count_in(tx, "project", current.organization_id, current.project_id, -1)
                    if ends and self._quota:
                        self._quota.claim(tx, current.organization_id, -ONE)
                return
            except TransactionCancelled as exc:
                if "record" in exc.failed:
                    self.get(current.organization_id, current.id, consistent=True)  # NotFound when gone
                    raise Conflict(CHANGED) from exc
                self._refused(exc, current.organization_id, -ONE, attempt)

    @store_call
    def update(self, current: Vps, new: Vps) -> None:
        def build(tx: Transaction) -> None:
            tx.save("record", _item(new), condition=VpsItem.version == current.version)

        self._write(current, build)

    @store_call
    def start_metering(self, current: Vps, new: Vps) -> None:
        if new.running_since is None:
            raise ValueError("metering starts at running_since")
        started = new.running_since

        def build(tx: Transaction) -> None:
            tx.save("record", _item(new), condition=VpsItem.version == current.version)
            tx.save(
                "meter",
                MeterItem(
                    keys.org_pk(new.organization_id),
                    bkeys.meter_sk(new.id),
                    gsi1pk=bkeys.billable_gsi_pk(bkeys.shard_of(new.organization_id)),
                    gsi1sk=bkeys.billable_gsi_sk(new.organization_id, new.id),
                    organization_id=new.organization_id,
                    resource_id=new.id,
                    kind=METER_KIND,
                    name=new.label,
                    changes=[UsageChange(at=started, hourly_micros=new.hourly_micros)],
                    created_at=started,
                    updated_at=started,
                ),
                condition=Item.pk.does_not_exist(),
            )

        self._write(current, build)

    @store_call
    def finish(self, current: Vps, ended: datetime, reason: str | None) -> None:
        done = replace(
            current,
            status="deleted",
            status_reason=reason,
            ended_at=ended,
            updated_at=ended,
            version=current.version + 1,
        )

        def build(tx: Transaction) -> None:
            tx.delete(
                "record",
                VpsItem(keys.org_pk(current.organization_id), vkeys.vps_sk(current.id)),
                condition=VpsItem.version == current.version,
            )
            if current.running_since is None:
                return  # never metered: nothing to bill, nothing to report
            tx.save("history", _item(done, ended=True))
            tx.update(
                "meter",
                _meter_ref(current),
                actions=[
                    Path("type").set("meter"),
                    MeterItem.organization_id.set(current.organization_id),
                    MeterItem.resource_id.set(current.id),
                    MeterItem.kind.set(METER_KIND),
                    MeterItem.name.set(current.label),
                    MeterItem.gsi1pk.set(bkeys.billable_gsi_pk(bkeys.shard_of(current.organization_id))),
                    MeterItem.gsi1sk.set(bkeys.billable_gsi_sk(current.organization_id, current.id)),
                    MeterItem.changes.set(
                        MeterItem.changes
                        | [UsageChange(at=current.running_since, hourly_micros=current.hourly_micros)]
                    ),
                    MeterItem.ended_at.set(MeterItem.ended_at | ended),
                    MeterItem.created_at.set(MeterItem.created_at | current.running_since),
                    MeterItem.updated_at.set(ended),
                ],
            )

        self._write(current, build, ends=True)

    @store_call
    def remove(self, current: Vps) -> None:
        def build(tx: Transaction) -> None:
            tx.delete(
                "record",
                VpsItem(keys.org_pk(current.organization_id), vkeys.vps_sk(current.id)),
                condition=VpsItem.version == current.version,
            )

        self._write(current, build, ends=True)

    @store_call
    def by_instance(self, provider_id: str, instance_id: str) -> Vps | None:
        for item in Item.by_host.query(
            vkeys.provider_gsi_pk(provider_id), Item.gsi1sk == vkeys.live_gsi_sk(instance_id)
        ):
            if isinstance(item, VpsItem):
                return _vps(item)
        return None

    @store_call
    def of_provider(self, provider_id: str) -> list[Vps]:
        return [
            _vps(item)
            for item in Item.by_host.query(
                vkeys.provider_gsi_pk(provider_id), Item.gsi1sk.startswith(vkeys.LIVE_GSI_PREFIX)
            )
            if isinstance(item, VpsItem)
        ]

    @store_call
    def ended_since(self, provider_id: str, since: datetime) -> list[Vps]:
        low = f"{vkeys.ENDED_GSI_PREFIX}{vkeys.stamp(since)}"
        return [
            _vps(item)
            for item in Item.by_host.query(
                vkeys.provider_gsi_pk(provider_id), Item.gsi1sk.between(low, f"{vkeys.ENDED_GSI_PREFIX}~")
            )
            if isinstance(item, VpsItem)
        ]
