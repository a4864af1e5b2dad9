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

from sqlalchemy import BigInteger, ColumnElement, Select, and_, case, func, literal, or_, select, type_coerce
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
    """Invoices with their owner looked up one by one (see the module doc); the owner column is None
    for Unassigned. Each lookup is an index walk with no sort (``_deal_owner_of``, ``_account_owner_of``)."""
    owner = SfUser.__table__.alias("owner")
    table = XeroInvoice.__table__
    found = func.coalesce(_deal_owner_of(table.c.number), _account_owner_of(table.c.contact_id))
    return table.outerjoin(owner, owner.c.id == found), owner.c.id


def _maybe_mine(inv: Any, sf_user_id: str | None) -> ColumnElement[bool]:
    """Invoices that can be this owner's (their accounts' contacts, their deals' numbers), found through
    indexes; the owner rule then decides each of those."""
    return or_(inv.c.contact_id.in_(
        select(AccountLink.xero_contact_id).join(SfAccount, SfAccount.id == AccountLink.sf_account_id)
        .where(SfAccount.owner_id == sf_user_id)),
        inv.c.number.in_(select(SfOpportunity.xero_invoice_number).where(
            SfOpportunity.owner_id == sf_user_id, SfOpportunity.xero_invoice_number.is_not(None))))


def _whose(owner: ColumnElement[Any], who: Who) -> list[ColumnElement[bool]]:
    if who.scope == "me":
        return [_maybe_mine(XeroInvoice.__table__, who.sf_user_id), owner == who.sf_user_id]
    if who.scope == "team":
        return [owner.is_not(None)]
    return []


def _invoices(who: Who, *columns: Any, by_owner: bool = False) -> tuple[Select[Any], ColumnElement[Any] | None]:
    """SELECT ``columns`` FROM sales invoices, joined to owners only when grouped or filtered by them."""
    if not by_owner and who.scope == "all":
        return select(*columns).select_from(XeroInvoice.__table__), None
    if not by_owner and who.scope == "team":
        return select(*columns).select_from(XeroInvoice.__table__).where(_assigned(XeroInvoice.__table__)), None
    joined, owner = _invoice_owned()
    return select(*columns).select_from(joined).where(*_whose(owner, who)), owner


def _assigned(inv: Any) -> ColumnElement[bool]:
    """Invoices whose owner (the module doc's rule) is a Salesforce user in the mirror, as set-wise tests
    (each ``IN`` list is built once and probed per invoice) rather than one owner lookup per invoice: named
    by a deal whose owner is a user, or named by no deal with an owner and linked to a user's account."""
    deal, linked = _deal_owner(), _linked_owner()
    users = select(SfUser.id)
    by_deal = select(deal.c.number).where(deal.c.rn == 1, deal.c.owner_id.in_(users))
    dealt = select(SfOpportunity.xero_invoice_number).where(
        SfOpportunity.xero_invoice_number.is_not(None), SfOpportunity.is_deleted.is_(False),
        SfOpportunity.owner_id.is_not(None))
    by_account = select(linked.c.contact_id).where(linked.c.owner_id.in_(users))
    # coalesce(x, x) is x, in a form no index serves: the invoices are scanned in the order of the
    # query's own index and each probes the lists, rather than fetched row by row through these columns
    number, contact = func.coalesce(inv.c.number, inv.c.number), func.coalesce(inv.c.contact_id, inv.c.contact_id)
    return or_(number.in_(by_deal), and_(or_(inv.c.number.is_(None), number.not_in(dealt)), contact.in_(by_account)))


def _sum(condition: ColumnElement[bool], amount: Any) -> ColumnElement[Decimal]:
    return func.sum(case((condition, amount)), type_=MoneyType())


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(case((condition, 1)))


def _money(value: Decimal | None) -> Decimal:
    return ZERO if value is None else value


