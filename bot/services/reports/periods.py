"""Report periods as calendar dates in the configured time zone.

Xero invoice and payment dates are calendar dates (no time of day), so the zone decides which
day "today" is and therefore which month "this month" is: at 23:30 UTC on 31 October it is
already 1 November in Europe/Berlin, and a Berlin report for "this month" is November's.

    this month   the 1st of this month .. today (month to date)
    last month   the whole previous month
    quarter      the 1st of this calendar quarter .. today (quarter to date)
    YYYY-MM      that whole month (up to today when it is this month); a future month is refused
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

PERIOD_NAMES = ("this month", "last month", "quarter")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodError(ValueError):
    """The period can't be read or lies in the future; the message says what works."""


@dataclass(frozen=True)
class Period:
    key: str  # "this month", "last month", "quarter" or "YYYY-MM", as asked
    label: str  # "November 2026 (to date)", "Q4 2026 (to date)"
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(first: date, months: int) -> date:
    """The 1st of the month ``months`` after (or before) the month of ``first``."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


def resolve_period(key: str, today: date) -> Period:
    """The period ``key`` names, seen on ``today`` (the date in the report's zone)."""
    key = key.strip().casefold()
    this_month = month_start(today)
    if key == "this month":
        return Period(key, f"{this_month:%B %Y} (to date)", this_month, today)
    if key == "last month":
        first = add_months(this_month, -1)
        return Period(key, f"{first:%B %Y}", first, month_end(first))
    if key == "quarter":
        first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        return Period(key, f"Q{(today.month - 1) // 3 + 1} {today.year} (to date)", first, today)
    found = MONTH.match(key)
    if found is None:
        raise PeriodError(f"I can't read the period {key!r}: try this month, last month, quarter or a month "
                          "such as 2026-10")
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12 or year < 1900:
        raise PeriodError(f"{key} is not a month: write it as YYYY-MM, e.g. 2026-10")
    first = date(year, month, 1)
    if first > today:
        raise PeriodError(f"{first:%B %Y} hasn't started yet")
    if first == this_month:
        return Period(key, f"{first:%B %Y} (to date)", first, today)
    return Period(key, f"{first:%B %Y}", first, month_end(first))
