"""Suspension, resumption and termination for non-payment are recorded in the organization's audit trail."""

from __future__ import annotations

from datetime import timedelta

from tests.fakes.audit import RecordingTrail
from tests.unit.billing.test_suspension import HOUR, T0, suspension


def test_suspension_resumption_and_termination_are_recorded_by_the_billing_system() -> None:
    # Given an organization at zero past its grace period
    service, _, _, clock = suspension(grace_hours=0)
    service.audit = trail = RecordingTrail()
    # When it is suspended, tops up, is suspended again and left long enough to be terminated
    service.review("org", -10, HOUR)
    service.funded("org", 10_00)
    service.review("org", -10, HOUR)
    clock.now = T0 + timedelta(days=11, hours=1)
    service.review("org", -10, HOUR)
    clock.now = T0 + timedelta(days=14, hours=1)
    service.review("org", -10, HOUR)
    # Then each step is an entry of the organization's trail, by system:billing, saying what it did
    assert trail.actions == [
        "billing.suspended",
        "billing.resumed",
        "billing.suspended",
        "billing.terminated",
    ]
    suspended = trail.events[0]
    assert (suspended.actor_id, suspended.organization_id) == ("system:billing", "org")
    assert suspended.after == {"stopped_ids": ["c1", "c2"], "balance": "-0.10"}
    assert trail.events[1].after == {"suspended_ids": ["c1", "c2"], "balance": "10.00"}
    assert trail.events[3].after == {"terminated_ids": ["c1", "c2"]}
