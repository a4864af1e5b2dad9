"""Invoice arithmetic as Xero does it, in Decimal: line amounts, discounts, tax, totals.

- ``LineAmount`` = Quantity × UnitAmount less ``DiscountRate`` %, rounded to cents.
- ``Exclusive``: tax = LineAmount × rate; Total = SubTotal + TotalTax.
- ``Inclusive``: LineAmount already holds tax: tax = LineAmount × rate / (100 + rate);
  SubTotal = Σ(LineAmount − tax); Total = Σ LineAmount.
- ``NoTax``: no tax on any line.
Rounding is half away from zero, per line, to two places.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class InvoiceTotals:
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    total_discount: Decimal


def line_amount(line: Mapping[str, Any]) -> tuple[Decimal, Decimal]:
    """(LineAmount, discount given) of one line."""
    gross = Decimal(line.get("Quantity") or 0) * Decimal(line.get("UnitAmount") or 0)
    rate = Decimal(line.get("DiscountRate") or 0)
    amount = cents(gross * (HUNDRED - rate) / HUNDRED) if rate else cents(gross)
    return amount, cents(gross) - amount


def tax_on(amount: Decimal, rate: Decimal, line_amount_types: str) -> Decimal:
    if line_amount_types == "NoTax" or not rate:
        return ZERO
    if line_amount_types == "Inclusive":
        return cents(amount * rate / (HUNDRED + rate))
    return cents(amount * rate / HUNDRED)


def price_lines(lines: list[dict[str, Any]], line_amount_types: str,
                tax_rates: Mapping[str, Decimal]) -> InvoiceTotals:
    """Fill ``LineAmount``/``TaxAmount`` on each line (in place) and return the invoice totals."""
    sub_total, total_tax, total_discount, gross_sum = ZERO, ZERO, ZERO, ZERO
    for line in lines:
        amount, discount = line_amount(line)
        tax = tax_on(amount, tax_rates.get(line.get("TaxType") or "", ZERO), line_amount_types)
        line["LineAmount"], line["TaxAmount"] = amount, tax
        total_discount += discount
        total_tax += tax
        gross_sum += amount
        sub_total += amount - tax if line_amount_types == "Inclusive" else amount
    total = gross_sum if line_amount_types == "Inclusive" else sub_total + total_tax
    return InvoiceTotals(sub_total, total_tax, total, total_discount)
