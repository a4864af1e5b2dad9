"""Xero streams: contacts, invoices (with lines and payments), payments, credit notes, and the
organisation's settings. Each reads pages from its cursor (``UpdatedDateUTC`` of the last stored
record, re-read from one second earlier: Xero's If-Modified-Since is accurate to the second) and
stores a page in bulk, skipping records whose ``UpdatedDateUTC`` we already have.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import ARRAY, String, any_, bindparam, delete, func, literal_column, select
from sqlalchemy.orm import Session

from bot.domain.events import Event, InvoiceState, invoice_events, payment_event
from bot.store.mirror import XeroContact, XeroCreditNote, XeroInvoice, XeroInvoiceLine, XeroPayment
from bot.store.upsert import insert_rows, update_rows
from bot.sync import workers, xero_rows
from bot.sync.engine import Page, Stored
from bot.sync.failures import RecordFailure
from bot.sync.xero_rows import InvoiceRecord, contact_values, invalid_records, latest
from integrations.xero import XeroClient, XeroNotFound
from integrations.xero import pages as xero_pages
from integrations.xero.models import Contact, CreditNote
from integrations.xero.pages import CONTACTS, INVOICES, PAYMENTS

SOURCE = "xero"
OVERLAP = timedelta(seconds=1)
SALES_ONLY = 'Type=="ACCREC"'
PARALLEL_FROM = 1000  # records in a page from which pages of invoices are parsed in the worker process
log = logging.getLogger(__name__)


def parse_cursor(cursor: str | None) -> datetime | None:
    return datetime.fromisoformat(cursor) - OVERLAP if cursor else None


def _cursor(items: Sequence[Any]) -> str | None:
    return latest([item.updated_date_utc for item in items])


def _failures(entity: str, page: xero_pages.Page[Any]) -> list[RecordFailure]:
    return [RecordFailure(SOURCE, entity, *failure) for failure in invalid_records(page)]


def _ids_in(session: Session, column: Any, ids: Sequence[str]) -> Any:
    """``column IN ids`` as one bound value: a JSON array read by json_each on SQLite, ``= ANY(array)``
    on PostgreSQL. A plain IN of a page's 1,000 ids makes SQLAlchemy name and bind 1,000 parameters
    per query (~20 ms a page)."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        listed = select(literal_column("value")).select_from(func.json_each(bindparam("ids", json.dumps(list(ids)))))
        return column.in_(listed)
    if dialect == "postgresql":
        return column == any_(bindparam("ids", list(ids), type_=ARRAY(String)))
    return column.in_(list(ids))


def _known(session: Session, model: type, ids: Sequence[str], *columns: Any) -> dict[str, Any]:
    if not ids:
        return {}
    rows = session.execute(select(model.id, *columns).where(_ids_in(session, model.id, ids))).all()
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
    return {**contact_values(contact), "synced_at": now}


def _full_page(raw: xero_pages.RawPage[Any]) -> bool:
    """A full page (more are coming): worth parsing in the worker process."""
    return raw.raw_count >= PARALLEL_FROM


def _rows_pages(entity: str, raws: Iterator[xero_pages.RawPage[Any]]) -> Iterator[Page]:
    """Raw pages parsed by ``xero_rows.PARSERS[entity]``, in the worker when they are full."""
    remote = (partial(xero_rows.packed, entity), partial(xero_rows.unpacked, entity))
    for rows in workers.ordered(raws, xero_rows.PARSERS[entity][0], parallel=_full_page, remote=remote):
        yield Page(rows.items, [RecordFailure(SOURCE, entity, *f) for f in rows.invalid], rows.cursor)


class ContactStream(XeroStream):
    entity = "contacts"

    def pages(self, cursor: str | None) -> Iterator[Page]:
        raws = (self.xero.raw_pages(CONTACTS, filters={"IDs": self.ids}, includeArchived=True) if self.ids else
                self.xero.raw_pages(CONTACTS, modified_since=parse_cursor(cursor), includeArchived=True))
        return _rows_pages(self.entity, raws)

    def store(self, session: Session, page: Page, now: datetime) -> Stored:
        rows: list[dict[str, Any]] = list(page.items)
        known = _known(session, XeroContact, [r["id"] for r in rows], XeroContact.updated_at_xero)
        stored = Stored(synced_ids=[r["id"] for r in rows], cursor=None if self.ids else page.cursor)
        new, changed = [], []
        for row in rows:
            row["synced_at"] = now
            if row["id"] not in known:
                new.append(row)
            elif known[row["id"]][1] != row["updated_at_xero"] or self.ids:
                changed.append(row)
        if new:
            insert_rows(session, XeroContact.__table__, new)
        if changed:
            update_rows(session, XeroContact.__table__, changed)
        stored.created, stored.updated = len(new), len(changed)
        return stored


