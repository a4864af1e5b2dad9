"""Domain events: what a sync found changed, for the alert services to act on.

Each event has a ``dedupe_key`` built from what it is about, so the same change seen twice
(a webhook and a scheduled pull, a Xero retry) is one event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

INVOICE_CREATED = "invoice.created"
INVOICE_AUTHORISED = "invoice.authorised"
INVOICE_PART_PAID = "invoice.part_paid"
INVOICE_PAID = "invoice.paid"
INVOICE_VOIDED = "invoice.voided"
INVOICE_OVERDUE = "invoice.overdue"
PAYMENT_RECEIVED = "payment.received"

KINDS = (INVOICE_CREATED, INVOICE_AUTHORISED, INVOICE_PART_PAID, INVOICE_PAID, INVOICE_VOIDED, INVOICE_OVERDUE,
         PAYMENT_RECEIVED)


@dataclass(frozen=True)
class Event:
    kind: str
    subject_id: str
    dedupe_key: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class InvoiceState:
    """The parts of an invoice whose change is news."""

    id: str
    number: str | None
    status: str
    amount_paid: Decimal
    amount_due: Decimal
    currency: str
    due_date: date | None


def _payload(state: InvoiceState) -> dict[str, Any]:
    return {"invoice_id": state.id, "number": state.number, "status": state.status, "currency": state.currency,
            "amount_paid": str(state.amount_paid), "amount_due": str(state.amount_due)}


def invoice_events(before: InvoiceState | None, after: InvoiceState) -> list[Event]:
    """Events for one invoice going from ``before`` (None: new to us) to ``after``."""
    events: list[Event] = []
    was = before.status if before else None
    if before is None:
        events.append(Event(INVOICE_CREATED, after.id, f"{INVOICE_CREATED}:{after.id}", _payload(after)))
    if after.status == "AUTHORISED" and was in (None, "DRAFT", "SUBMITTED"):
        events.append(Event(INVOICE_AUTHORISED, after.id, f"{INVOICE_AUTHORISED}:{after.id}", _payload(after)))
    paid_before = before.amount_paid if before else Decimal(0)
    if after.status == "PAID" and was != "PAID":
        events.append(Event(INVOICE_PAID, after.id, f"{INVOICE_PAID}:{after.id}", _payload(after)))
    elif after.amount_paid > paid_before and after.amount_due > 0 and after.status == "AUTHORISED":
        events.append(Event(INVOICE_PART_PAID, after.id, f"{INVOICE_PART_PAID}:{after.id}:{after.amount_paid}",
                            _payload(after)))
    if after.status == "VOIDED" and was != "VOIDED":
        events.append(Event(INVOICE_VOIDED, after.id, f"{INVOICE_VOIDED}:{after.id}", _payload(after)))
    return events


def overdue_event(state: InvoiceState) -> Event:
    """An invoice past its due date (the due date is in the key: a new due date is news again)."""
    return Event(INVOICE_OVERDUE, state.id, f"{INVOICE_OVERDUE}:{state.id}:{state.due_date}", _payload(state))


def payment_event(payment_id: str, invoice_id: str | None, amount: Decimal, currency: str | None,
                  paid_on: date | None) -> Event:
    return Event(PAYMENT_RECEIVED, payment_id, f"{PAYMENT_RECEIVED}:{payment_id}",
                 {"payment_id": payment_id, "invoice_id": invoice_id, "amount": str(amount), "currency": currency,
                  "date": paid_on.isoformat() if paid_on else None})
