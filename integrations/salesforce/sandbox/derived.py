"""Fields Salesforce computes: stage flags, line item prices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from integrations.salesforce.sandbox.schema import STAGES

Row = dict[str, Any]


def derive_stage(row: Row) -> None:
    """IsClosed, IsWon and ForecastCategoryName follow the Opportunity's stage."""
    stage = STAGES.get(str(row.get("StageName", "")).lower())
    if stage:
        row["IsClosed"], row["IsWon"], row["ForecastCategoryName"] = stage[3], stage[4], stage[2]


def derive_line_item(row: Row, product: Row | None) -> None:
    """Subtotal = Quantity × UnitPrice; TotalPrice applies Discount; product code and name from Product2."""
    quantity, unit = Decimal(row.get("Quantity") or 0), Decimal(row.get("UnitPrice") or 0)
    subtotal = (quantity * unit).quantize(Decimal("0.01"))
    discount = row.get("Discount")
    row["Subtotal"] = subtotal
    row["TotalPrice"] = (subtotal * (100 - Decimal(discount)) / 100).quantize(Decimal("0.01")) if discount else subtotal
    row.setdefault("ListPrice", unit)
    if product is not None:
        row["ProductCode"], row["Name"] = product.get("ProductCode"), product.get("Name")
