"""Xero streams: contacts, invoices (with lines and payments), payments, credit notes, and the
organisation's settings. Each reads pages from its cursor (``UpdatedDateUTC`` of the last stored
record, re-read from one second earlier: Xero's If-Modified-Since is accurate to the second) and
stores a page in bulk, skipping records whose ``UpdatedDateUTC`` we already have.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.domain.events import InvoiceState, invoice_events, payment_event
from bot.domain.names import email_domain, name_key
from bot.store.mirror import XeroContact, XeroCreditNote, XeroInvoice, XeroInvoiceLine, XeroPayment
from bot.store.upsert import insert_rows
from bot.sync.engine import Page, Stored
from bot.sync.failures import RecordFailure
from integrations.xero import XeroClient, XeroNotFound
from integrations.xero import pages as xero_pages
from integrations.xero.models import Contact, CreditNote, Invoice, Payment

SOURCE = "xero"
OVERLAP = timedelta(seconds=1)
SALES_ONLY = 'Type=="ACCREC"'
log = logging.getLogger(__name__)


def parse_cursor(cursor: str | None) -> datetime | None:
    return datetime.fromisoformat(cursor) - OVERLAP if cursor else None


def _cursor(items: Sequence[Any]) -> str | None:
    stamps = [item.updated_date_utc for item in items if item.updated_date_utc is not None]
    return max(stamps).isoformat() if stamps else None


def _failures(entity: str, page: xero_pages.Page[Any]) -> list[RecordFailure]:
    return [RecordFailure(SOURCE, entity, f.record_id or f"page-{page.number}", f"Xero sent a record Paidup can't "
                          f"read: {f.error}") for f in page.failures]


def _known(session: Session, model: type, ids: Sequence[str], *columns: Any) -> dict[str, Any]:
    rows = session.execute(select(model.id, *columns).where(model.id.in_(list(ids)))).all()
    return {row[0]: row for row in rows}


class XeroStream:
    source = SOURCE
    entity = ""

    def __init__(self, xero: XeroClient, *, initial: bool = False, ids: Sequence[str] = (),
                 reconcile: bool = False) -> None:
        self.xero = xero
        self.initial = initial  # first sync ever: changes are history, not news
        self.ids = list(ids)  # a targeted fetch (webhooks, retries) instead of a cursor pull
        self.reconcile = reconcile  # compare content, not UpdatedDateUTC (which some changes don't bump)


# --- contacts ------------------------------------------------------------------------------


def contact_row(contact: Contact, now: datetime) -> dict[str, Any]:
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
        "updated_at_xero": contact.updated_date_utc, "synced_at": now,
    }


class ContactStream(XeroStream):
    entity = "contacts"

    def pages(self, cursor: str | None) -> Iterator[Page]:
        pages = (self.xero.contact_pages(ids=self.ids, include_archived=True) if self.ids else
                 self.xero.contact_pages(modified_since=parse_cursor(cursor), include_archived=True))
        for page in pages:
            yield Page(page.items, _failures(self.entity, page))

    def store(self, session: Session, page: Page, now: datetime) -> Stored:
        contacts: list[Contact] = list(page.items)
        known = _known(session, XeroContact, [c.contact_id for c in contacts], XeroContact.updated_at_xero)
        stored = Stored(synced_ids=[c.contact_id for c in contacts], cursor=None if self.ids else _cursor(contacts))
        new, changed = [], []
        for contact in contacts:
            row = contact_row(contact, now)
            if contact.contact_id not in known:
                new.append(row)
            elif known[contact.contact_id][1] != contact.updated_date_utc or self.ids:
                changed.append(row)
        if new:
            insert_rows(session, XeroContact.__table__, new)
        if changed:
            session.execute(update(XeroContact), changed)
        stored.created, stored.updated = len(new), len(changed)
        return stored


# --- invoices ------------------------------------------------------------------------------


def invoice_row(invoice: Invoice, now: datetime) -> dict[str, Any]:
    return {
        "id": invoice.invoice_id, "number": invoice.invoice_number, "type": invoice.type,
        "contact_id": invoice.contact.contact_id if invoice.contact else "", "status": invoice.status,
        "date": invoice.date, "due_date": invoice.due_date, "currency": invoice.currency_code or "",
        "currency_rate": invoice.currency_rate, "line_amount_types": invoice.line_amount_types,
        "reference": invoice.reference, "sub_total": invoice.sub_total or 0, "total_tax": invoice.total_tax or 0,
        "total": invoice.total or 0, "amount_due": invoice.amount_due or 0, "amount_paid": invoice.amount_paid or 0,
        "amount_credited": invoice.amount_credited or 0, "fully_paid_on": invoice.fully_paid_on_date,
        "sent_to_contact": bool(invoice.sent_to_contact), "updated_at_xero": invoice.updated_date_utc,
        "synced_at": now,
    }


def line_rows(invoice: Invoice) -> list[dict[str, Any]]:
    return [{"invoice_id": invoice.invoice_id, "position": n, "line_item_id": line.line_item_id,
             "description": line.description, "quantity": line.quantity, "unit_amount": line.unit_amount,
             "discount_rate": line.discount_rate, "item_code": line.item_code, "account_code": line.account_code,
             "tax_type": line.tax_type, "tax_amount": line.tax_amount, "line_amount": line.line_amount}
            for n, line in enumerate(invoice.line_items)]


def _tracked(row: dict[str, Any]) -> tuple[Any, ...]:
    """What a reconcile compares when UpdatedDateUTC did not move (the columns ``store`` loads)."""
    return (row["number"], row["status"], row["amount_paid"], row["amount_due"], row["currency"], row["due_date"])


def _state(row: dict[str, Any]) -> InvoiceState:
    return InvoiceState(row["id"], row["number"], row["status"], row["amount_paid"], row["amount_due"],
                        row["currency"], row["due_date"])


class InvoiceStream(XeroStream):
    entity = "invoices"

    def pages(self, cursor: str | None) -> Iterator[Page]:
        pages = (self.xero.invoice_pages(ids=self.ids) if self.ids else
                 self.xero.invoice_pages(modified_since=parse_cursor(cursor), where=SALES_ONLY))
        for page in pages:
            yield Page([i for i in page.items if i.type == "ACCREC"], _failures(self.entity, page))

    def store(self, session: Session, page: Page, now: datetime) -> Stored:
        invoices: list[Invoice] = list(page.items)
        cols = (XeroInvoice.updated_at_xero, XeroInvoice.number, XeroInvoice.status, XeroInvoice.amount_paid,
                XeroInvoice.amount_due, XeroInvoice.currency, XeroInvoice.due_date)
        known = _known(session, XeroInvoice, [i.invoice_id for i in invoices], *cols)
        stored = Stored(synced_ids=[i.invoice_id for i in invoices], cursor=None if self.ids else _cursor(invoices))
        new, changed, lines = [], [], []
        for invoice in invoices:
            if not invoice.contact:
                stored.failures.append(RecordFailure(SOURCE, self.entity, invoice.invoice_id, "invoice has no contact",
                                                     invoice.invoice_number))
                continue
            row = invoice_row(invoice, now)
            before = known.get(invoice.invoice_id)
            if before is not None and before[1] == invoice.updated_date_utc and not self.ids and (
                    not self.reconcile or tuple(before[2:]) == _tracked(row)):
                continue
            (new if before is None else changed).append(row)
            lines += line_rows(invoice)
            previous = InvoiceState(before[0], *before[2:]) if before is not None else None
            stored.events += invoice_events(previous, _state(row))
        failed = {f.record_id for f in stored.failures}
        stored.synced_ids = [i for i in stored.synced_ids if i not in failed]
        touched = [row["id"] for row in new + changed]
        if changed:
            session.execute(update(XeroInvoice), changed)
            session.execute(delete(XeroInvoiceLine).where(XeroInvoiceLine.invoice_id.in_(touched)))
        if new:
            insert_rows(session, XeroInvoice.__table__, new)
        if lines:
            insert_rows(session, XeroInvoiceLine.__table__, lines)
        stored.created, stored.updated = len(new), len(changed)
        touched_ids = set(touched)
        payments = [(p, i) for i in invoices if i.invoice_id in touched_ids for p in i.payments]
        stored.events += store_payments(session, [p for p, _ in payments], now,
                                        invoices={p.payment_id: i for p, i in payments})
        if self.initial:
            stored.events = []
        return stored


# --- payments and credit notes -------------------------------------------------------------


def store_payments(session: Session, payments: Sequence[Payment], now: datetime,
                   invoices: dict[str, Invoice] | None = None) -> list:
    """Upsert payments (from /Payments or nested in invoices); events for the ones new to us."""
    invoices = invoices or {}
    known = _known(session, XeroPayment, [p.payment_id for p in payments], XeroPayment.updated_at_xero)
    events, new, changed = [], [], []
    for payment in payments:
        parent = invoices.get(payment.payment_id)
        invoice_id = payment.invoice.invoice_id if payment.invoice else parent.invoice_id if parent else None
        currency = (payment.invoice.currency_code if payment.invoice else None) or (
            parent.currency_code if parent else None)
        row = {"id": payment.payment_id, "invoice_id": invoice_id, "date": payment.date,
               "amount": payment.amount or 0, "currency": currency, "reference": payment.reference,
               "status": payment.status or "AUTHORISED", "payment_type": payment.payment_type,
               "updated_at_xero": payment.updated_date_utc, "synced_at": now}
        if payment.payment_id not in known:
            new.append(row)
            if row["status"] != "DELETED" and (payment.payment_type in (None, "ACCRECPAYMENT")):
                events.append(payment_event(payment.payment_id, invoice_id, row["amount"], currency, payment.date))
        elif payment.updated_date_utc is None or known[payment.payment_id][1] != payment.updated_date_utc:
            changed.append({k: v for k, v in row.items() if v is not None or k in ("reference",)})
    if new:
        insert_rows(session, XeroPayment.__table__, new)
    if changed:
        session.execute(update(XeroPayment), changed)
    return events


class PaymentStream(XeroStream):
    entity = "payments"

    def pages(self, cursor: str | None) -> Iterator[Page]:
        for page in self.xero.payment_pages(modified_since=parse_cursor(cursor)):
            items = [p for p in page.items if p.payment_type in (None, "ACCRECPAYMENT", "ARCREDITPAYMENT")]
            yield Page(items, _failures(self.entity, page))

    def store(self, session: Session, page: Page, now: datetime) -> Stored:
        payments: list[Payment] = list(page.items)
        events = store_payments(session, payments, now)
        return Stored(created=len(events), synced_ids=[p.payment_id for p in payments], cursor=_cursor(payments),
                      events=[] if self.initial else events)


class CreditNoteStream(XeroStream):
    entity = "credit_notes"

    def pages(self, cursor: str | None) -> Iterator[Page]:
        try:
            for page in self.xero.credit_note_pages(modified_since=parse_cursor(cursor)):
                yield Page([c for c in page.items if c.type in (None, "ACCRECCREDIT")], _failures(self.entity, page))
        except XeroNotFound as exc:  # a Xero that does not serve CreditNotes: none to mirror, the rest syncs
            log.warning("xero.credit_notes_not_served", extra={"error": str(exc)})

    def store(self, session: Session, page: Page, now: datetime) -> Stored:
        notes: list[CreditNote] = list(page.items)
        known = _known(session, XeroCreditNote, [n.credit_note_id for n in notes])
        rows = [{"id": n.credit_note_id, "number": n.credit_note_number, "type": n.type or "ACCRECCREDIT",
                 "contact_id": n.contact.contact_id if n.contact else None, "status": n.status or "DRAFT",
                 "date": n.date, "currency": n.currency_code or "", "total": n.total or 0,
                 "remaining_credit": n.remaining_credit or 0, "updated_at_xero": n.updated_date_utc,
                 "synced_at": now} for n in notes]
        new = [r for r in rows if r["id"] not in known]
        changed = [r for r in rows if r["id"] in known]
        if new:
            insert_rows(session, XeroCreditNote.__table__, new)
        if changed:
            session.execute(update(XeroCreditNote), changed)
        return Stored(created=len(new), updated=len(changed), synced_ids=[r["id"] for r in rows],
                      cursor=_cursor(notes))
