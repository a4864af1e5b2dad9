"""What people ask of alerts: snooze an overdue invoice, note a promise to pay, and "remind me when
paid". Stored in ``InvoiceFollowUp`` and ``PaymentWatch``; read by the digest and the notices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import select

from bot.store.mirror import XeroContact, XeroInvoice
from bot.store.session import Database
from bot.store.state import InvoiceFollowUp, PaymentWatch
from bot.store.upsert import insert_ignoring_duplicates

SNOOZE_DAYS = 7
PROMISE_MAX_DAYS = 366


class FollowUpRefused(ValueError):
    """A follow-up that can't be stored, in words for the person who asked."""


@dataclass(frozen=True)
class FollowUp:
    invoice_id: str
    invoice_number: str | None
    account_name: str
    kind: Literal["snooze", "promise"]
    until: date  # hidden from digests up to and including this day


@dataclass(frozen=True)
class Watch:
    """Who will be told when which invoices are paid."""

    user_id: str
    invoices: list[tuple[str, str | None]]  # (id, number) now watched
    already_paid: list[str | None]  # numbers of those that were paid already: nothing to watch


def _invoice(db: Database, invoice_id: str) -> tuple[str | None, str]:
    """(number, contact name) of a mirrored invoice; refused if unknown."""
    with db.session() as s:
        row = s.execute(select(XeroInvoice.number, XeroContact.name)
                        .outerjoin(XeroContact, XeroContact.id == XeroInvoice.contact_id)
                        .where(XeroInvoice.id == invoice_id)).first()
    if row is None:
        raise FollowUpRefused("That invoice is no longer in Paidup's copy of Xero.")
    return row[0], row[1] or ""


def follow_up(db: Database, invoice_id: str, kind: Literal["snooze", "promise"], until: date, user_id: str,
              today: date, now: datetime) -> FollowUp:
    """Hide an invoice from overdue digests until ``until`` (a snooze, or the promised payment date)."""
    if until < today:
        raise FollowUpRefused(f"{until.isoformat()} is in the past; pick today or a later date.")
    if until > today + timedelta(days=PROMISE_MAX_DAYS):
        raise FollowUpRefused("Pick a date within a year.")
    number, name = _invoice(db, invoice_id)
    with db.session() as s:
        s.add(InvoiceFollowUp(invoice_id=invoice_id, kind=kind, until=until, by_user=user_id, created_at=now))
    return FollowUp(invoice_id, number, name, kind, until)


def hidden_invoices(db: Database, today: date) -> dict[str, InvoiceFollowUp]:
    """Invoices snoozed or promised up to today or later: {invoice id: the follow-up that lasts longest}."""
    with db.session() as s:
        rows = s.scalars(select(InvoiceFollowUp).where(InvoiceFollowUp.until >= today)).all()
    hidden: dict[str, InvoiceFollowUp] = {}
    for row in rows:
        if row.invoice_id not in hidden or hidden[row.invoice_id].until < row.until:
            hidden[row.invoice_id] = row
    return hidden


def missed_promises(db: Database, today: date) -> dict[str, date]:
    """Invoices whose customer promised to pay by a day now past: {invoice id: the latest such date}."""
    with db.session() as s:
        rows = s.execute(select(InvoiceFollowUp.invoice_id, InvoiceFollowUp.until).where(
            InvoiceFollowUp.kind == "promise", InvoiceFollowUp.until < today)).all()
    missed: dict[str, date] = {}
    for invoice_id, until in rows:
        missed[invoice_id] = max(until, missed.get(invoice_id, until))
    return missed


def watch(db: Database, invoice_ids: Iterable[str], user_id: str, now: datetime) -> Watch:
    """"Remind me when paid" for these invoices; paid ones are reported, not watched."""
    ids = list(dict.fromkeys(invoice_ids))
    with db.session() as s:
        rows = s.execute(select(XeroInvoice.id, XeroInvoice.number, XeroInvoice.status, XeroInvoice.amount_due)
                         .where(XeroInvoice.id.in_(ids))).all()
        if not rows:
            raise FollowUpRefused("Those invoices are no longer in Paidup's copy of Xero.")
        open_rows = [(r.id, r.number) for r in rows if r.status == "AUTHORISED" and r.amount_due > 0]
        paid = [r.number for r in rows if r.status == "PAID"]
        insert_ignoring_duplicates(s, PaymentWatch, [{"invoice_id": i, "user_id": user_id, "created_at": now}
                                                     for i, _ in open_rows], ["invoice_id", "user_id"])
        for invoice_id, _ in open_rows:  # watching again after a payment was told: watch anew
            for row in s.scalars(select(PaymentWatch).where(PaymentWatch.invoice_id == invoice_id,
                                                            PaymentWatch.user_id == user_id,
                                                            PaymentWatch.notified_at.is_not(None))):
                row.notified_at = None
    return Watch(user_id, sorted(open_rows, key=lambda r: r[1] or ""), paid)


def watchers(db: Database, invoice_id: str) -> list[str]:
    """Chat users waiting to hear that this invoice is paid."""
    with db.session() as s:
        return list(s.scalars(select(PaymentWatch.user_id).where(PaymentWatch.invoice_id == invoice_id,
                                                                 PaymentWatch.notified_at.is_(None))
                              .order_by(PaymentWatch.user_id)))


def watch_done(db: Database, invoice_id: str, user_id: str, now: datetime) -> None:
    with db.session() as s:
        for row in s.scalars(select(PaymentWatch).where(PaymentWatch.invoice_id == invoice_id,
                                                        PaymentWatch.user_id == user_id)):
            row.notified_at = now
