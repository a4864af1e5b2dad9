"""Invoice arithmetic in Decimal, as Xero does it, so Paidup can show a live total and check the
totals Xero returns (a difference is reported, never ignored).

- LineAmount = Quantity × UnitAmount less DiscountRate %, rounded half away from zero to cents.
- Exclusive: tax = LineAmount × rate / 100 per line; Total = SubTotal + TotalTax.
- Inclusive: tax = LineAmount × rate / (100 + rate) per line; SubTotal = Σ(LineAmount − tax);
  Total = Σ LineAmount.
- NoTax: no tax.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from bot.services.invoicing.model import LineInput, LineTotal, Totals

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(quantity: Decimal | None, unit_amount: Decimal | None, discount_rate: Decimal | None) -> Decimal:
    gross = (quantity or Decimal(0)) * (unit_amount or Decimal(0))
    if discount_rate:
        return cents(gross * (HUNDRED - discount_rate) / HUNDRED)
    return cents(gross)


def tax_on(amount: Decimal, rate: Decimal, line_amount_types: str) -> Decimal:
    if line_amount_types == "NoTax" or not rate:
        return ZERO
    if line_amount_types == "Inclusive":
        return cents(amount * rate / (HUNDRED + rate))
    return cents(amount * rate / HUNDRED)


def compute(lines: Sequence[LineInput], currency: str, line_amount_types: str,
            rates: Mapping[str, Decimal]) -> Totals:
    sub_total = total_tax = gross_sum = total_discount = ZERO
    priced = []
    for line in lines:
        amount = line_amount(line.quantity, line.unit_amount, line.discount_rate)
        total_discount += cents((line.quantity or 0) * (line.unit_amount or 0)) - amount
        tax = tax_on(amount, rates.get(line.tax_type, ZERO), line_amount_types)
        priced.append(LineTotal(line.key, amount, tax))
        total_tax += tax
        gross_sum += amount
        sub_total += amount - tax if line_amount_types == "Inclusive" else amount
    total = gross_sum if line_amount_types == "Inclusive" else sub_total + total_tax
    return Totals(currency, sub_total, total_tax, total, total_discount, priced)
