"""Five-field cron schedules (minute hour day-of-month month day-of-week), evaluated in UTC.

Each field takes `*`, a number, a range `a-b` (wrapping around when a > b), a step `*/n` or `a-b/n`, and comma
lists of those; one space between fields. As in cron, when both day fields are restricted a day matching
either one is a match. No names (JAN, MON) and no `@daily`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.shared.errors import ValidationFailed

_FIELDS = (
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 7),
)
MAX_SEARCH_STEPS = 366 * 5 * (1 + 24 + 60)  # days, hours and minutes looked at in five years at most
SEARCH_HORIZON = timedelta(days=366 * 5)  # a schedule that never fires within five years is refused
MAX_CRON_LENGTH = 100


def _field_pattern(value: str) -> str:
    item = rf"(?:\*|{value}(?:-{value})?)(?:/[1-9][0-9]?)?"
    return rf"{item}(?:,{item})*"


# Exactly what parse_cron accepts (the API's schema uses it too): five fields, one space between them.
_VALUES = (
    "[0-5]?[0-9]",
    "(?:[01]?[0-9]|2[0-3])",
    "(?:0?[1-9]|[12][0-9]|3[01])",
    "(?:0?[1-9]|1[0-2])",
    "[0-7]",
)
CRON_PATTERN = "^" + " ".join(_field_pattern(v) for v in _VALUES) + "$"


@dataclass(frozen=True)
class Cron:
    expression: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday (7 is taken as 0)
    any_day: bool
    any_weekday: bool

    def matches(self, t: datetime) -> bool:
        if t.minute not in self.minutes or t.hour not in self.hours or t.month not in self.months:
            return False
        day_ok = t.day in self.days
        weekday_ok = (t.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:
            return day_ok and weekday_ok
        return day_ok or weekday_ok

    def next_after(self, t: datetime) -> datetime:
        """The first minute strictly after `t` that the schedule fires at."""
        candidate = t.replace(second=0, microsecond=0) + timedelta(minutes=1)
        horizon = candidate + SEARCH_HORIZON
        for _ in range(MAX_SEARCH_STEPS):
            if candidate > horizon:
                break
            if candidate.month not in self.months:
                # jump to the first day of the next month
                year, month = (
                    (candidate.year + 1, 1)
                    if candidate.month == 12
                    else (candidate.year, candidate.month + 1)
                )
                candidate = candidate.replace(year=year, month=month, day=1, hour=0, minute=0)
                continue
            if self.matches(candidate):
                return candidate
            if not self._day_ok(candidate):
                candidate = (candidate + timedelta(days=1)).replace(hour=0, minute=0)
                continue
            if candidate.hour not in self.hours:
                candidate = (candidate + timedelta(hours=1)).replace(minute=0)
                continue
            candidate += timedelta(minutes=1)
        raise ValidationFailed(
            f"The schedule {self.expression!r} never fires.", details={"field": "schedule"}
        )

    def _day_ok(self, t: datetime) -> bool:
        day_ok = t.day in self.days
        weekday_ok = (t.isoweekday() % 7) in self.weekdays
        return (day_ok and weekday_ok) if (self.any_day or self.any_weekday) else (day_ok or weekday_ok)


def parse_cron(expression: str) -> Cron:
    """Parse a five-field cron expression. Raises ValidationFailed (field `schedule`) naming the bad part."""
    parts = expression.split(" ")
    if len(expression) > MAX_CRON_LENGTH or len(parts) != 5:
        raise ValidationFailed(
            "schedule must be five cron fields: minute hour day-of-month month weekday, e.g. '0 3 * * *'.",
            details={"field": "schedule"},
        )
    if not _cron_pattern().match(expression):
        raise ValidationFailed(
            "schedule has a field that is not a number in its range, '*', a range 'a-b', a step '/n' "
            "or a comma list of those.",
            details={"field": "schedule"},
        )
    values = [_field(part, name, low, high) for part, (name, low, high) in zip(parts, _FIELDS, strict=True)]
    weekdays = frozenset(0 if d == 7 else d for d in values[4])
    cron = Cron(
        expression=" ".join(parts),
        minutes=values[0],
        hours=values[1],
        days=values[2],
        months=values[3],
        weekdays=weekdays,
        any_day=parts[2] == "*",
        any_weekday=parts[4] == "*",
    )
    cron.next_after(datetime(2000, 1, 1))  # refuses a schedule that never fires (e.g. 31 February)
    return cron


@functools.lru_cache(maxsize=1)
def _cron_pattern() -> re.Pattern[str]:
    return re.compile(CRON_PATTERN)  # compiled on first use, not at import (cold start)


def _field(text: str, name: str, low: int, high: int) -> frozenset[int]:
    found: set[int] = set()
    for item in text.split(","):
        base, _, step_text = item.partition("/")
        try:
            step = int(step_text) if step_text else 1
            if base == "*":
                start, end = low, high
            elif "-" in base:
                a, b = base.split("-", 1)
                start, end = int(a), int(b)
            else:
                start = int(base)
                end = high if step_text else start
        except ValueError:
            raise ValidationFailed(
                f"The {name} field {item!r} of the schedule is not a number, range, list or step.",
                details={"field": "schedule"},
            ) from None
        if step < 1 or start < low or end > high:
            raise ValidationFailed(
                f"The {name} field {item!r} of the schedule is outside {low}-{high}.",
                details={"field": "schedule"},
            )
        if start <= end:
            found.update(range(start, end + 1, step))
        else:  # a range that wraps around (hours 22-2: 22, 23, 0, 1, 2)
            found.update([*range(start, high + 1), *range(low, end + 1)][::step])
    return frozenset(found)