# --- invoices ------------------------------------------------------------------------------


def _tracked(row: dict[str, Any]) -> tuple[Any, ...]:
    """What a reconcile compares when UpdatedDateUTC did not move (the columns ``store`` loads)."""
    return (row["number"], row["status"], row["amount_paid"], row["amount_due"], row["currency"], row["due_date"])


def _state(row: dict[str, Any]) -> InvoiceState:
    return InvoiceState(row["id"], row["number"], row["status"], row["amount_paid"], row["amount_due"],
                        row["currency"], row["due_date"])


class InvoiceStream(XeroStream):
    entity = "invoices"

    def pages(self, cursor: str | None) -> Iterator[Page]:
        raws = (self.xero.raw_pages(INVOICES, filters={"IDs": self.ids}) if self.ids else
                self.xero.raw_pages(INVOICES, modified_since=parse_cursor(cursor), where=SALES_ONLY))
        return _rows_pages(self.entity, raws)

    def store(self, session: Session, page: Page, now: datetime) -> Stored:
        invoices: list[InvoiceRecord] = list(page.items)
        cols = (XeroInvoice.updated_at_xero, XeroInvoice.number, XeroInvoice.status, XeroInvoice.amount_paid,
                XeroInvoice.amount_due, XeroInvoice.currency, XeroInvoice.due_date)
        known = _known(session, XeroInvoice, [i.id for i in invoices], *cols)
        stored = Stored(synced_ids=[i.id for i in invoices], cursor=None if self.ids else page.cursor)
        news = not self.initial  # a first sync's changes are history, not news
        new, changed, lines, payments = [], [], [], []
        for invoice in invoices:
            row = invoice.row
            before = known.get(invoice.id)
            if before is not None and before[1] == invoice.updated and not self.ids and (
                    not self.reconcile or tuple(before[2:]) == _tracked(row)):
                continue
            row["synced_at"] = now
            (new if before is None else changed).append(row)
            lines += invoice.lines
            payments += invoice.payments
            if news:
                previous = InvoiceState(before[0], *before[2:]) if before is not None else None
                stored.events += invoice_events(previous, _state(row))
        if changed:
            update_rows(session, XeroInvoice.__table__, changed)
            session.execute(delete(XeroInvoiceLine).where(XeroInvoiceLine.invoice_id.in_([r["id"] for r in changed])))
        if new:
            insert_rows(session, XeroInvoice.__table__, new)
        if lines:
            insert_rows(session, XeroInvoiceLine.__table__, lines)
        stored.created, stored.updated = len(new), len(changed)
        events = store_payments(session, payments, now)
        if news:
            stored.events += events
        return stored


# --- payments and credit notes -------------------------------------------------------------


def store_payments(session: Session, rows: Sequence[dict[str, Any]], now: datetime) -> list[Event]:
    """Upsert payment rows (from /Payments or nested in invoices); events for the ones new to us."""
    known = _known(session, XeroPayment, [r["id"] for r in rows], XeroPayment.updated_at_xero)
    events, new, changed = [], [], []
    for row in rows:
        row["synced_at"] = now
        if row["id"] not in known:
            new.append(row)
            if row["status"] != "DELETED" and (row["payment_type"] in (None, "ACCRECPAYMENT")):
                events.append(payment_event(row["id"], row["invoice_id"], row["amount"], row["currency"],
                                            row["date"]))
        elif row["updated_at_xero"] is None or known[row["id"]][1] != row["updated_at_xero"]:
            changed.append({k: v for k, v in row.items() if v is not None or k in ("reference",)})
    if new:
        insert_rows(session, XeroPayment.__table__, new)
    if changed:
        update_rows(session, XeroPayment.__table__, changed)
    return events


class PaymentStream(XeroStream):
    entity = "payments"

    def pages(self, cursor: str | None) -> Iterator[Page]:
        return _rows_pages(self.entity, self.xero.raw_pages(PAYMENTS, modified_since=parse_cursor(cursor)))

    def store(self, session: Session, page: Page, now: datetime) -> Stored:
        rows: list[dict[str, Any]] = list(page.items)
        events = store_payments(session, rows, now)
        return Stored(created=len(events), synced_ids=[r["id"] for r in rows], cursor=page.cursor,
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
            update_rows(session, XeroCreditNote.__table__, changed)
        return Stored(created=len(new), updated=len(changed), synced_ids=[r["id"] for r in rows],
                      cursor=_cursor(notes))
