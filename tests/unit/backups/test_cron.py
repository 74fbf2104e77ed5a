"""Cron schedules as customers write them: when they fire next, and what is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain.backups.cron import parse_cron
from chalicelib.domain.shared.errors import ValidationFailed


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("expression", "after", "expected"),
    [
        ("0 3 * * *", "2026-11-27T02:30", "2026-11-27T03:00"),
        ("0 3 * * *", "2026-11-27T03:00", "2026-11-28T03:00"),  # strictly after
        ("*/15 * * * *", "2026-11-27T10:07", "2026-11-27T10:15"),
        ("30 2 * * 1-5", "2026-11-28T10:00", "2026-11-30T02:30"),  # Saturday -> Monday
        ("0 0 1 * 0", "2026-11-27T10:00", "2026-11-29T00:00"),  # day 1 OR Sunday, as cron does
        ("0 0 29 2 *", "2026-03-01T00:00", "2028-02-29T00:00"),  # leap years only
        ("0 22-2 * * *", "2026-11-27T23:30", "2026-11-28T00:00"),  # a range wrapping past midnight
        ("0 0 * * 7", "2026-11-27T00:00", "2026-11-29T00:00"),  # 7 is Sunday too
    ],
)
def test_a_schedule_fires_at_the_next_matching_minute(expression: str, after: str, expected: str) -> None:
    assert parse_cron(expression).next_after(at(after)) == at(expected)


@pytest.mark.parametrize(
    "expression",
    [
        "",
        "* * * *",
        "* * * * * *",
        "60 * * * *",
        "* 24 * * *",
        "* * 0 * *",
        "* * * 13 *",
        "* * * * 8",
        "*/0 * * * *",
        "0  3 * * *",
        "MON * * * *",
        "@daily",
        "0 0 31 2 *",
        "0 0 30,31 2 *",
    ],
)
def test_a_schedule_that_is_malformed_or_never_fires_is_refused_naming_the_field(expression: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_cron(expression)
    assert refused.value.details == {"field": "schedule"}
