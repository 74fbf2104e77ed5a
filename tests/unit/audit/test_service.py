"""The audit trail service over in-memory fakes: what an entry holds, who may read which trail, pages,
filters, CSV, and that recording never fails the action it describes."""

from __future__ import annotations

import csv
import io
import logging
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.audit.entities import AuditQuery
from chalicelib.domain.audit.service import AuditService
from chalicelib.domain.shared.audit import REQUEST_ORIGIN, AuditEvent
from chalicelib.domain.shared.errors import PermissionDenied, ValidationFailed
from chalicelib.domain.shared.principal import Principal
from tests.fakes.audit import FakeActors, FakeAuditLog

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ANN = Principal("ann", "user", "t1", 0, organization_id="org-a", organization_role="owner")
BOB = Principal("bob", "user", "t2", 0, organization_id="org-b", organization_role="owner")
MEMBER = Principal("max", "user", "t3", 0, organization_id="org-a", organization_role="developer")
ADMIN = Principal("root", "admin", "t4", 0)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=5)  # every entry its own millisecond: a fixed order
        return self.now


def service(log: FakeAuditLog | None = None) -> tuple[AuditService, FakeAuditLog]:
    log = log or FakeAuditLog()
    actors = FakeActors({"ann": "ann@example.com", "bob": "bob@example.com", "root": "root@example.com"})
    return AuditService(log, actors, clock=Clock()), log


def test_an_entry_names_the_actor_by_email_and_the_address_the_request_came_from() -> None:
    # Given a request from 203.0.113.9
    trail, log = service()
    token = REQUEST_ORIGIN.set("203.0.113.9")
    try:
        # When Ann changes something
        trail.record(AuditEvent("billing.adjustment", "ann", "org-a", "wallet", "w1", {"b": 1}, {"b": 2}))
    finally:
        REQUEST_ORIGIN.reset(token)
    # Then the entry says who, from where, what, and the state before and after
    [entry] = log.entries.values()
    assert (entry.actor_id, entry.actor_email, entry.ip) == ("ann", "ann@example.com", "203.0.113.9")
    assert (entry.action, entry.organization_id, entry.target_type, entry.target_id) == (
        "billing.adjustment",
        "org-a",
        "wallet",
        "w1",
    )
    assert (entry.before, entry.after) == ({"b": 1}, {"b": 2})


def test_secrets_never_enter_the_trail_however_they_are_named() -> None:
    trail, log = service()
    trail.record(
        AuditEvent(
            "credentials.changed",
            "root",
            after={"api_key": "k", "Password": "p", "nested": {"client_key": "x", "label": "ok"}},
        )
    )
    [entry] = log.entries.values()
    assert entry.after == {
        "api_key": "[redacted]",
        "Password": "[redacted]",
        "nested": {"client_key": "[redacted]", "label": "ok"},
    }


def test_recording_never_fails_the_action_and_logs_the_lost_entry(caplog: pytest.LogCaptureFixture) -> None:
    # Given a log that cannot be written
    class Broken(FakeAuditLog):
        def append(self, entry: object) -> None:  # type: ignore[override]
            raise RuntimeError("table unavailable")

    trail, _ = service(Broken())
    # When an event is recorded
    with caplog.at_level(logging.ERROR, "containerstacks.audit"):
        trail.record(AuditEvent("auth.login", "ann", "org-a"))
    # Then nothing is raised, and the log keeps what the table lost
    assert "audit entry lost" in caplog.text and "auth.login" in caplog.text


def test_an_organizations_trail_is_its_own_and_only_its_owners_read_it() -> None:
    trail, _ = service()
    trail.record(AuditEvent("auth.login", "ann", "org-a"))
    trail.record(AuditEvent("auth.login", "bob", "org-b"))
    trail.record(AuditEvent("host.deleted", "root", None))
    assert [e.actor_id for e in trail.organization_trail(ANN, AuditQuery(), 50, None).items] == ["ann"]
    assert [e.actor_id for e in trail.organization_trail(BOB, AuditQuery(), 50, None).items] == ["bob"]
    with pytest.raises(PermissionDenied):
        trail.organization_trail(MEMBER, AuditQuery(), 50, None)
    with pytest.raises(PermissionDenied):
        trail.platform_trail(ANN, AuditQuery(), 50, None)
    everything = trail.platform_trail(ADMIN, AuditQuery(), 50, None).items
    assert [e.actor_id for e in everything] == ["root", "bob", "ann"]  # newest first


def test_pages_follow_the_cursor_newest_first_each_entry_once() -> None:
    trail, _ = service()
    for n in range(25):
        trail.record(AuditEvent("auth.login", "ann", "org-a", target_id=str(n)))
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = trail.organization_trail(ANN, AuditQuery(), 10, cursor)
        seen += [e.target_id or "" for e in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [str(n) for n in reversed(range(25))]


def test_filters_by_action_actor_email_and_time() -> None:
    trail, log = service()
    trail.record(AuditEvent("auth.login", "ann", "org-a"))
    trail.record(AuditEvent("auth.login_failed", "anonymous", "org-a", after={"email": "ann@example.com"}))
    trail.record(AuditEvent("auth.logout", "ann", "org-a"))
    failed = trail.organization_trail(ANN, AuditQuery(action="auth.login_failed"), 50, None).items
    assert [e.action for e in failed] == ["auth.login_failed"]
    by_email = trail.organization_trail(ANN, AuditQuery(actor="ANN@example.com"), 50, None).items
    assert [e.action for e in by_email] == ["auth.logout", "auth.login"]
    first = min(log.entries.values(), key=lambda e: e.id)
    up_to_first = trail.organization_trail(ANN, AuditQuery(until=first.at), 50, None).items
    assert [e.id for e in up_to_first] == [first.id]
    after_first = trail.organization_trail(
        ANN, AuditQuery(since=first.at + timedelta(milliseconds=1)), 50, None
    )
    assert first.id not in [e.id for e in after_first.items] and len(after_first.items) == 2


def test_a_cursor_not_made_by_the_trail_is_refused_naming_the_field() -> None:
    trail, _ = service()
    with pytest.raises(ValidationFailed) as refused:
        trail.organization_trail(ANN, AuditQuery(), 10, "not-a-position")
    assert refused.value.details == {"field": "cursor"}


def test_the_csv_export_has_a_header_json_states_and_no_formulas() -> None:
    # Given an entry whose values a user chose to look like a spreadsheet formula
    trail, _ = service()
    trail.record(AuditEvent("user.registered", "ann", "org-a", "user", "=HYPERLINK(1)", after={"name": "@x"}))
    # When the organization's trail is exported
    export = trail.export_organization(ANN, AuditQuery(), None)
    # Then it is CSV with one row per entry, formulas neutralised, states as JSON
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert export.rows == 1 and export.next_cursor is None
    assert rows[0]["action"] == "user.registered" and rows[0]["actor_email"] == "ann@example.com"
    assert rows[0]["target_id"] == "'=HYPERLINK(1)"
    assert rows[0]["after"] == '{"name":"@x"}'
