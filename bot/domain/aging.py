"""Overdue rules: "today" where the business is, days overdue, and aging buckets.

An invoice is overdue when its due date is strictly before today in ``alerts.timezone``: one
due yesterday is 1 day overdue, one due today is not overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class AgingBucket:
    label: str
    first_day: int
    last_day: int | None  # None: no upper bound


AGING_BUCKETS = (
    AgingBucket("1–30", 1, 30),
    AgingBucket("31–60", 31, 60),
    AgingBucket("61–90", 61, 90),
    AgingBucket("90+", 91, None),
)


def local_today(now: datetime, timezone: str) -> date:
    """The calendar date at ``now`` in the IANA ``timezone``."""
    return now.astimezone(ZoneInfo(timezone)).date()


def days_overdue(due_date: date | None, today: date) -> int:
    """Whole days past the due date; 0 when not yet due (or no due date)."""
    if due_date is None:
        return 0
    return max((today - due_date).days, 0)


def aging_bucket(days: int) -> AgingBucket | None:
    """The bucket an invoice ``days`` overdue falls in; None when it is not overdue."""
    for bucket in AGING_BUCKETS:
        if days >= bucket.first_day and (bucket.last_day is None or days <= bucket.last_day):
            return bucket
    return None


def days_overdue_words(days: int) -> str:
    """"1 day overdue", "12 days overdue": the words every chat shows for an overdue invoice."""
    return f"{days} day overdue" if days == 1 else f"{days} days overdue"
