"""Who is told when money comes in: suspension resumes what it stopped, invoicing settles what was paid."""

from __future__ import annotations

from typing import Protocol


class FundsListener(Protocol):
    """Told after money came in (suspension resumes what it stopped)."""

    def funded(self, org_id: str, balance_cents: int) -> None: ...


class Nobody:
    def funded(self, org_id: str, balance_cents: int) -> None:
        return None


class FundsListeners:
    """Tells each listener in turn (suspension resumes, invoicing settles what the wallet paid)."""

    def __init__(self, *listeners: FundsListener) -> None:
        self._listeners = listeners

    def funded(self, org_id: str, balance_cents: int) -> None:
        for listener in self._listeners:
            listener.funded(org_id, balance_cents)
