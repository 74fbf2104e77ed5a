"""The notification port: tell an organization that something it cares about happened.

Any capability raises a Notice (a container failed, the balance is low, an invoice was issued, a ticket got
a reply); the notifications capability turns it into an in-app notification and signed webhook deliveries.
`notify` never raises and never blocks on delivery: a failure to notify must not fail the work reported."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Notice:
    organization_id: str
    kind: str  # dotted, e.g. container.failed, billing.low_balance, billing.suspended, invoice.issued
    title: str  # one line a person reads
    body: str = ""
    resource_type: str | None = None  # container, vps, invoice, ticket, ...
    resource_id: str | None = None
    user_id: str | None = None  # only this member sees it in the app (None: every member)
    data: Mapping[str, Any] = field(default_factory=dict)  # machine-readable details for webhooks


class Notifier(Protocol):
    def notify(self, notice: Notice) -> None: ...


class NoNotifier:
    """Tells nobody (until the notifications capability is wired)."""

    def notify(self, notice: Notice) -> None:
        return None
