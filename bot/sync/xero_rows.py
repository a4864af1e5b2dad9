"""Xero pages → mirror rows as plain values: everything storing a page needs that does not need
the database, so that for a big pull it runs in a worker process (``bot.sync.workers``) while
this process stores the page before.

``parse_invoices`` decodes a page's JSON, validates each record with the client's models (a bad
record fails alone, with the validation error) and turns each invoice into its row, its lines and
its nested payments: dicts of str, Decimal, date and datetime. ``synced_at`` is left out: it is the
time the page is stored, known only then.

In the worker a page's rows go back as MessagePack typed by the row types below (``packed`` /
``unpacked``), not pickled: pickle rebuilds each Decimal, date and datetime through a constructor
call (a page of 1,000 invoices holds ~10,000 Decimals), 32 ms to pickle and 20 ms to unpickle a
page, against 3 ms and 7 ms with msgspec. The types are the rows' contract: a key the row
functions write but the types lack would be dropped on the way back (tests compare both ways).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypedDict, TypeVar

import msgspec

from bot.domain.names import email_domain, name_key
from integrations.xero import pages as xero_pages
from integrations.xero.models import Contact, Invoice, Payment

SALES = "ACCREC"
ZERO = Decimal(0)


T = TypeVar("T")


class ContactRow(TypedDict):
    """A xero_contacts row but synced_at."""

    id: str
    name: str
    name_key: str
    contact_number: str | None
    account_number: str | None
    email: str | None
    email_domain: str | None
    status: str
    default_currency: str | None
    sales_terms_days: int | None
    sales_terms_type: str | None
    is_customer: bool
    raw: dict[str, Any]
    updated_at_xero: datetime | None


class InvoiceRow(TypedDict):
    """A xero_invoices row but synced_at."""

    id: str
    number: str | None
    type: str
    contact_id: str
    status: str
    date: date | None
    due_date: date | None
    currency: str
    currency_rate: Decimal | None
    line_amount_types: str | None
    reference: str | None
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    amount_due: Decimal
    amount_paid: Decimal
    amount_credited: Decimal
    fully_paid_on: date | None
    sent_to_contact: bool
    updated_at_xero: datetime | None


class LineRow(TypedDict):
    """A xero_invoice_lines row."""

    invoice_id: str
    position: int
    line_item_id: str | None
    description: str | None
    quantity: Decimal | None
    unit_amount: Decimal | None
    discount_rate: Decimal | None
    item_code: str | None
    account_code: str | None
    tax_type: str | None
    tax_amount: Decimal | None
    line_amount: Decimal | None


class PaymentRow(TypedDict):
    """A xero_payments row but synced_at."""

    id: str
    invoice_id: str | None
    date: date | None
    amount: Decimal
    currency: str | None
    reference: str | None
    status: str
    payment_type: str | None
    updated_at_xero: datetime | None


class InvoiceRecord(msgspec.Struct, array_like=True):
    """One sales invoice as the mirror stores it."""

    id: str
    number: str | None
    row: InvoiceRow
    lines: list[LineRow]
    payments: list[PaymentRow]  # nested in the invoice
    updated: datetime | None


Invalid = tuple[str, str, str | None]  # (record id, error, label) of a record that failed


class RowsPage(msgspec.Struct, Generic[T], frozen=True, array_like=True):
    """A parsed page: its records, the ones that failed, and the cursor it advances to."""

    items: list[T]
    invalid: list[Invalid] = []
    cursor: str | None = None


def invalid_records(page: xero_pages.Page[Any]) -> list[Invalid]:
    """The records of a page that did not validate, with Xero's field names in the error."""
    return [(f.record_id or f"page-{page.number}", f"Xero sent a record Paidup can't read: {f.error}", None)
            for f in page.failures]


def latest(stamps: Sequence[datetime | None]) -> str | None:
    """The cursor after records last modified at ``stamps``: the latest, as ISO text."""
    known = [s for s in stamps if s is not None]
    return max(known).isoformat() if known else None


def contact_values(contact: Contact) -> ContactRow:
    """A contact's xero_contacts row but synced_at."""
    terms = contact.payment_terms.sales if contact.payment_terms and contact.payment_terms.sales else None
    name = contact.name or " ".join(p for p in (contact.first_name, contact.last_name) if p) or contact.contact_id
    return {
        "id": contact.contact_id, "name": name, "name_key": name_key(name),
        "contact_number": contact.contact_number or None, "account_number": contact.account_number or None,
        "email": contact.email_address or None, "email_domain": email_domain(contact.email_address),
        "status": contact.contact_status or "ACTIVE", "default_currency": contact.default_currency,
        "sales_terms_days": terms.day if terms else None, "sales_terms_type": terms.type if terms else None,
        "is_customer": bool(contact.is_customer),
        "raw": {"addresses": [a.model_dump(exclude_none=True) for a in contact.addresses]},
        "updated_at_xero": contact.updated_date_utc,
    }


def parse_contacts(raw: xero_pages.RawPage[Contact]) -> RowsPage[ContactRow]:
    """A raw page of contacts as rows (without synced_at), its failures and its cursor."""
    page = xero_pages.parse_raw_page(raw)
    return RowsPage([contact_values(c) for c in page.items], invalid_records(page),
                    latest([c.updated_date_utc for c in page.items]))


