"""In-memory fake of the Ledger port (wallet, append-only ledger); it passes tests/contract/billing too."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from chalicelib.domain.billing.entities import LedgerEntry, Posting, Wallet
from chalicelib.domain.billing.ports import AlreadyPosted, Extras, WalletChanged
from chalicelib.domain.shared.errors import NotFound, ValidationFailed
from chalicelib.domain.shared.ids import new_ulids
from chalicelib.domain.shared.paging import Page


class FakeLedger:
    def __init__(self) -> None:
        self.wallets: dict[str, Wallet] = {}
        self.entries: dict[str, list[LedgerEntry]] = {}
        self.keys: dict[tuple[str, str], str] = {}
        self.days: dict[str, str] = {}  # entry id -> capture day (top-ups)

    def open(self, org_id: str, balance_cents: int = 0) -> None:
        """What sign-up does: a wallet at `balance_cents`."""
        self.wallets[org_id] = Wallet(org_id, balance_cents, "USD", 0)
        self.entries[org_id] = []

    def wallet(self, org_id: str) -> Wallet:
        if org_id not in self.wallets:
            raise NotFound("The organization has no wallet.")
        return self.wallets[org_id]

    def post(
        self, wallet: Wallet, postings: Sequence[Posting], now: datetime, extras: Extras
    ) -> list[LedgerEntry]:
        org = wallet.organization_id
        taken = [p.key for p in postings if (org, p.key) in self.keys]
        if taken:
            raise AlreadyPosted(taken)
        if self.wallet(org).version != wallet.version:
            raise WalletChanged()
        balance, made = wallet.balance_cents, []
        for p, entry_id in zip(postings, new_ulids(len(postings)), strict=True):
            balance += p.amount_cents
            entry = LedgerEntry(
                id=entry_id,
                organization_id=org,
                kind=p.kind,
                amount_cents=p.amount_cents,
                balance_after_cents=balance,
                currency=wallet.currency,
                description=p.description,
                idempotency_key=p.key,
                created_by=p.created_by,
                created_at=now,
                reference=p.reference,
                resource_id=p.resource_id,
                resource_name=p.resource_name,
                period_start=p.period_start,
                period_end=p.period_end,
                quantity_minutes=p.quantity_minutes,
                reason=p.reason,
            )
            made.append(entry)
            self.keys[(org, p.key)] = entry.id
            if p.day:
                self.days[entry.id] = p.day
        self.entries[org] += made
        if postings:
            self.wallets[org] = replace(wallet, balance_cents=balance, version=wallet.version + 1)
        return made

    def entries_for_keys(self, org_id: str, keys: Sequence[str]) -> list[LedgerEntry]:
        ids = {self.keys[(org_id, k)] for k in keys if (org_id, k) in self.keys}
        return [e for e in self.entries.get(org_id, []) if e.id in ids]

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[LedgerEntry]:
        after = _decode(cursor, org_id)
        newest = sorted(self.entries.get(org_id, []), key=lambda e: e.id, reverse=True)
        mine = [e for e in newest if after is None or e.id < after]
        items = mine[:limit]
        more = len(mine) > limit
        token = (
            base64.urlsafe_b64encode(f"{org_id}|{items[-1].id}".encode()).decode().rstrip("=")
            if more
            else None
        )
        return Page(items=items, next_cursor=token)

    def between(self, org_id: str, start: datetime, end: datetime) -> list[LedgerEntry]:
        return sorted(
            (e for e in self.entries.get(org_id, []) if start <= e.created_at < end), key=lambda e: e.id
        )

    def topups_on(self, day: str) -> list[LedgerEntry]:
        return [e for entries in self.entries.values() for e in entries if self.days.get(e.id) == day]


def _decode(cursor: str | None, org_id: str) -> str | None:
    if not cursor:
        return None
    try:
        org, _, last = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition("|")
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"}) from exc
    if org != org_id or not last:
        raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"})
    return last
