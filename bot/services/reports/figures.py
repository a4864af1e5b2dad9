"""The report's figures, summed in SQL over the mirror.

Money columns are scaled integers (``bot.store.base``), so every ``SUM()`` here is exact on SQLite
and PostgreSQL alike and comes back as a ``Decimal``; rows are always grouped by currency, never
added across currencies. Date conditions are bound as dates computed in Python (no SQL date
arithmetic), so the same statements run on both databases.

Who owns what (the same rule as the overdue list, ``bot.services.overdue``):
- an invoice: the owner of the opportunity invoiced with it (``xero_invoice_number``; the latest
  close date wins when several name it), else the owner of the Salesforce account linked to its
  contact (the first linked account by id); an owner who is not a Salesforce user in the mirror,
  or none, is "Unassigned";
- a payment: the owner of the invoice it pays;
- an opportunity: its owner.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import FromClause

from bot.store.base import Money as MoneyType
from bot.store.mirror import SfAccount, SfOpportunity, SfUser, XeroContact, XeroInvoice, XeroPayment
from bot.store.state import AccountLink

Scope = Literal["me", "team", "all"]
INVOICED = ("AUTHORISED", "PAID")  # approved sales invoices; drafts, voided and deleted ones don't count
DSO_DAYS = 90
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Window:
    """The dates every figure is computed for."""

    start: date  # the period, inclusive
    end: date
    today: date  # aging and receivables are as of this day
    months_from: date  # the first day of the monthly chart's first month


@dataclass(frozen=True)
class Who:
    """Whose records: one Salesforce user ("me"), every owner ("team") or everything ("all")."""

    scope: Scope
    sf_user_id: str | None = None


# --- ownership ------------------------------------------------------------------------------


def _invoice_owned() -> tuple[FromClause, ColumnElement[Any]]:
    """Invoices joined to their owner (see the module doc); the owner column is None for Unassigned."""
    deal = (select(SfOpportunity.xero_invoice_number.label("number"), SfOpportunity.owner_id.label("owner_id"),
                   func.row_number().over(partition_by=SfOpportunity.xero_invoice_number,
                                          order_by=(SfOpportunity.close_date.desc(), SfOpportunity.id.desc()))
                   .label("rn"))
            .where(SfOpportunity.xero_invoice_number.is_not(None), SfOpportunity.is_deleted.is_(False))
            .subquery("deal"))
    linked = (select(AccountLink.xero_contact_id.label("contact_id"), SfAccount.owner_id.label("owner_id"),
                     func.row_number().over(partition_by=AccountLink.xero_contact_id, order_by=SfAccount.id)
                     .label("rn"))
              .join(SfAccount, and_(SfAccount.id == AccountLink.sf_account_id, SfAccount.is_deleted.is_(False)))
              .subquery("linked"))
    owner = SfUser.__table__.alias("owner")
    joined = (XeroInvoice.__table__
              .outerjoin(deal, and_(deal.c.number == XeroInvoice.number, deal.c.rn == 1))
              .outerjoin(linked, and_(linked.c.contact_id == XeroInvoice.contact_id, linked.c.rn == 1))
              .outerjoin(owner, owner.c.id == func.coalesce(deal.c.owner_id, linked.c.owner_id)))
    return joined, owner.c.id


def _whose(owner: ColumnElement[Any], who: Who) -> list[ColumnElement[bool]]:
    if who.scope == "me":
        return [owner == who.sf_user_id]
    if who.scope == "team":
        return [owner.is_not(None)]
    return []


def _invoices(who: Who, *columns: Any, by_owner: bool = False) -> tuple[Select[Any], ColumnElement[Any] | None]:
    """SELECT ``columns`` FROM sales invoices, joined to owners only when grouped or filtered by them."""
    if not by_owner and who.scope == "all":
        return select(*columns).select_from(XeroInvoice.__table__), None
    joined, owner = _invoice_owned()
    return select(*columns).select_from(joined).where(*_whose(owner, who)), owner


def _sum(condition: ColumnElement[bool], amount: Any) -> ColumnElement[Decimal]:
    return func.sum(case((condition, amount)), type_=MoneyType())


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(case((condition, 1)))


def _money(value: Decimal | None) -> Decimal:
    return ZERO if value is None else value


# --- invoices: invoiced, receivables, aging, DSO ------------------------------------------------


@dataclass(frozen=True)
class InvoiceRow:
    owner_id: str | None
    currency: str
    invoiced: Decimal  # invoice totals (tax included) dated in the period
    invoiced_count: int
    receivable: Decimal  # amount due on approved invoices, today
    aging: tuple[Decimal, Decimal, Decimal, Decimal, Decimal]  # current, 1–30, 31–60, 61–90, 90+
    overdue_count: int
    sales_dso: Decimal  # invoiced in the DSO_DAYS days up to today


def invoice_rows(session: Session, window: Window, who: Who) -> list[InvoiceRow]:
    today, inv = window.today, XeroInvoice
    approved = inv.status.in_(INVOICED)
    open_ = and_(inv.status == "AUTHORISED", inv.amount_due > 0)
    dso_from = today - timedelta(days=DSO_DAYS - 1)
    in_period = and_(approved, inv.date >= window.start, inv.date <= window.end)
    in_dso = and_(approved, inv.date >= dso_from, inv.date <= today)
    buckets = (
        or_(inv.due_date >= today, inv.due_date.is_(None)),
        and_(inv.due_date < today, inv.due_date >= today - timedelta(days=30)),
        and_(inv.due_date < today - timedelta(days=30), inv.due_date >= today - timedelta(days=60)),
        and_(inv.due_date < today - timedelta(days=60), inv.due_date >= today - timedelta(days=90)),
        inv.due_date < today - timedelta(days=90),
    )
    columns = [inv.currency, _sum(in_period, inv.total), _count(in_period), _sum(open_, inv.amount_due),
               *(_sum(and_(open_, bucket), inv.amount_due) for bucket in buckets),
               _count(and_(open_, inv.due_date < today)), _sum(in_dso, inv.total)]
    query, owner = _invoices(who, *columns, by_owner=True)
    assert owner is not None
    earliest = min(window.start, dso_from)
    query = (query.add_columns(owner)
             .where(inv.type == "ACCREC", approved, or_(open_, and_(inv.date >= earliest, inv.date <= window.end),
                                                        in_dso))
             .group_by(owner, inv.currency))
    rows = []
    for currency, invoiced, n, receivable, b0, b1, b2, b3, b4, overdue_n, sales, owner_id in session.execute(query):
        aging = (_money(b0), _money(b1), _money(b2), _money(b3), _money(b4))
        rows.append(InvoiceRow(owner_id, currency, _money(invoiced), n, _money(receivable), aging, overdue_n,
                               _money(sales)))
    return rows


# --- payments: collected ------------------------------------------------------------------------


def _payments(who: Who, *columns: Any, by_owner: bool = False) -> tuple[Select[Any], ColumnElement[Any] | None]:
    """Authorised payments on sales invoices, each in its invoice's currency (Xero's Payment.Amount is)."""
    if not by_owner and who.scope == "all":
        base = XeroPayment.__table__.join(XeroInvoice.__table__, XeroInvoice.id == XeroPayment.invoice_id)
        query, owner = select(*columns).select_from(base), None
    else:
        joined, owner = _invoice_owned()
        base = XeroPayment.__table__.join(joined, XeroInvoice.id == XeroPayment.invoice_id)
        query = select(*columns).select_from(base).where(*_whose(owner, who))
    return query.where(XeroPayment.status == "AUTHORISED", XeroInvoice.type == "ACCREC"), owner


def collected_rows(session: Session, window: Window, who: Who) -> list[tuple[str | None, str, Decimal]]:
    """(owner, currency, collected in the period)."""
    query, owner = _payments(who, XeroInvoice.currency, func.sum(XeroPayment.amount, type_=MoneyType()),
                             by_owner=True)
    assert owner is not None
    query = (query.add_columns(owner)
             .where(XeroPayment.date >= window.start, XeroPayment.date <= window.end)
             .group_by(owner, XeroInvoice.currency))
    return [(owner_id, currency, _money(total)) for currency, total, owner_id in session.execute(query)]


# --- opportunities: closed-won and not invoiced ---------------------------------------------------


def _opportunities(who: Who, *columns: Any) -> tuple[Select[Any], ColumnElement[Any]]:
    owner = SfUser.__table__.alias("owner")
    query = (select(*columns, owner.c.id)
             .select_from(SfOpportunity.__table__.outerjoin(owner, owner.c.id == SfOpportunity.owner_id))
             .where(SfOpportunity.is_won.is_(True), SfOpportunity.is_deleted.is_(False), *_whose(owner.c.id, who)))
    return query, owner.c.id


@dataclass(frozen=True)
class DealRow:
    owner_id: str | None
    currency: str
    won: Decimal  # opportunity amounts closed-won in the period
    won_count: int
    at_risk: Decimal  # closed-won (any time) with no Xero invoice number yet
    at_risk_count: int
    at_risk_no_amount: int  # of those, how many have no amount in Salesforce


def deal_rows(session: Session, window: Window, who: Who) -> list[DealRow]:
    opp = SfOpportunity
    won = and_(opp.close_date >= window.start, opp.close_date <= window.end)
    risk = opp.xero_invoice_number.is_(None)
    query, owner = _opportunities(who, opp.currency, _sum(won, opp.amount), _count(won), _sum(risk, opp.amount),
                                  _count(risk), _count(and_(risk, opp.amount.is_(None))))
    query = query.where(or_(won, risk)).group_by(owner, opp.currency)
    return [DealRow(owner_id, currency, _money(w), wn, _money(r), rn, r0)
            for currency, w, wn, r, rn, r0, owner_id in session.execute(query)]


@dataclass(frozen=True)
class UninvoicedDealRow:
    opportunity_id: str
    name: str
    account_name: str | None
    owner_id: str | None
    currency: str
    amount: Decimal | None
    close_date: date | None


def oldest_uninvoiced(session: Session, who: Who, limit: int) -> list[UninvoicedDealRow]:
    """The closed-won deals waiting longest for an invoice."""
    opp = SfOpportunity
    query, _ = _opportunities(who, opp.id, opp.name, SfAccount.name, opp.currency, opp.amount, opp.close_date)
    query = (query.outerjoin(SfAccount, SfAccount.id == opp.account_id)
             .where(opp.xero_invoice_number.is_(None))
             .order_by(opp.close_date.is_(None), opp.close_date, opp.id).limit(limit))
    return [UninvoicedDealRow(opp_id, name, account, owner_id, currency, amount, closed)
            for opp_id, name, account, currency, amount, closed, owner_id in session.execute(query)]


# --- top overdue accounts -------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueAccountRow:
    contact_id: str
    name: str  # the linked Salesforce account's name, else the Xero contact's
    currency: str
    overdue: Decimal
    invoices: int
    oldest_due: date


def top_overdue(session: Session, window: Window, who: Who, per_currency: int) -> list[OverdueAccountRow]:
    """The accounts owing most overdue money, ``per_currency`` in each currency (largest first)."""
    inv = XeroInvoice
    total = func.sum(inv.amount_due, type_=MoneyType())
    rank = func.row_number().over(partition_by=inv.currency, order_by=(total.desc(), inv.contact_id)).label("rank")
    query, _ = _invoices(who, inv.contact_id, inv.currency, total.label("overdue"), func.count().label("n"),
                         func.min(inv.due_date).label("oldest"), rank)
    ranked = (query.where(inv.type == "ACCREC", inv.status == "AUTHORISED", inv.amount_due > 0,
                          inv.due_date < window.today)
              .group_by(inv.contact_id, inv.currency).subquery("ranked"))
    rows = session.execute(select(ranked.c.contact_id, ranked.c.currency, ranked.c.overdue, ranked.c.n,
                                  ranked.c.oldest).where(ranked.c.rank <= per_currency)
                           .order_by(ranked.c.currency, ranked.c.rank)).all()
    names = _account_names(session, {row[0] for row in rows})
    return [OverdueAccountRow(contact_id, names.get(contact_id, contact_id), currency, _money(overdue), n,
                              _as_date(oldest))
            for contact_id, currency, overdue, n, oldest in rows]


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _account_names(session: Session, contact_ids: Iterable[str]) -> dict[str, str]:
    ids = sorted(contact_ids)
    if not ids:
        return {}
    names = dict(session.execute(select(XeroContact.id, XeroContact.name).where(XeroContact.id.in_(ids))).all())
    linked = session.execute(
        select(AccountLink.xero_contact_id, SfAccount.name)
        .join(SfAccount, and_(SfAccount.id == AccountLink.sf_account_id, SfAccount.is_deleted.is_(False)))
        .where(AccountLink.xero_contact_id.in_(ids)).order_by(AccountLink.xero_contact_id, SfAccount.id.desc())).all()
    names.update(dict(linked))  # the first account by id wins (ordered last)
    return names


# --- by month, for the chart ----------------------------------------------------------------


def daily_invoiced(session: Session, window: Window, who: Who) -> list[tuple[str, date, Decimal]]:
    """(currency, invoice date, invoiced) from the chart's first month to the period's end."""
    inv = XeroInvoice
    query, _ = _invoices(who, inv.currency, inv.date, func.sum(inv.total, type_=MoneyType()))
    query = (query.where(inv.type == "ACCREC", inv.status.in_(INVOICED), inv.date >= window.months_from,
                         inv.date <= window.end).group_by(inv.currency, inv.date))
    return [(currency, _as_date(day), _money(total)) for currency, day, total in session.execute(query)]


def daily_collected(session: Session, window: Window, who: Who) -> list[tuple[str, date, Decimal]]:
    query, _ = _payments(who, XeroInvoice.currency, XeroPayment.date, func.sum(XeroPayment.amount, type_=MoneyType()))
    query = (query.where(XeroPayment.date >= window.months_from, XeroPayment.date <= window.end)
             .group_by(XeroInvoice.currency, XeroPayment.date))
    return [(currency, _as_date(day), _money(total)) for currency, day, total in session.execute(query)]


# --- in the base currency -------------------------------------------------------------------


@dataclass(frozen=True)
class RatedSums:
    """Sums of one currency at one Xero CurrencyRate (None: the invoice has none)."""

    currency: str
    rate: Decimal | None
    invoiced: Decimal
    receivable: Decimal
    collected: Decimal
    invoices: int  # invoices behind these sums


def rated_sums(session: Session, window: Window, who: Who) -> list[RatedSums]:
    """Invoiced, receivable and collected grouped by (currency, the invoice's CurrencyRate)."""
    inv = XeroInvoice
    in_period = and_(inv.date >= window.start, inv.date <= window.end)
    open_ = and_(inv.status == "AUTHORISED", inv.amount_due > 0)
    query, _ = _invoices(who, inv.currency, inv.currency_rate, _sum(in_period, inv.total), _sum(open_, inv.amount_due),
                         _count(or_(in_period, open_)))
    query = (query.where(inv.type == "ACCREC", inv.status.in_(INVOICED), or_(in_period, open_))
             .group_by(inv.currency, inv.currency_rate))
    sums: dict[tuple[str, Decimal | None], list[Any]] = {}
    for currency, rate, invoiced, receivable, n in session.execute(query):
        sums[(currency, rate)] = [_money(invoiced), _money(receivable), ZERO, n]
    paid, _ = _payments(who, XeroInvoice.currency, XeroInvoice.currency_rate,
                        func.sum(XeroPayment.amount, type_=MoneyType()), func.count(func.distinct(XeroInvoice.id)))
    paid = (paid.where(XeroPayment.date >= window.start, XeroPayment.date <= window.end)
            .group_by(XeroInvoice.currency, XeroInvoice.currency_rate))
    for currency, rate, collected, n in session.execute(paid):
        entry = sums.setdefault((currency, rate), [ZERO, ZERO, ZERO, n])  # invoices paid, when none is open
        entry[2] = _money(collected)
    return [RatedSums(currency, rate, *values) for (currency, rate), values in sorted(
        sums.items(), key=lambda item: (item[0][0], item[0][1] is None, item[0][1] or 0))]


def owner_names(session: Session, owner_ids: Sequence[str | None]) -> dict[str, str]:
    ids = sorted({o for o in owner_ids if o})
    if not ids:
        return {}
    return dict(session.execute(select(SfUser.id, SfUser.name).where(SfUser.id.in_(ids))).all())
