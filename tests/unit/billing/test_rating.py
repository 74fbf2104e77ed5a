"""The arithmetic of metering: minutes, prices in micro-dollars, cents with their remainder carried."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from chalicelib.domain.billing.entities import (
    GIB,
    Meter,
    MeterUsage,
    Pricing,
    burn_micros_per_hour,
    invoice_number,
    rate_meter,
    runway_hours,
)

T0 = datetime(2026, 11, 26, 10, 0, 0, tzinfo=UTC)
PRICING = Pricing(
    cpu_hour_micros=60_000_000, memory_gib_hour_micros=0, storage_gib_month_micros=0
)  # 60.00 per vCPU-hour


def meter(**changes: object) -> Meter:
    base = Meter(
        "org",
        "c1",
        "container",
        "web",
        (MeterUsage(T0 + timedelta(seconds=20), cpu_millis=1000),),
        None,
        None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_resource_created_and_deleted_within_a_minute_pays_that_minute() -> None:
    gone = meter(ended_at=T0 + timedelta(seconds=50))
    charge = rate_meter(gone, PRICING, T0 + timedelta(hours=1))
    assert charge is not None and charge.finished
    assert charge.minutes == 1 and charge.cents == 100  # 1 vCPU at 60.00/h for a minute = 1.00


def test_a_running_resource_is_charged_up_to_the_run_and_the_remainder_carries() -> None:
    cheap = Pricing(cpu_hour_micros=600, memory_gib_hour_micros=0, storage_gib_month_micros=0)
    running = meter(changes=(MeterUsage(T0, cpu_millis=1000),))  # 0.06 cents per hour: less than a cent
    first = rate_meter(running, cheap, T0 + timedelta(hours=10))
    assert first is not None and not first.finished
    assert (first.minutes, first.cents, first.carry_micros) == (600, 0, 6_000)
    later = replace(running, billed_until=first.end, carry_micros=first.carry_micros)
    second = rate_meter(later, cheap, T0 + timedelta(hours=20))
    assert second is not None and (second.cents, second.carry_micros) == (1, 2_000)  # 6 000 + 6 000 micros


def test_billing_the_same_period_twice_charges_nothing_more() -> None:
    until = T0 + timedelta(hours=1)
    first = rate_meter(meter(), PRICING, until)
    assert first is not None
    assert rate_meter(meter(billed_until=first.end), PRICING, until) is None


def test_a_resize_is_charged_at_each_size_for_its_minutes() -> None:
    resized = meter(
        changes=(MeterUsage(T0, cpu_millis=1000), MeterUsage(T0 + timedelta(minutes=30), cpu_millis=2000)),
    )
    charge = rate_meter(resized, PRICING, T0 + timedelta(hours=1))
    assert charge is not None and charge.cents == 30 * 100 + 30 * 200


def test_memory_and_storage_are_priced_per_gib() -> None:
    pricing = Pricing(cpu_hour_micros=0, memory_gib_hour_micros=10_000, storage_gib_month_micros=730_000)
    usage = MeterUsage(T0, memory_bytes=2 * GIB, storage_bytes=GIB)
    assert pricing.hourly_micros(usage) == 20_000 + 1_000


def test_runway_is_balance_over_burn() -> None:
    burning = [meter(), meter(resource_id="c2", ended_at=T0)]
    burn = burn_micros_per_hour(burning, PRICING)
    assert burn == 60_000_000  # the deleted one burns nothing
    assert runway_hours(12_000, burn) == 2.0
    assert runway_hours(100, 0) is None


def test_invoice_numbers_are_consecutive_per_year() -> None:
    assert invoice_number("CS", 2026, 123) == "CS-2026-000123"


def test_entries_written_together_get_increasing_ids() -> None:
    from chalicelib.domain.shared.ids import new_ulids

    ids = new_ulids(50)
    assert ids == sorted(ids) and len(set(ids)) == 50 and all(len(i) == 26 for i in ids)
