"""An account's receivables read from the mirror: open invoices, the last payment, open credit,
closed-won deals not yet invoiced. Plain data out; the status service composes it.

Every question reads these, so they are Core statements built once at import, with bound
parameters (``contacts`` expands to the contact ids), run on the caller's connection: SQLAlchemy
then only looks up the compiled form, where building an ORM ``select()`` per call and loading
entities cost ~10x the query itself (bench/answers.py). Sums and counts are done in SQL; only the
invoices shown are fetched as rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, case, func, literal_column, null, select, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bot.domain.aging import days_overdue
from bot.domain.money import Money
from bot.domain.xero_links import invoice_deep_link
from bot.store.mirror import SfOpportunity, XeroCreditNote, XeroInvoice, XeroOrganisation, XeroPayment

OPEN_STATUS = "AUTHORISED"
SALES_INVOICE = "ACCREC"
CONTACTS = bindparam("contacts", expanding=True)  # the account's Xero contact ids


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
class Balances:
    """An account's open invoices and open credit, summed per currency in one statement."""

    count: int  # open invoices
    due: list[Money]
    overdue: list[Money]
    credit: list[Money]  # credit notes' credit not yet allocated


INVOICE_COLUMNS = (XeroInvoice.id, XeroInvoice.number, XeroInvoice.status, XeroInvoice.currency, XeroInvoice.date,
                   XeroInvoice.due_date, XeroInvoice.total, XeroInvoice.amount_paid, XeroInvoice.amount_due,
                   XeroInvoice.reference, XeroInvoice.fully_paid_on, XeroInvoice.online_url)
OPEN_INVOICES = (XeroInvoice.contact_id.in_(CONTACTS), XeroInvoice.type == SALES_INVOICE,
                 XeroInvoice.status == OPEN_STATUS, XeroInvoice.amount_due > 0)
SHORT_CODE = select(XeroOrganisation.short_code).limit(1)
INVOICE_BY_ID = select(*INVOICE_COLUMNS).where(XeroInvoice.id == bindparam("invoice_id"))
# Overdue: due strictly before today (bot.domain.aging.days_overdue > 0).
BALANCES = union_all(
    select(literal_column("'invoices'").label("kind"), XeroInvoice.currency, func.count().label("n"),
           func.sum(XeroInvoice.amount_due).label("amount"),
           func.sum(case((XeroInvoice.due_date < bindparam("today"), XeroInvoice.amount_due))).label("overdue"))
    .where(*OPEN_INVOICES).group_by(XeroInvoice.currency),
    select(literal_column("'credit'"), XeroCreditNote.currency, func.count(), func.sum(XeroCreditNote.remaining_credit),
           null())
    .where(XeroCreditNote.contact_id.in_(CONTACTS), XeroCreditNote.status == "AUTHORISED",
           XeroCreditNote.remaining_credit > 0)
    .group_by(XeroCreditNote.currency))
LAST_PAYMENT = (
    select(XeroPayment.id, XeroPayment.date, XeroPayment.amount, XeroPayment.currency,
           XeroInvoice.currency.label("invoice_currency"), XeroInvoice.id.label("invoice_id"), XeroInvoice.number,
           XeroPayment.reference)
    .join(XeroInvoice, XeroInvoice.id == XeroPayment.invoice_id)
    .where(XeroInvoice.contact_id.in_(CONTACTS), XeroInvoice.type == SALES_INVOICE, XeroPayment.status != "DELETED")
    .order_by(XeroPayment.date.desc(), XeroPayment.id).limit(1))
# coalesce(), not "IS NULL OR = ''": with the OR, SQLite reads every uninvoiced deal through the
# invoice-number index (~25 ms at 50,000 opportunities) instead of this account's few by account_id.
UNINVOICED_DEALS = (
    select(SfOpportunity.id, SfOpportunity.name, SfOpportunity.amount, SfOpportunity.currency,
           SfOpportunity.close_date, SfOpportunity.has_line_items)
    .where(SfOpportunity.account_id == bindparam("account_id"), SfOpportunity.is_won.is_(True),
           SfOpportunity.is_deleted.is_(False), func.coalesce(SfOpportunity.xero_invoice_number, "") == "")
    .order_by(SfOpportunity.close_date.desc().nulls_last(), SfOpportunity.id).limit(bindparam("limit")))


