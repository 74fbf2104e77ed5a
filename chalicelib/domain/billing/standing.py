"""Billing's answer to "may this organization start something?": not while it is suspended."""

from __future__ import annotations

from chalicelib.domain.billing.ports import StateStore
from chalicelib.domain.shared.errors import PaymentRequired

SUSPENDED = (
    "This organization is suspended because its wallet ran out of money; add funds to resume it and to "
    "create or start resources."
)


class BillingStanding:
    """Implements the containers' Standing port from the organization's billing state (one GetItem)."""

    def __init__(self, states: StateStore) -> None:
        self._states = states

    def require_good_standing(self, org_id: str) -> None:
        if self._states.get(org_id).suspended_at is not None:
            raise PaymentRequired(SUSPENDED)
