"""LedgerRepository: the wallet balance and its append-only ledger, moved together in one transaction.

The wallet item is the one sign-up writes (accounts' WalletItem); this repository adds its `version`
(read raw, moved with a Path) so balance_after of every entry has exactly one predecessor.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.operand import Path
from pynamodb.transactions import TransactGet

from chalicelib.domain.billing.entities import EntryKind, LedgerEntry, Posting, Wallet
from chalicelib.domain.billing.ports import AlreadyPosted, Extras, MeterChanged, WalletChanged
from chalicelib.domain.shared.errors import NotFound
from chalicelib.domain.shared.ids import new_ulid, new_ulids
from chalicelib.domain.shared.paging import Page
from chalicelib.store import keys
from chalicelib.store.accounts.models import WalletItem
from chalicelib.store.admin.stats import count_postings
from chalicelib.store.billing import keys as bkeys
from chalicelib.store.billing.meters import advance_meter
from chalicelib.store.billing.models import InvoicePeriodItem, LedgerItem, LedgerKeyItem, PaymentItem
from chalicelib.store.cursor import decode_cursor, encode_cursor
from chalicelib.store.table import Item, Transaction, TransactionCancelled, connection, transaction

_version = Path("version")
_CROCKFORD_MIN, _CROCKFORD_MAX = "0", "Z"


def entry_of(item: LedgerItem) -> LedgerEntry:
    return LedgerEntry(
        id=item.id,
        organization_id=item.organization_id,
        kind=cast(EntryKind, item.kind),
        amount_cents=int(item.amount_cents),
        balance_after_cents=int(item.balance_after_cents),
        currency=item.currency,
        description=item.description,
        idempotency_key=item.idempotency_key,
        created_by=item.created_by,
        created_at=item.created_at,
        reference=item.reference,
        resource_id=item.resource_id,
        resource_name=item.resource_name,
        resource_kind=item.resource_kind,
        period_start=item.period_start,
        period_end=item.period_end,
        quantity_minutes=int(item.quantity_minutes) if item.quantity_minutes is not None else None,
        reason=item.reason,
    )


def _ulid_bound(t: datetime, high: bool) -> str:
    """The smallest (largest) ULID of the millisecond `t`: ledger ids sort by time."""
    bound = new_ulid(int(t.timestamp() * 1000))[:10]
    return bound + (_CROCKFORD_MAX if high else _CROCKFORD_MIN) * 16


def _mark_period(tx: Transaction, org_id: str, period: str, now: datetime) -> None:
    """The organization has charges in `period`: it is due an invoice unless one was issued."""
    tx.update(
        "period",
        InvoicePeriodItem(keys.org_pk(org_id), bkeys.invoice_period_sk(period)),
        actions=[
            Path("type").set("invoice_period"),
            InvoicePeriodItem.organization_id.set(InvoicePeriodItem.organization_id | org_id),
            InvoicePeriodItem.period.set(InvoicePeriodItem.period | period),
            InvoicePeriodItem.created_at.set(InvoicePeriodItem.created_at | now),
            InvoicePeriodItem.updated_at.set(InvoicePeriodItem.updated_at | now),
            InvoicePeriodItem.gsi1pk.set(InvoicePeriodItem.gsi1pk | bkeys.invoice_due_gsi_pk(period)),
            InvoicePeriodItem.gsi1sk.set(InvoicePeriodItem.gsi1sk | org_id),
        ],
        condition=InvoicePeriodItem.invoice_id.does_not_exist(),
    )


class LedgerRepository:
    """Wallet (ORG#o / WALLET), ledger entries (LEDGER#<ulid>) and their idempotency guards (LEDGERKEY#)."""

    def wallet(self, org_id: str) -> Wallet:
        raw = connection().client.get_item(  # type: ignore[attr-defined]  # raw: `version` is billing's, not in accounts' WalletItem
            TableName=Item.Meta.table_name,
            Key={"pk": {"S": keys.org_pk(org_id)}, "sk": {"S": keys.WALLET_SK}},
            ConsistentRead=True,
        )
        item = raw.get("Item")
        if not item:
            raise NotFound("The organization has no wallet.")
        return Wallet(
            organization_id=org_id,
            balance_cents=int(item["balance_cents"]["N"]),
            currency=item.get("currency", {}).get("S", "USD"),
            version=int(item.get("version", {}).get("N", "0")),
        )

    def post(
        self, wallet: Wallet, postings: Sequence[Posting], now: datetime, extras: Extras
    ) -> list[LedgerEntry]:
        org_id = wallet.organization_id
        balance = wallet.balance_cents
        entries: list[LedgerEntry] = []
        try:
            with transaction() as tx:
                for posting, entry_id in zip(postings, new_ulids(len(postings)), strict=True):
                    balance += posting.amount_cents
                    item = self._entry_item(org_id, entry_id, posting, balance, wallet.currency, now)
                    tx.save(f"entry:{posting.key}", item, condition=Item.pk.does_not_exist())
                    guard = LedgerKeyItem(
                        keys.org_pk(org_id),
                        bkeys.ledger_key_sk(posting.key),
                        ledger_id=entry_id,
                        created_at=now,
                        updated_at=now,
                    )
                    tx.save(f"key:{posting.key}", guard, condition=Item.pk.does_not_exist())
                    entries.append(entry_of(item))
                if postings:
                    condition: Condition = WalletItem.pk.exists() & (
                        (_version == wallet.version) if wallet.version else _version.does_not_exist()
                    )
                    tx.update(
                        "wallet",
                        WalletItem(keys.org_pk(org_id), keys.WALLET_SK),
                        actions=[
                            WalletItem.balance_cents.set(balance),
                            _version.set(wallet.version + 1),
                            WalletItem.updated_at.set(now),
                        ],
                        condition=condition,
                    )
                if extras.captured_order is not None:
                    order_id, capture_id = extras.captured_order
                    tx.update(
                        "payment",
                        PaymentItem(keys.org_pk(org_id), bkeys.payment_sk(order_id)),
                        actions=[
                            PaymentItem.status.set("captured"),
                            PaymentItem.capture_id.set(capture_id),
                            PaymentItem.updated_at.set(now),
                        ],
                        condition=PaymentItem.pk.exists(),
                    )
                for charge in extras.charges:
                    advance_meter(tx, charge, now)
                if extras.invoice_period is not None:
                    _mark_period(tx, org_id, extras.invoice_period, now)
                count_postings(tx, org_id, postings, now)  # the admin area's money figures
        except TransactionCancelled as exc:
            posted = [p.key for p in postings if f"key:{p.key}" in exc.failed]
            if posted:
                raise AlreadyPosted(posted) from exc
            if any(name.startswith("meter:") for name in exc.failed):
                raise MeterChanged() from exc
            if "wallet" in exc.failed:
                raise WalletChanged() from exc
            if "payment" in exc.failed:
                raise NotFound("The payment record is missing.") from exc
            raise
        except TransactWriteError as exc:  # a conflict, a throttle or no answer: it may have been applied
            raise WalletChanged(ambiguous=True) from exc
        return entries

    @staticmethod
    def _entry_item(
        org_id: str, entry_id: str, posting: Posting, balance: int, currency: str, now: datetime
    ) -> LedgerItem:
        return LedgerItem(
            keys.org_pk(org_id),
            bkeys.ledger_sk(entry_id),
            gsi1pk=bkeys.topups_gsi_pk(posting.day) if posting.day else None,
            gsi1sk=posting.reference if posting.day else None,
            id=entry_id,
            organization_id=org_id,
            kind=posting.kind,
            amount_cents=posting.amount_cents,
            balance_after_cents=balance,
            currency=currency,
            description=posting.description,
            idempotency_key=posting.key,
            created_by=posting.created_by,
            reference=posting.reference,
            resource_id=posting.resource_id,
            resource_name=posting.resource_name,
            resource_kind=posting.resource_kind,
            period_start=posting.period_start,
            period_end=posting.period_end,
            quantity_minutes=posting.quantity_minutes,
            reason=posting.reason,
            created_at=now,
            updated_at=now,
        )

    def entries_for_keys(self, org_id: str, keys_: Sequence[str]) -> list[LedgerEntry]:
        pk = keys.org_pk(org_id)
        guards: list[Any] = []
        with TransactGet(connection=connection()) as tx:
            guards = [tx.get(LedgerKeyItem, pk, bkeys.ledger_key_sk(k)) for k in keys_[:100]]
        ids = [g.ledger_id for g in (_value(f) for f in guards) if isinstance(g, LedgerKeyItem)]
        if not ids:
            return []
        with TransactGet(connection=connection()) as tx:
            found = [tx.get(LedgerItem, pk, bkeys.ledger_sk(i)) for i in ids]
        return [entry_of(e) for e in (_value(f) for f in found) if isinstance(e, LedgerItem)]

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[LedgerEntry]:
        partition = keys.org_pk(org_id)
        result = LedgerItem.query(
            partition,
            LedgerItem.sk.startswith(bkeys.LEDGER_PREFIX),
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, partition),
        )
        items = [entry_of(item) for item in result]
        return Page(items=items, next_cursor=encode_cursor(result.last_evaluated_key))

    def between(self, org_id: str, start: datetime, end: datetime) -> list[LedgerEntry]:
        low = bkeys.ledger_sk(_ulid_bound(start, high=False))
        high = bkeys.ledger_sk(_ulid_bound(end, high=False))
        return [
            entry_of(item)
            for item in LedgerItem.query(keys.org_pk(org_id), LedgerItem.sk.between(low, high))
            if isinstance(item, LedgerItem) and start <= item.created_at < end
        ]

    def topups_on(self, day: str) -> list[LedgerEntry]:
        return [
            entry_of(item)
            for item in Item.by_host.query(bkeys.topups_gsi_pk(day))
            if isinstance(item, LedgerItem)
        ]


def _value(future: Any) -> Any:
    try:
        return future.get()
    except DoesNotExist:
        return None
