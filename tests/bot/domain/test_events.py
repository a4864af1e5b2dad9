from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.domain.events import (
    INVOICE_AUTHORISED,
    INVOICE_CREATED,
    INVOICE_PAID,
    INVOICE_PART_PAID,
    INVOICE_VOIDED,
    InvoiceState,
    invoice_events,
)


def state(status: str, paid: str = "0", due: str = "100") -> InvoiceState:
    return InvoiceState("i1", "INV-1", status, Decimal(paid), Decimal(due), "USD", date(2026, 11, 1))


def kinds(before: InvoiceState | None, after: InvoiceState) -> list[str]:
    return [event.kind for event in invoice_events(before, after)]


def test_new_authorised_invoice() -> None:
    assert kinds(None, state("AUTHORISED")) == [INVOICE_CREATED, INVOICE_AUTHORISED]
    assert kinds(None, state("DRAFT")) == [INVOICE_CREATED]


def test_approval_part_payment_payment_void() -> None:
    assert kinds(state("DRAFT"), state("AUTHORISED")) == [INVOICE_AUTHORISED]
    assert kinds(state("AUTHORISED"), state("AUTHORISED", "30", "70")) == [INVOICE_PART_PAID]
    assert kinds(state("AUTHORISED", "30", "70"), state("PAID", "100", "0")) == [INVOICE_PAID]
    assert kinds(state("AUTHORISED"), state("VOIDED")) == [INVOICE_VOIDED]


def test_nothing_new_is_no_event() -> None:
    assert kinds(state("AUTHORISED", "30", "70"), state("AUTHORISED", "30", "70")) == []
    assert kinds(state("PAID", "100", "0"), state("PAID", "100", "0")) == []


def test_each_part_payment_has_its_own_key_and_the_same_change_the_same_key() -> None:
    first = invoice_events(state("AUTHORISED"), state("AUTHORISED", "30", "70"))[0]
    again = invoice_events(state("AUTHORISED"), state("AUTHORISED", "30", "70"))[0]
    second = invoice_events(state("AUTHORISED", "30", "70"), state("AUTHORISED", "50", "50"))[0]
    assert first.dedupe_key == again.dedupe_key != second.dedupe_key
