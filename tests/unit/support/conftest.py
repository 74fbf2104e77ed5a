"""Support's services over in-memory fakes, with a clock the test moves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.support.delivery import MailDelivery
from chalicelib.domain.support.desk import OperatorDesk
from chalicelib.domain.support.entities import RetryPolicy, Ticket, TicketRequest
from chalicelib.domain.support.mail import SupportMail
from chalicelib.domain.support.service import SupportService
from tests.fakes.support import (
    CountingKick,
    FakeDirectory,
    FakeLinks,
    FakeMailer,
    FakeOutbox,
    FakeTickets,
    RecordingNotifier,
)

ORG = "org-1"
OTHER_ORG = "org-2"
SUPPORT_ADDRESS = "help@example.com"
POLICY = RetryPolicy(base_seconds=30, max_seconds=3600, lease_seconds=300)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def member(user_id: str, org_id: str = ORG) -> Principal:
    return Principal(user_id=user_id, role="user", token_id="t", token_expires=0, organization_id=org_id)


def operator(user_id: str) -> Principal:
    return Principal(user_id=user_id, role="admin", token_id="t", token_expires=0)


@dataclass
class World:
    clock: Clock
    tickets: FakeTickets
    outbox: FakeOutbox
    directory: FakeDirectory
    links: FakeLinks
    mailer: FakeMailer
    notifier: RecordingNotifier
    kick: CountingKick
    support: SupportService
    desk: OperatorDesk
    delivery: MailDelivery
    ann: Principal  # the customer who opens tickets
    bob: Principal  # another member of Ann's organization
    eve: Principal  # a member of another organization
    ops: Principal  # a platform administrator
    sam: Principal  # another administrator

    def open(self, subject: str = "It does not start", **fields: object) -> Ticket:
        values: dict[str, object] = {
            "message": "Since this morning.",
            "priority": "high",
            "category": "technical",
        }
        values.update(fields)
        return self.support.open(self.ann, TicketRequest(subject=subject, **values))  # type: ignore[arg-type]

    def deliver(self) -> list[str]:
        """Run the mail function once; the addresses mailed in this run."""
        before = len(self.mailer.sent)
        self.delivery.deliver_due()
        return [sent.to for sent in self.mailer.sent[before:]]


@pytest.fixture
def world() -> World:
    clock = Clock()
    outbox = FakeOutbox()
    tickets = FakeTickets(outbox)
    directory = FakeDirectory(organizations={ORG: "Ann's organization", OTHER_ORG: "Eve's organization"})
    for user_id, name, admin in [
        ("ann", "Ann", False),
        ("bob", "Bob", False),
        ("eve", "Eve", False),
        ("ops", "Olga Ops", True),
        ("sam", "Sam Support", True),
    ]:
        directory.add(user_id, name, admin=admin)
    links, mailer, notifier, kick = FakeLinks(), FakeMailer(), RecordingNotifier(), CountingKick()
    mail = SupportMail("https://app.example.com")
    shared = (tickets, directory, mail, kick, lambda: notifier)
    return World(
        clock=clock,
        tickets=tickets,
        outbox=outbox,
        directory=directory,
        links=links,
        mailer=mailer,
        notifier=notifier,
        kick=kick,
        support=SupportService(*shared, links=links, clock=clock),
        desk=OperatorDesk(*shared, clock=clock),
        delivery=MailDelivery(outbox, lambda: mailer, directory, POLICY, SUPPORT_ADDRESS, clock=clock),
        ann=member("ann"),
        bob=member("bob"),
        eve=member("eve", OTHER_ORG),
        ops=operator("ops"),
        sam=operator("sam"),
    )
