"""What the person entered in the invoice form, read from ``view.state.values`` (as Slack sends it)
into the service's ``InvoiceInput``. A value that does not parse is kept as None, so validation says
what to fix."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.services.invoicing import InvoiceInput, LineInput
from handlers.slack.invoicing import ids
from handlers.slack.invoicing.meta import FormMeta


def _value(values: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    return (values.get(block_id) or {}).get(action_id) or {}


def _text(values: dict[str, Any], block_id: str, action_id: str) -> str:
    return str(_value(values, block_id, action_id).get("value") or "")


def _selected(values: dict[str, Any], block_id: str, action_id: str) -> str:
    chosen = _value(values, block_id, action_id).get("selected_option") or {}
    return str(chosen.get("value") or "")


def _date(values: dict[str, Any], block_id: str, action_id: str) -> date | None:
    raw = _value(values, block_id, action_id).get("selected_date")
    try:
        return date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def _decimal(values: dict[str, Any], block_id: str, action_id: str) -> Decimal | None:
    raw = _text(values, block_id, action_id).strip().replace(",", "")
    if not raw:
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def entered_input(view: dict[str, Any], meta: FormMeta) -> InvoiceInput:
    values: dict[str, Any] = ((view.get("state") or {}).get("values")) or {}
    lines = []
    for key, item_code in meta.lines:
        def block(field: str, key: str = key) -> str:
            return ids.line_block(key, field)
        lines.append(LineInput(
            key=key, description=_text(values, block("description"), "description").strip(),
            quantity=_decimal(values, block("quantity"), "quantity"),
            unit_amount=_decimal(values, block("unit_amount"), "unit_amount"),
            discount_rate=_decimal(values, block("discount_rate"), "discount_rate"),
            account_code=_selected(values, block("account_code"), "account_code"),
            tax_type=_selected(values, block("tax_type"), "tax_type"), item_code=item_code))
    return InvoiceInput(
        opportunity_id=meta.opportunity_id, contact=_selected(values, ids.CONTACT_BLOCK, ids.CONTACT_ACTION),
        currency=_selected(values, ids.CURRENCY_BLOCK, ids.CURRENCY_ACTION),
        invoice_date=_date(values, ids.DATE_BLOCK, ids.DATE_ACTION),
        due_date=_date(values, ids.due_block(meta.due_version), ids.DUE_ACTION),
        reference=_text(values, ids.REFERENCE_BLOCK, ids.REFERENCE_ACTION).strip(), lines=lines)
