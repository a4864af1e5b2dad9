"""Money formatting per currency, totals kept apart, and the overdue rules."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bot.domain.aging import aging_bucket, days_overdue, local_today
from bot.domain.money import Money, format_money, totals_by_currency


@pytest.mark.parametrize(("amount", "currency", "locale", "expected"), [
    ("7200", "EUR", "en", "€7,200.00"),
    ("7200.5", "USD", "en", "$7,200.50"),
    ("6350.00", "usd", "en", "$6,350.00"),
    ("4800.00", "GBP", "en", "£4,800.00"),
    ("7200", "JPY", "en", "¥7,200"),
    ("0", "GBP", "en", "£0.00"),
    ("-50.25", "USD", "en", "-$50.25"),
    ("7200", "EUR", "de_DE", "7.200,00\xa0€"),
])
def test_format_money_uses_the_currency_and_locale(amount: str, currency: str, locale: str, expected: str) -> None:
    assert format_money(Decimal(amount), currency, locale) == expected


def test_totals_stay_apart_per_currency() -> None:
    amounts = [Money("USD", Decimal("6350.00")), Money("GBP", Decimal("4800.00")), Money("USD", Decimal("3960.00"))]
    assert totals_by_currency(amounts) == [Money("GBP", Decimal("4800.00")), Money("USD", Decimal("10310.00"))]
    assert Money("EUR", Decimal("7200")).formatted() == "€7,200.00"


def test_overdue_means_due_strictly_before_today_where_the_business_is() -> None:
    today = date(2026, 11, 29)
    assert days_overdue(date(2026, 11, 28), today) == 1
    assert days_overdue(today, today) == 0
    assert days_overdue(date(2026, 12, 5), today) == 0
    assert days_overdue(None, today) == 0
    late_evening_utc = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    assert local_today(late_evening_utc, "Europe/London") == date(2026, 7, 2)  # BST
    assert local_today(late_evening_utc, "America/New_York") == date(2026, 7, 1)


@pytest.mark.parametrize(("days", "label"), [(0, None), (1, "1–30"), (30, "1–30"), (31, "31–60"), (60, "31–60"),
                                             (61, "61–90"), (90, "61–90"), (91, "90+"), (400, "90+")])
def test_aging_buckets(days: int, label: str | None) -> None:
    bucket = aging_bucket(days)
    assert (bucket.label if bucket else None) == label