# --- invoices: invoiced, receivables, aging, DSO, base currency ------------------------------------
#
# Fast on a big mirror because no invoice is joined to its owner one by one: the invoices are
# summed per (contact, currency) first — a scan of the covering index ``ix_xero_invoices_report``
# in its own order, no sort — then those sums are joined to the contact's account owner (A); the
# invoices an opportunity names are summed per (deal owner, account owner, currency) (B) and moved
# from the account owner to the deal owner in Python. Every measure is an integer number of cents
# (or a count), so the moves are exact.

MEASURES = ("invoiced", "invoiced_count", "receivable", "current", "d1_30", "d31_60", "d61_90", "d90_plus",
            "overdue_count", "sales_dso", "base_invoiced", "base_receivable", "unrated")
_CENTS = frozenset(MEASURES) - {"invoiced_count", "overdue_count", "unrated"}


def _raw(column: Any) -> ColumnElement[int]:
    """A scaled-integer column as the integer it is stored as (cents, or millionths for rates)."""
    return type_coerce(column, BigInteger)


def _in_base(amount: Any, currency: Any, rate: Any, base: str) -> ColumnElement[int]:
    """``amount`` (cents) in the base currency at the invoice's CurrencyRate, rounded half up to the cent
    (integer arithmetic: cents × 10⁶ / rate-millionths); NULL when there is no usable rate."""
    cents, millionths = _raw(amount), _raw(rate)
    converted = (cents * literal(2_000_000, BigInteger) + millionths) // (literal(2, BigInteger) * millionths)
    return case((currency == base, cents), (millionths > 0, converted))


def _measures(window: Window, base: str, inv: Any) -> list[ColumnElement[Any]]:
    """SUM() of each of ``MEASURES`` over the invoices of ``inv`` (a table or an alias of it)."""
    today = window.today
    dso_from = today - timedelta(days=DSO_DAYS - 1)
    open_ = and_(inv.c.status == "AUTHORISED", inv.c.amount_due > 0)
    in_period = and_(inv.c.date >= window.start, inv.c.date <= window.end)
    in_dso = and_(inv.c.date >= dso_from, inv.c.date <= today)
    due = inv.c.due_date
    buckets = (
        or_(due >= today, due.is_(None)),
        and_(due < today, due >= today - timedelta(days=30)),
        and_(due < today - timedelta(days=30), due >= today - timedelta(days=60)),
        and_(due < today - timedelta(days=60), due >= today - timedelta(days=90)),
        due < today - timedelta(days=90),
    )
    total, amount_due = _raw(inv.c.total), _raw(inv.c.amount_due)
    unrated = and_(inv.c.currency != base, or_(inv.c.currency_rate.is_(None), _raw(inv.c.currency_rate) <= 0))

    def add(condition: ColumnElement[bool], value: Any) -> ColumnElement[int]:
        return func.sum(case((condition, value), else_=literal(0, BigInteger)))

    one = literal(1, BigInteger)
    return [add(in_period, total), add(in_period, one), add(open_, amount_due),
            *(add(and_(open_, bucket), amount_due) for bucket in buckets), add(and_(open_, due < today), one),
            add(in_dso, total),
            add(in_period, _in_base(inv.c.total, inv.c.currency, inv.c.currency_rate, base)),
            add(open_, _in_base(inv.c.amount_due, inv.c.currency, inv.c.currency_rate, base)),
            add(and_(or_(in_period, open_), unrated), one)]


def _unindexed(column: Any) -> ColumnElement[Any]:
    """``column`` in a form no index serves, so SQLite does not drive a big scan from a barely selective
    index on it (type, status) instead of the covering index that keeps the GROUP BY order."""
    return func.coalesce(column, "")


def _relevant(window: Window, inv: Any) -> ColumnElement[bool]:
    dso_from = window.today - timedelta(days=DSO_DAYS - 1)
    return and_(_unindexed(inv.c.type) == "ACCREC", _unindexed(inv.c.status).in_(INVOICED),
                or_(and_(inv.c.status == "AUTHORISED", inv.c.amount_due > 0),
                    and_(inv.c.date >= min(window.start, dso_from), inv.c.date <= max(window.end, window.today))))