def parse_payments(raw: xero_pages.RawPage[Payment]) -> RowsPage[PaymentRow]:
    """A raw page of payments as rows (without synced_at): those against sales invoices and credit notes."""
    page = xero_pages.parse_raw_page(raw)
    kept = [p for p in page.items if p.payment_type in (None, "ACCRECPAYMENT", "ARCREDITPAYMENT")]
    return RowsPage([payment_row(p) for p in kept], invalid_records(page), latest([p.updated_date_utc for p in kept]))


def _amount(value: Decimal | None) -> Decimal:
    """An amount Xero left out counts as zero (a Decimal, as the amounts it sent)."""
    return ZERO if value is None else value


def invoice_row(invoice: Invoice) -> InvoiceRow:
    return {
        "id": invoice.invoice_id, "number": invoice.invoice_number, "type": invoice.type,
        "contact_id": invoice.contact.contact_id if invoice.contact else "", "status": invoice.status,
        "date": invoice.date, "due_date": invoice.due_date, "currency": invoice.currency_code or "",
        "currency_rate": invoice.currency_rate, "line_amount_types": invoice.line_amount_types,
        "reference": invoice.reference, "sub_total": _amount(invoice.sub_total),
        "total_tax": _amount(invoice.total_tax), "total": _amount(invoice.total),
        "amount_due": _amount(invoice.amount_due), "amount_paid": _amount(invoice.amount_paid),
        "amount_credited": _amount(invoice.amount_credited), "fully_paid_on": invoice.fully_paid_on_date,
        "sent_to_contact": bool(invoice.sent_to_contact), "updated_at_xero": invoice.updated_date_utc,
    }


def line_rows(invoice: Invoice) -> list[LineRow]:
    return [{"invoice_id": invoice.invoice_id, "position": n, "line_item_id": line.line_item_id,
             "description": line.description, "quantity": line.quantity, "unit_amount": line.unit_amount,
             "discount_rate": line.discount_rate, "item_code": line.item_code, "account_code": line.account_code,
             "tax_type": line.tax_type, "tax_amount": line.tax_amount, "line_amount": line.line_amount}
            for n, line in enumerate(invoice.line_items)]


def payment_row(payment: Payment, parent: Invoice | None = None) -> PaymentRow:
    """A payment's row; one nested in an invoice takes the invoice and its currency from ``parent``."""
    invoice_id = payment.invoice.invoice_id if payment.invoice else parent.invoice_id if parent else None
    currency = (payment.invoice.currency_code if payment.invoice else None) or (
        parent.currency_code if parent else None)
    return {"id": payment.payment_id, "invoice_id": invoice_id, "date": payment.date,
            "amount": _amount(payment.amount), "currency": currency, "reference": payment.reference,
            "status": payment.status or "AUTHORISED", "payment_type": payment.payment_type,
            "updated_at_xero": payment.updated_date_utc}


def invoice_records(page: xero_pages.Page[Invoice]) -> RowsPage[InvoiceRecord]:
    """The sales invoices of a parsed page as records; one without a contact is a failure."""
    records: list[InvoiceRecord] = []
    invalid = invalid_records(page)
    sales = [i for i in page.items if i.type == SALES]
    for invoice in sales:
        if not invoice.contact:
            invalid.append((invoice.invoice_id, "invoice has no contact", invoice.invoice_number))
            continue
        records.append(InvoiceRecord(invoice.invoice_id, invoice.invoice_number, invoice_row(invoice),
                                     line_rows(invoice), [payment_row(p, invoice) for p in invoice.payments],
                                     invoice.updated_date_utc))
    return RowsPage(records, invalid, latest([i.updated_date_utc for i in sales]))


def parse_invoices(raw: xero_pages.RawPage[Invoice]) -> RowsPage[InvoiceRecord]:
    """Decode, validate and build the rows of a raw page of invoices (runs in a worker for big pulls)."""
    return invoice_records(xero_pages.parse_raw_page(raw))


# --- to and from the worker ---------------------------------------------------------------

PARSERS: dict[str, tuple[Callable[[Any], RowsPage[Any]], type]] = {
    "contacts": (parse_contacts, ContactRow),
    "invoices": (parse_invoices, InvoiceRecord),
    "payments": (parse_payments, PaymentRow),
}
_encoder = msgspec.msgpack.Encoder()


def packed(kind: str, raw: xero_pages.RawPage[Any]) -> bytes:
    """``PARSERS[kind]`` on a raw page, as MessagePack (in the worker)."""
    return _encoder.encode(PARSERS[kind][0](raw))


@functools.cache
def _decoder(kind: str) -> msgspec.msgpack.Decoder[RowsPage[Any]]:
    return msgspec.msgpack.Decoder(RowsPage[PARSERS[kind][1]])


def unpacked(kind: str, data: bytes) -> RowsPage[Any]:
    """What ``packed(kind, raw)`` encoded, as ``PARSERS[kind]`` returns it (in the syncing process)."""
    return _decoder(kind).decode(data)
