"""The AuditLog contract, for the DynamoDB store and the fake: an entry is written once and read back as
written; ranges come newest first, per organization or across the platform and across days, and following
`resume` reads each matching entry exactly once whatever the read budget."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import wiring
from chalicelib.domain.audit.entities import AuditEntry, AuditQuery
from chalicelib.domain.audit.ports import AuditLog
from chalicelib.domain.audit.positions import ceiling_id, id_before
from chalicelib.domain.shared.errors import Conflict
from chalicelib.domain.shared.ids import new_ulid
from tests.fakes.audit import FakeAuditLog

T0 = datetime(2026, 5, 20, 9, 30, tzinfo=UTC)
LOW = T0 - timedelta(days=10)
ORG_A, ORG_B = "0f3a9a8e-8a55-4a8e-9d69-4f5c8c0c0a01", "0f3a9a8e-8a55-4a8e-9d69-4f5c8c0c0a02"


@pytest.fixture(params=["fake", "dynamodb"])
def log(request: pytest.FixtureRequest) -> AuditLog:
    if request.param == "dynamodb":
        request.getfixturevalue("clean_tables")
        wiring.settings()
        from chalicelib.store.audit.repository import AuditRepository

        return AuditRepository()
    return FakeAuditLog()


def entry(
    at: datetime, org: str | None = ORG_A, action: str = "auth.login", actor: str = "ann"
) -> AuditEntry:
    return AuditEntry(
        id=new_ulid(int(at.timestamp() * 1000)),
        at=at,
        action=action,
        actor_id=actor,
        actor_email=f"{actor}@example.com",
        organization_id=org,
        target_type="user",
        target_id=actor,
        ip="192.0.2.1",
        before={"status": "active"},
        after={"status": "suspended", "nested": {"n": 1}},
    )


def read_all(
    log: AuditLog, query: AuditQuery, want: int, reads: int, org: str | None = None
) -> list[AuditEntry]:
    """Follow `resume` to the end, as the service does with cursors."""
    found: list[AuditEntry] = []
    below = ceiling_id(T0 + timedelta(days=1))
    for _ in range(200):
        if org is not None:
            part = log.of_organization(org, query, LOW, below, want, reads)
        else:
            part = log.of_platform(query, LOW, below, want, reads)
        found += part.entries
        if part.resume is None:
            return found
        below = id_before(part.resume)
    raise AssertionError("resume never ended")


def test_an_entry_is_read_back_as_written(log: AuditLog) -> None:
    written = entry(T0)
    log.append(written)
    [read] = log.of_organization(ORG_A, AuditQuery(), LOW, ceiling_id(T0), 10, 5).entries
    assert read == written


def test_an_entry_is_never_written_over(log: AuditLog) -> None:
    written = entry(T0)
    log.append(written)
    with pytest.raises(Conflict):
        log.append(replace(written, action="auth.logout", after=None))
    assert read_all(log, AuditQuery(), 10, 5, ORG_A) == [written]


def test_each_matching_entry_comes_once_newest_first_across_days_and_budgets(log: AuditLog) -> None:
    # Given entries over four days: Ann's organization's, Bob's, and the platform's own
    written = [
        entry(T0 - timedelta(days=d, minutes=m), org, actor=actor)
        for d in range(4)
        for m, org, actor in ((1, ORG_A, "ann"), (2, ORG_B, "bob"), (3, None, "root"), (4, ORG_A, "ann"))
    ]
    for e in written:
        log.append(e)
    newest_first = sorted(written, key=lambda e: e.id, reverse=True)
    # Then whatever the page size and read budget, each view returns exactly its entries, in order
    for want, reads in ((3, 1), (5, 2), (100, 50)):
        assert read_all(log, AuditQuery(), want, reads) == newest_first
        assert read_all(log, AuditQuery(), want, reads, ORG_A) == [
            e for e in newest_first if e.organization_id == ORG_A
        ]
        bob = read_all(log, AuditQuery(actor="BOB@example.com"), want, reads)
        assert bob == [e for e in newest_first if e.actor_id == "bob"]
    # And a range starts where it is asked to
    recent = log.of_platform(AuditQuery(), T0 - timedelta(hours=1), ceiling_id(T0), 100, 50).entries
    assert recent == [e for e in newest_first if e.at >= T0 - timedelta(hours=1)]