def _linked_owner() -> Any:
    """contact id → the owner of its first linked (not deleted) account by id; the set-wise form of
    ``_account_owner_of``. ``MIN(account id)`` per contact is a walk of the link index in contact order,
    then one primary-key lookup per contact (a window function numbering the links sorted them all)."""
    first = (select(AccountLink.xero_contact_id.label("contact_id"), func.min(SfAccount.id).label("account_id"))
             .join(SfAccount, and_(SfAccount.id == AccountLink.sf_account_id, SfAccount.is_deleted.is_(False)))
             .group_by(AccountLink.xero_contact_id).subquery("first_account"))
    account = SfAccount.__table__.alias("linked_account")
    return (select(first.c.contact_id, account.c.owner_id)
            .select_from(first.join(account, account.c.id == first.c.account_id)).subquery("linked"))


def _account_owner_of(contact_id: Any) -> ColumnElement[str | None]:
    """The owner of the first (by id) not deleted Salesforce account linked to the contact: ``MIN()`` of
    the contact's links (an aggregate, where ``ORDER BY id LIMIT 1`` sorted every lookup), then its owner."""
    account = SfAccount.__table__.alias("first_linked")
    first = (select(func.min(SfAccount.id))
             .join(AccountLink, AccountLink.sf_account_id == SfAccount.id)
             .where(AccountLink.xero_contact_id == contact_id, SfAccount.is_deleted.is_(False))
             .correlate_except(SfAccount, AccountLink).scalar_subquery())  # to the invoice, two levels up
    return select(account.c.owner_id).where(account.c.id == first).scalar_subquery()


def _deal_owner_of(number: Any) -> ColumnElement[str | None]:
    """The owner of the opportunity invoiced with this invoice number (as ``_deal_owner``): a backward walk
    of ``ix_sf_opportunities_invoice_owner`` (number, close date, id), no sort."""
    opp = SfOpportunity
    return (select(opp.owner_id)
            .where(opp.xero_invoice_number == number, opp.is_deleted.is_(False), opp.owner_id.is_not(None))
            .order_by(opp.close_date.desc(), opp.id.desc()).limit(1).scalar_subquery())


def _deal_owner() -> Any:
    """invoice number → the owner of the opportunity invoiced with it (of those with an owner, the latest
    close date wins), as rows numbered per invoice number (``rn`` 1 is the one)."""
    return (select(SfOpportunity.xero_invoice_number.label("number"), SfOpportunity.owner_id.label("owner_id"),
                   func.row_number().over(partition_by=SfOpportunity.xero_invoice_number,
                                          order_by=(SfOpportunity.close_date.desc(), SfOpportunity.id.desc()))
                   .label("rn"))
            .where(SfOpportunity.xero_invoice_number.is_not(None), SfOpportunity.is_deleted.is_(False),
                   SfOpportunity.owner_id.is_not(None))
            .subquery("deal"))


@dataclass
class InvoiceRow:
    owner_id: str | None  # None: Unassigned
    currency: str
    values: list[int]  # MEASURES in order: cents or counts

    def get(self, measure: str) -> Decimal | int:
        value = self.values[MEASURES.index(measure)]
        return (Decimal(value) / 100).quantize(Decimal("0.01")) if measure in _CENTS else value


