"""The wallet as VPS reselling uses it: a create holds the price of some hours, given back once metering
takes over (or the create fails). Holds are ledger entries of kind `reservation`, one per VPS and key."""

from __future__ import annotations

from chalicelib.domain.billing.entities import Posting
from chalicelib.domain.billing.ports import Ledger, StateStore
from chalicelib.domain.billing.service import WalletService


def hold_key(vps_id: str) -> str:
    return f"vps-hold:{vps_id}"


def return_key(vps_id: str) -> str:
    return f"vps-hold-return:{vps_id}"


class WalletFunds:
    """Implements the VPS Funds port with the wallet service (every movement idempotent by its key)."""

    def __init__(self, wallet: WalletService, ledger: Ledger, states: StateStore) -> None:
        self._wallet = wallet
        self._ledger = ledger
        self._states = states

    def suspended(self, org_id: str) -> bool:
        return self._states.get(org_id).suspended_at is not None

    def hold(self, org_id: str, vps_id: str, cents: int, label: str, actor: str) -> None:
        if self._ledger.entries_for_keys(org_id, [hold_key(vps_id)]):
            return  # held before (a retried step): the balance check is not made again
        posting = Posting(
            key=hold_key(vps_id),
            kind="reservation",
            amount_cents=-cents,
            description=f"VPS {label}: held while it is created",
            created_by=actor,
            resource_id=vps_id,
            resource_name=label,
        )
        self._wallet.post(org_id, [posting], allow_negative=False)

    def held(self, org_id: str, vps_id: str) -> int:
        found = {
            e.idempotency_key: e
            for e in self._ledger.entries_for_keys(org_id, [hold_key(vps_id), return_key(vps_id)])
        }
        if return_key(vps_id) in found or hold_key(vps_id) not in found:
            return 0
        return -found[hold_key(vps_id)].amount_cents

    def give_back(self, org_id: str, vps_id: str, label: str, reason: str) -> int:
        cents = self.held(org_id, vps_id)
        if cents <= 0:
            return 0
        posting = Posting(
            key=return_key(vps_id),
            kind="reservation",
            amount_cents=cents,
            description=f"VPS {label}: hold given back ({reason})",
            created_by="system",
            resource_id=vps_id,
            resource_name=label,
            reason=reason,
        )
        entries = self._wallet.post(org_id, [posting])
        return cents if entries else 0
