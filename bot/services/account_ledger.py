"""An account's receivables read from the mirror: open invoices, the last payment, open credit,
closed-won deals not yet invoiced. Plain data out; the status service composes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.domain.aging import days_overdue
from bot.domain.money import Money, totals_by_currency
from bot.domain.xero_links import invoice_deep_link
from bot.store.mirror import SfOpportunity, XeroCreditNote, XeroInvoice, XeroOrganisation, XeroPayment

OPEN_STATUS = "AUTHORISED"
SALES_INVOICE = "ACCREC"


@dataclass(frozen=True)
class InvoiceSummary:
    invoice_id: str
    number: str | None
    status: str  # AUTHORISED, PAID, ...
    currency: str
    date: date | None
    due_date: date | None
    days_overdue: int  # 0 when not overdue
    total: Money
    amount_paid: Money
    amount_due: Money
    reference: str | None
    fully_paid_on: date | None
    xero_short_code: str | None  # organisation short code, for the deep link
    xero_url: str | None  # deep link into the Xero web app
    online_url: str | None  # the customer-facing online invoice, when Xero gave one


@dataclass(frozen=True)
class PaymentSummary:
    payment_id: str
    date: date | None
    amount: Money
    invoice_id: str | None
    invoice_number: str | None
    reference: str | None


@dataclass(frozen=True)
class UninvoicedDeal:
    opportunity_id: str
    name: str
    amount: Money | None
    close_date: date | None
    has_line_items: bool


@dataclass(frozen=True)
class OpenInvoices:
    shown: list[InvoiceSummary]  # most overdue first, at most the limit asked for
    count: int  # all open invoices
    due: list[Money]  # per currency, over all open invoices
    overdue: list[Money]  # per currency, the overdue part of ``due``


def organisation_short_code(session: Session) -> str | None:
    return session.scalar(select(XeroOrganisation.short_code).limit(1))


def summarise_invoice(invoice: XeroInvoice, today: date, short_code: str | None) -> InvoiceSummary:
    overdue = days_overdue(invoice.due_date, today) if invoice.status == OPEN_STATUS else 0
    code = invoice.currency
    return InvoiceSummary(
        invoice.id, invoice.number, invoice.status, code, invoice.date, invoice.due_date, overdue,
        Money(code, invoice.total), Money(code, invoice.amount_paid), Money(code, invoice.amount_due),
        invoice.reference, invoice.fully_paid_on, short_code, invoice_deep_link(short_code, invoice.id),
        invoice.online_url)


def open_invoices(session: Session, contact_ids: tuple[str, ...], today: date, limit: int) -> OpenInvoices:
    """Authorised sales invoices with money still due, most overdue first."""
    if not contact_ids:
        return OpenInvoices([], 0, [], [])
    rows = session.scalars(select(XeroInvoice).where(
        XeroInvoice.contact_id.in_(contact_ids), XeroInvoice.type == SALES_INVOICE,
        XeroInvoice.status == OPEN_STATUS, XeroInvoice.amount_due > 0)
        .order_by(XeroInvoice.due_date.is_(None), XeroInvoice.due_date, XeroInvoice.number)).all()
    short_code = organisation_short_code(session)
    due = totals_by_currency(Money(i.currency, i.amount_due) for i in rows)
    overdue = totals_by_currency(Money(i.currency, i.amount_due) for i in rows
                                 if days_overdue(i.due_date, today) > 0)
    return OpenInvoices([summarise_invoice(i, today, short_code) for i in rows[:limit]], len(rows), due, overdue)


def invoice_by_id(session: Session, invoice_id: str, today: date) -> InvoiceSummary | None:
    invoice = session.get(XeroInvoice, invoice_id)
    return summarise_invoice(invoice, today, organisation_short_code(session)) if invoice else None


def last_payment(session: Session, contact_ids: tuple[str, ...]) -> PaymentSummary | None:
    """The most recent payment against any of these contacts' sales invoices."""
    if not contact_ids:
        return None
    row = session.execute(
        select(XeroPayment.id, XeroPayment.date, XeroPayment.amount, XeroPayment.currency, XeroInvoice.currency,
               XeroInvoice.id, XeroInvoice.number, XeroPayment.reference)
        .join(XeroInvoice, XeroInvoice.id == XeroPayment.invoice_id)
        .where(XeroInvoice.contact_id.in_(contact_ids), XeroInvoice.type == SALES_INVOICE,
               XeroPayment.status != "DELETED")
        .order_by(XeroPayment.date.desc(), XeroPayment.id).limit(1)).first()
    if row is None:
        return None
    payment_id, paid_on, amount, currency, invoice_currency, invoice_id, number, reference = row
    return PaymentSummary(payment_id, paid_on, Money(currency or invoice_currency, amount), invoice_id, number,
                          reference or None)


def open_credit(session: Session, contact_ids: tuple[str, ...]) -> list[Money]:
    """Credit not yet allocated, per currency."""
    if not contact_ids:
        return []
    rows = session.execute(
        select(XeroCreditNote.currency, func.sum(XeroCreditNote.remaining_credit))
        .where(XeroCreditNote.contact_id.in_(contact_ids), XeroCreditNote.status == "AUTHORISED",
               XeroCreditNote.remaining_credit > 0)
        .group_by(XeroCreditNote.currency)).all()
    return totals_by_currency(Money(code, Decimal(total)) for code, total in rows)


def uninvoiced_deals(session: Session, sf_account_id: str | None, limit: int) -> list[UninvoicedDeal]:
    """Closed-won opportunities with no Xero invoice number written back yet, newest first."""
    if sf_account_id is None:
        return []
    rows = session.scalars(select(SfOpportunity).where(
        SfOpportunity.account_id == sf_account_id, SfOpportunity.is_won.is_(True),
        SfOpportunity.is_deleted.is_(False),
        or_(SfOpportunity.xero_invoice_number.is_(None), SfOpportunity.xero_invoice_number == ""))
        .order_by(SfOpportunity.close_date.desc(), SfOpportunity.id).limit(limit)).all()
    return [UninvoicedDeal(o.id, o.name, Money(o.currency, o.amount) if o.amount is not None else None,
                           o.close_date, o.has_line_items) for o in rows]