def invoice_rows(session: Session, window: Window, who: Who, base: str | None, users: set[str]) -> list[InvoiceRow]:
    """Per (owner, currency), every invoice measure; owners not among ``users`` are Unassigned."""
    base_code = base or ""
    table = XeroInvoice.__table__
    agg = (select(table.c.contact_id, table.c.currency, *(m.label(name) for name, m in
                                                          zip(MEASURES, _measures(window, base_code, table),
                                                              strict=True)))
           .where(_relevant(window, table), *([_maybe_mine(table, who.sf_user_id)] if who.scope == "me" else []))
           .group_by(table.c.contact_id, table.c.currency).subquery("agg"))
    linked = _linked_owner()  # one lookup per (contact, currency) sum: a join beats a subquery per row here
    by_account = (select(linked.c.owner_id, agg.c.currency, *(func.sum(agg.c[name]) for name in MEASURES))
                  .select_from(agg.outerjoin(linked, linked.c.contact_id == agg.c.contact_id))
                  .group_by(linked.c.owner_id, agg.c.currency))
    sums: dict[tuple[str | None, str], list[int]] = {}

    def add(owner: str | None, currency: str, values: Sequence[int | None], sign: int) -> None:
        key = (owner if owner in users else None, currency)
        row = sums.setdefault(key, [0] * len(MEASURES))
        for n, value in enumerate(values):
            row[n] += sign * int(value or 0)

    for owner, currency, *values in session.execute(by_account):
        add(owner, currency, values, 1)
    deal = _deal_owner()
    inv = table.alias("inv")
    account_owner = _account_owner_of(inv.c.contact_id).label("account_owner")
    moved = (select(deal.c.owner_id, account_owner, inv.c.currency, *_measures(window, base_code, inv))
             .select_from(deal.join(inv, inv.c.number == deal.c.number))
             .where(deal.c.rn == 1, deal.c.owner_id.is_not(None), _relevant(window, inv),
                    *([_maybe_mine(inv, who.sf_user_id)] if who.scope == "me" else []))
             .group_by(deal.c.owner_id, account_owner, inv.c.currency))
    for deal_owner, account_owner, currency, *values in session.execute(moved):
        add(account_owner, currency, values, -1)
        add(deal_owner, currency, values, 1)
    rows = [InvoiceRow(owner, currency, values) for (owner, currency), values in sums.items()]
    return [r for r in rows if _wanted(r.owner_id, who)]


def _wanted(owner: str | None, who: Who) -> bool:
    if who.scope == "me":
        return owner == who.sf_user_id
    return owner is not None if who.scope == "team" else True


def known_users(session: Session) -> set[str]:
    return set(session.scalars(select(SfUser.id)))


# --- payments: collected ------------------------------------------------------------------------


def _payments(who: Who, *columns: Any, by_owner: bool = False) -> tuple[Select[Any], ColumnElement[Any] | None]:
    """Authorised payments on sales invoices, each in its invoice's currency (Xero's Payment.Amount is)."""
    if not by_owner and who.scope == "all":
        base = XeroPayment.__table__.join(XeroInvoice.__table__, XeroInvoice.id == XeroPayment.invoice_id)
        query, owner = select(*columns).select_from(base), None
    elif not by_owner and who.scope == "team":
        base = XeroPayment.__table__.join(XeroInvoice.__table__, XeroInvoice.id == XeroPayment.invoice_id)
        query, owner = select(*columns).select_from(base).where(_assigned(XeroInvoice.__table__)), None
    else:
        joined, owner = _invoice_owned()
        base = XeroPayment.__table__.join(joined, XeroInvoice.id == XeroPayment.invoice_id)
        query = select(*columns).select_from(base).where(*_whose(owner, who))
    return query.where(XeroPayment.status == "AUTHORISED",
                       or_(XeroPayment.payment_type.is_(None), XeroPayment.payment_type == "ACCRECPAYMENT"),
                       _unindexed(XeroInvoice.type) == "ACCREC"), owner


@dataclass(frozen=True)
class CollectedRow:
    owner_id: str | None
    currency: str
    collected: Decimal  # payments dated in the period
    base_collected: Decimal  # the same in the base currency, at the paid invoice's rate
    unrated: int  # payments in another currency whose invoice has no rate