@cache
def _shown_invoices(limit: int) -> Select[Any]:
    return (select(*INVOICE_COLUMNS).where(*OPEN_INVOICES)
            .order_by(XeroInvoice.due_date.is_(None), XeroInvoice.due_date, XeroInvoice.number).limit(limit))


def organisation_short_code(session: Session | Connection) -> str | None:
    return session.scalar(SHORT_CODE)


def summarise_invoice(invoice: Any, today: date, short_code: str | None) -> InvoiceSummary:
    """From an ``XeroInvoice`` or a row of ``INVOICE_COLUMNS``."""
    overdue = days_overdue(invoice.due_date, today) if invoice.status == OPEN_STATUS else 0
    code = invoice.currency
    return InvoiceSummary(
        invoice.id, invoice.number, invoice.status, code, invoice.date, invoice.due_date, overdue,
        Money(code, invoice.total), Money(code, invoice.amount_paid), Money(code, invoice.amount_due),
        invoice.reference, invoice.fully_paid_on, short_code, invoice_deep_link(short_code, invoice.id),
        invoice.online_url)


def balances(connection: Connection, contact_ids: tuple[str, ...], today: date) -> Balances:
    """Open invoices' count and amounts due and overdue, and open credit, each per currency."""
    if not contact_ids:
        return Balances(0, [], [], [])
    count, due, overdue, credit = 0, [], [], []
    for kind, currency, n, amount, overdue_amount in sorted(
            connection.execute(BALANCES, {"contacts": list(contact_ids), "today": today})):
        if kind == "credit":
            credit.append(Money(currency, amount))
            continue
        count += n
        due.append(Money(currency, amount))
        if overdue_amount is not None:
            overdue.append(Money(currency, overdue_amount))
    return Balances(count, due, overdue, credit)


def shown_invoices(connection: Connection, contact_ids: tuple[str, ...], today: date, limit: int,
                   short_code: str | None) -> list[InvoiceSummary]:
    """Authorised sales invoices with money still due, most overdue first, at most ``limit``."""
    if not contact_ids:
        return []
    rows = connection.execute(_shown_invoices(limit), {"contacts": list(contact_ids)})
    return [summarise_invoice(row, today, short_code) for row in rows]


def invoice_by_id(connection: Connection, invoice_id: str, today: date,
                  short_code: str | None) -> InvoiceSummary | None:
    row = connection.execute(INVOICE_BY_ID, {"invoice_id": invoice_id}).first()
    return summarise_invoice(row, today, short_code) if row else None


def last_payment(connection: Connection, contact_ids: tuple[str, ...]) -> PaymentSummary | None:
    """The most recent payment against any of these contacts' sales invoices."""
    if not contact_ids:
        return None
    row = connection.execute(LAST_PAYMENT, {"contacts": list(contact_ids)}).first()
    if row is None:
        return None
    payment_id, paid_on, amount, currency, invoice_currency, invoice_id, number, reference = row
    return PaymentSummary(payment_id, paid_on, Money(currency or invoice_currency, amount), invoice_id, number,
                          reference or None)


def uninvoiced_deals(connection: Connection, sf_account_id: str | None, limit: int) -> list[UninvoicedDeal]:
    """Closed-won opportunities with no Xero invoice number written back yet, newest first."""
    if sf_account_id is None:
        return []
    rows = connection.execute(UNINVOICED_DEALS, {"account_id": sf_account_id, "limit": limit})
    return [UninvoicedDeal(o.id, o.name, Money(o.currency, o.amount) if o.amount is not None else None,
                           o.close_date, o.has_line_items) for o in rows]