def collected_rows(session: Session, window: Window, who: Who, base: str | None) -> list[CollectedRow]:
    base_code = base or ""
    inv = XeroInvoice.__table__
    unrated = and_(inv.c.currency != base_code, or_(inv.c.currency_rate.is_(None), _raw(inv.c.currency_rate) <= 0))
    query, owner = _payments(who, XeroInvoice.currency, func.sum(_raw(XeroPayment.amount)),
                             func.sum(_in_base(XeroPayment.amount, inv.c.currency, inv.c.currency_rate, base_code)),
                             func.count(case((unrated, 1))), by_owner=True)
    assert owner is not None
    query = (query.add_columns(owner)
             .where(XeroPayment.date >= window.start, XeroPayment.date <= window.end)
             .group_by(owner, XeroInvoice.currency))
    return [CollectedRow(owner_id, currency, _cents(total), _cents(in_base), n)
            for currency, total, in_base, n, owner_id in session.execute(query)]


def _cents(value: int | None) -> Decimal:
    return (Decimal(int(value or 0)) / 100).quantize(Decimal("0.01"))


# --- opportunities: closed-won and not invoiced ---------------------------------------------------


def _opportunities(who: Who, *columns: Any) -> tuple[Select[Any], ColumnElement[Any]]:
    owner = SfUser.__table__.alias("owner")
    query = (select(*columns, owner.c.id)
             .select_from(SfOpportunity.__table__.outerjoin(owner, owner.c.id == SfOpportunity.owner_id))
             .where(SfOpportunity.is_won.is_(True), SfOpportunity.is_deleted.is_(False),
                    *([SfOpportunity.owner_id == who.sf_user_id] if who.scope == "me" else
                      [owner.c.id.is_not(None)] if who.scope == "team" else [])))
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
    ranked = (query.where(_unindexed(inv.type) == "ACCREC", _unindexed(inv.status) == "AUTHORISED",
                          inv.amount_due > 0, inv.due_date < window.today)
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
    # Everyone's or the team's: the (type, date) index in date order. One owner's: found from their accounts and deals.
    kind, status = (inv.type, inv.status) if who.scope != "me" else (_unindexed(inv.type), _unindexed(inv.status))
    query = (query.where(kind == "ACCREC", status.in_(INVOICED), inv.date >= window.months_from,
                         inv.date <= window.end).group_by(inv.date, inv.currency))
    return [(currency, _as_date(day), _money(total)) for currency, day, total in session.execute(query)]


def daily_collected(session: Session, window: Window, who: Who) -> list[tuple[str, date, Decimal]]:
    """(currency, payment date, collected); for everyone straight from the payments (each stored with its
    invoice's currency; the invoice is read only for a payment stored without one)."""
    pay = XeroPayment
    in_months = (pay.date >= window.months_from, pay.date <= window.end)
    if who.scope == "all":
        currency = func.coalesce(pay.currency, select(XeroInvoice.currency).where(XeroInvoice.id == pay.invoice_id)
                                 .scalar_subquery())
        query = (select(currency, pay.date, func.sum(pay.amount, type_=MoneyType()))
                 .where(pay.status == "AUTHORISED", pay.invoice_id.is_not(None),
                        or_(pay.payment_type.is_(None), pay.payment_type == "ACCRECPAYMENT"), *in_months)
                 .group_by(pay.date, currency))
    else:
        query, _ = _payments(who, XeroInvoice.currency, pay.date, func.sum(pay.amount, type_=MoneyType()))
        query = query.where(*in_months).group_by(pay.date, XeroInvoice.currency)
    return [(currency, _as_date(day), _money(total)) for currency, day, total in session.execute(query)]


def owner_names(session: Session, owner_ids: Sequence[str | None]) -> dict[str, str]:
    ids = sorted({o for o in owner_ids if o})
    if not ids:
        return {}
    return dict(session.execute(select(SfUser.id, SfUser.name).where(SfUser.id.in_(ids))).all())
