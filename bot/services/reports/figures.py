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

How a big mirror stays fast: the rule is worked out once per report (``owner_tables``) into two
temporary tables, each contact's account owner and each invoice number's deal owner, both already
a Salesforce user or NULL (Unassigned). An invoice then finds its owner with two primary-key probes
(``_owned``), so every figure is summed per owner in one statement over only the invoices it needs:
the open ones from the small partial index ``ix_xero_invoices_open``, the ones dated in a range from
``ix_xero_invoices_dated`` (both covering). ``team`` is ``all`` without the Unassigned rows; ``me``
keeps one owner's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Date,
    Index,
    MetaData,
    Select,
    String,
    Table,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    literal_column,
    not_,
    or_,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex, CreateTable, DropTable
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

_TEMPORARY = MetaData()  # not the mirror's: these tables live in one connection for one report
CONTACT_OWNER = Table("report_contact_owner", _TEMPORARY,
                      Column("contact_id", String(36)), Column("account_id", String(18)),
                      Column("owner_id", String(18)), prefixes=["TEMPORARY"])
# built once the rows are in (a sort, where 50,000 inserts into a keyed table took ~1.5 times as long)
_CONTACT_OWNER_INDEX = Index("report_contact_owner_key", CONTACT_OWNER.c.contact_id, CONTACT_OWNER.c.account_id,
                             CONTACT_OWNER.c.owner_id, unique=True)
DEAL_OWNER = Table("report_deal_owner", _TEMPORARY,
                   Column("number", String(255), primary_key=True),
                   Column("owner_id", String(18)),
                   prefixes=["TEMPORARY"], sqlite_with_rowid=False)


UNASSIGNED = Table("report_unassigned", _TEMPORARY,
                   Column("id", String(36)), Column("type", String(20)), Column("status", String(20)),
                   Column("date", Date), Column("currency", String(3)), Column("total", MoneyType()),
                   prefixes=["TEMPORARY"])


@contextmanager
def owner_tables(session: Session, scope: Scope) -> Iterator[None]:
    """The module doc's rule, worked out once for the report: ``report_contact_owner`` (a contact's first
    linked, not deleted account by id, and its owner) and ``report_deal_owner`` (an invoice number's
    deal owner), each owner a Salesforce user or NULL. Filling them takes ~0.1-0.2 s on the bench mirror
    (50,000 links, 25,000 invoiced deals); every figure then probes them instead of re-deriving owners."""
    connection = session.connection()
    tables = (CONTACT_OWNER, DEAL_OWNER, UNASSIGNED) if scope == "team" else (CONTACT_OWNER, DEAL_OWNER)
    for table in tables:
        connection.execute(DropTable(table, if_exists=True))  # left behind by a report that failed
        connection.execute(CreateTable(table))
    links = (select(AccountLink.xero_contact_id, SfAccount.id, _user(SfAccount.owner_id))
             .join(SfAccount, SfAccount.id == AccountLink.sf_account_id).where(SfAccount.is_deleted.is_(False)))
    connection.execute(insert(CONTACT_OWNER).from_select(["contact_id", "account_id", "owner_id"], links))
    connection.execute(CreateIndex(_CONTACT_OWNER_INDEX))
    # every link goes in (appending beats finding each contact's first account on the way); then only the
    # first by id stays, so a contact has one row (only contacts linked more than once are looked at)
    earlier, table = CONTACT_OWNER.alias("earlier"), CONTACT_OWNER
    linked_twice = select(table.c.contact_id).group_by(table.c.contact_id).having(func.count() > 1)
    connection.execute(delete(table).where(table.c.contact_id.in_(linked_twice), exists().where(
        earlier.c.contact_id == table.c.contact_id, earlier.c.account_id < table.c.account_id)))
    connection.execute(insert(DEAL_OWNER).from_select(["number", "owner_id"], _deal_owner()))
    if scope == "team":  # read by the team's DSO and both series: found once
        connection.execute(insert(UNASSIGNED).from_select([c.name for c in UNASSIGNED.c], _unassigned()))
    if connection.dialect.name == "postgresql":
        connection.execute(text("ANALYZE report_contact_owner, report_deal_owner"))  # no autovacuum for temp tables
    yield
    for table in tables:
        connection.execute(DropTable(table))


def _user(owner: Any) -> ColumnElement[str | None]:
    """The owner if they are a Salesforce user in the mirror, else NULL (Unassigned)."""
    return case((owner.in_(select(SfUser.id)), owner))


def _deal_owner() -> Select[Any]:
    """(invoice number, owner) of the opportunity invoiced with it: of those with an owner, the latest close
    date wins (one without a close date only when none has one; then the highest id), on both databases.
    Each opportunity checks it is its number's one with a backward walk of ``ix_sf_opportunities_invoice_owner``
    (number, close date, id): no sort of every deal."""
    opp, later = SfOpportunity.__table__, SfOpportunity.__table__.alias("later")
    named = (opp.c.xero_invoice_number.is_not(None), opp.c.is_deleted.is_(False), opp.c.owner_id.is_not(None))
    first = (select(later.c.id)
             .where(later.c.xero_invoice_number == opp.c.xero_invoice_number, later.c.is_deleted.is_(False),
                    later.c.owner_id.is_not(None))
             .order_by(later.c.close_date.desc().nulls_last(), later.c.id.desc()).limit(1).scalar_subquery())
    return select(opp.c.xero_invoice_number, _user(opp.c.owner_id)).where(*named, opp.c.id == first)


def _owned(joined: FromClause, inv: Any) -> tuple[FromClause, ColumnElement[str | None]]:
    """``joined`` (which holds the invoices ``inv``) with each invoice's owner, None for Unassigned: the deal
    owner when a deal names the invoice (even one who is not a user), else the contact's account owner."""
    deal, account = DEAL_OWNER.alias("deal_owner"), CONTACT_OWNER.alias("account_owner")
    joined = (joined.outerjoin(deal, deal.c.number == inv.c.number)
              .outerjoin(account, account.c.contact_id == inv.c.contact_id))
    return joined, case((deal.c.number.is_not(None), deal.c.owner_id), else_=account.c.owner_id)


def _whose(owner: ColumnElement[Any], who: Who, inv: Any) -> list[ColumnElement[bool]]:
    """Conditions keeping ``who``'s invoices of ``inv``: one owner's are first narrowed to the invoices that
    can be theirs (their contacts', their deals' numbers: lists probed per invoice, or driving the statement
    through the contact and number indexes), then their owner decides."""
    if who.scope == "me":
        contacts = select(CONTACT_OWNER.c.contact_id).where(CONTACT_OWNER.c.owner_id == who.sf_user_id)
        numbers = select(DEAL_OWNER.c.number).where(DEAL_OWNER.c.owner_id == who.sf_user_id)
        return [or_(inv.c.contact_id.in_(contacts), inv.c.number.in_(numbers)), owner == who.sf_user_id]
    if who.scope == "team":
        return [owner.is_not(None)]
    return []


def _scoped(joined: FromClause, inv: Any, who: Who) -> tuple[FromClause, list[ColumnElement[bool]]]:
    """``joined`` and the conditions that keep ``who``'s invoices: everyone's need no owner."""
    if who.scope == "all":
        return joined, []
    joined, owner = _owned(joined, inv)
    return joined, _whose(owner, who, inv)


def _unassigned() -> Any:
    """The invoices whose owner is Unassigned (kept in ``report_unassigned`` for a team report), found from
    the owner tables' side, so the work grows with how many there are rather than with the mirror: those
    named by a deal whose owner is not a user, and those named by no deal whose contact has no account owned
    by a user (the contacts taken from the invoices themselves, so unlinked ones count). ``team``'s DSO and
    series are everyone's minus these."""
    inv, deal = XeroInvoice.__table__, DEAL_OWNER.alias("deal_owner")
    columns = (inv.c.id, inv.c.type, inv.c.status, inv.c.date, inv.c.currency, inv.c.total)
    # IN lists rather than joins, so the statement is driven through the number and contact indexes
    by_deal = select(*columns).where(inv.c.number.in_(select(deal.c.number).where(deal.c.owner_id.is_(None))))
    owned = select(CONTACT_OWNER.c.contact_id).where(CONTACT_OWNER.c.owner_id.is_not(None))
    unowned = select(inv.c.contact_id).group_by(inv.c.contact_id).having(inv.c.contact_id.not_in(owned))
    by_contact = (select(*columns).select_from(inv.outerjoin(deal, deal.c.number == inv.c.number))
                  .where(inv.c.contact_id.in_(unowned), deal.c.number.is_(None)))
    return union_all(by_deal, by_contact)


def _minus(everyone: Iterable[Any], unassigned: Iterable[Any]) -> dict[tuple[Any, ...], Decimal]:
    """Everyone's (key..., amount, count) rows less the Unassigned ones' (exact: amounts are whole cents),
    keeping the keys that still have an invoice or payment."""
    left: dict[tuple[Any, ...], tuple[Decimal, int]] = {}
    for rows, sign in ((everyone, 1), (unassigned, -1)):
        for *key, amount, n in rows:
            total, count = left.get(tuple(key), (ZERO, 0))
            left[tuple(key)] = (total + sign * _money(amount), count + sign * n)
    return {key: total for key, (total, count) in left.items() if count}


def _open(inv: Any) -> list[ColumnElement[bool]]:
    """Sales invoices still owed, written as ``ix_xero_invoices_open``'s own predicate (constants inline: a
    bound parameter does not prove a partial index's WHERE) so that small index is the one read."""
    return [inv.c.type == "ACCREC", inv.c.status == literal_column("'AUTHORISED'"),
            inv.c.amount_due > literal_column("0")]


def _dated(inv: Any, first: date, last: date) -> list[ColumnElement[bool]]:
    """Approved sales invoices dated ``first``..``last``: a range of ``ix_xero_invoices_dated``."""
    return [inv.c.type == "ACCREC", inv.c.date >= first, inv.c.date <= last, inv.c.status.in_(INVOICED)]


def _raw(column: Any) -> ColumnElement[int]:
    """A scaled-integer column as the integer it is stored as (cents, or millionths for rates)."""
    return type_coerce(column, BigInteger)


def _in_base(amount: Any, currency: Any, rate: Any, base: str) -> ColumnElement[int]:
    """``amount`` (cents) in the base currency at the invoice's CurrencyRate, rounded half up to the cent
    (integer arithmetic: cents × 10⁶ / rate-millionths); NULL when there is no usable rate."""
    cents, millionths = _raw(amount), _raw(rate)
    converted = (cents * literal(2_000_000, BigInteger) + millionths) // (literal(2, BigInteger) * millionths)
    return case((currency == base, cents), (millionths > 0, converted))


def _unrated(inv: Any, base: str) -> ColumnElement[bool]:
    return and_(inv.c.currency != base, or_(inv.c.currency_rate.is_(None), _raw(inv.c.currency_rate) <= 0))


def _unindexed(column: Any) -> ColumnElement[Any]:
    """``column`` in a form no index serves, so SQLite does not drive a scan from a barely selective index."""
    return func.coalesce(column, column)


def _sum(condition: ColumnElement[bool], amount: Any) -> ColumnElement[Decimal]:
    return func.sum(case((condition, amount)), type_=MoneyType())


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(case((condition, 1)))


def _money(value: Decimal | None) -> Decimal:
    return ZERO if value is None else value


def _cents(value: int | None) -> Decimal:
    return (Decimal(int(value or 0)) / 100).quantize(Decimal("0.01"))


# --- invoices: invoiced, receivables, aging, base currency -------------------------------------

MEASURES = ("invoiced", "invoiced_count", "receivable", "current", "d1_30", "d31_60", "d61_90", "d90_plus",
            "overdue_count", "base_invoiced", "base_receivable", "unrated")
_CENTS = frozenset(MEASURES) - {"invoiced_count", "overdue_count", "unrated"}
_BUCKETS = ("current", "d1_30", "d31_60", "d61_90", "d90_plus")


@dataclass
class InvoiceRow:
    owner_id: str | None  # None: Unassigned
    currency: str
    values: list[int]  # MEASURES in order: cents or counts

    def get(self, measure: str) -> Decimal | int:
        value = self.values[MEASURES.index(measure)]
        return (Decimal(value) / 100).quantize(Decimal("0.01")) if measure in _CENTS else value


def _bucket(due: Any, today: date) -> ColumnElement[int]:
    """0 current (due today or later, or no due date), then 1–30, 31–60, 61–90 and 90+ days past due."""
    return case((or_(due.is_(None), due >= today), 0), (due >= today - timedelta(days=30), 1),
                (due >= today - timedelta(days=60), 2), (due >= today - timedelta(days=90), 3), else_=4)


def invoice_rows(session: Session, window: Window, who: Who, base: str | None) -> list[InvoiceRow]:
    """Per (owner, currency), every invoice measure: one statement over the open invoices (grouped by age
    bucket too), one over those dated in the period."""
    base_code = base or ""
    inv = XeroInvoice.__table__
    sums: dict[tuple[str | None, str], list[int]] = {}

    def row(owner: str | None, currency: str) -> list[int]:
        return sums.setdefault((owner, currency), [0] * len(MEASURES))

    index = MEASURES.index
    joined, owner = _owned(inv, inv)
    bucket = _bucket(inv.c.due_date, window.today)
    owed = (select(owner.label("owner"), inv.c.currency.label("currency"), bucket.label("bucket"),
                   _raw(inv.c.amount_due).label("due"),
                   _in_base(inv.c.amount_due, inv.c.currency, inv.c.currency_rate, base_code).label("in_base"),
                   case((_unrated(inv, base_code), 1), else_=0).label("unrated"))
            .select_from(joined).where(*_open(inv), *_whose(owner, who, inv)).subquery("owed"))
    for owner_id, currency, age, n, due, in_base, unrated in session.execute(
            select(owed.c.owner, owed.c.currency, owed.c.bucket, func.count(), func.sum(owed.c.due),
                   func.sum(owed.c.in_base), func.sum(owed.c.unrated))
            .group_by(owed.c.owner, owed.c.currency, owed.c.bucket)):
        values = row(owner_id, currency)
        values[index(_BUCKETS[age])] += int(due)
        values[index("receivable")] += int(due)
        values[index("overdue_count")] += n if age else 0
        values[index("base_receivable")] += int(in_base or 0)
        values[index("unrated")] += int(unrated)
    still_owed = and_(inv.c.status == "AUTHORISED", inv.c.amount_due > 0)  # counted as unrated above
    invoiced = (select(owner.label("owner"), inv.c.currency.label("currency"), _raw(inv.c.total).label("total"),
                       _in_base(inv.c.total, inv.c.currency, inv.c.currency_rate, base_code).label("in_base"),
                       case((and_(_unrated(inv, base_code), not_(still_owed)), 1), else_=0).label("unrated"))
                .select_from(joined).where(*_dated(inv, window.start, window.end), *_whose(owner, who, inv))
                .subquery("invoiced"))
    for owner_id, currency, n, total, in_base, unrated in session.execute(
            select(invoiced.c.owner, invoiced.c.currency, func.count(), func.sum(invoiced.c.total),
                   func.sum(invoiced.c.in_base), func.sum(invoiced.c.unrated))
            .group_by(invoiced.c.owner, invoiced.c.currency)):
        values = row(owner_id, currency)
        values[index("invoiced")] += int(total)
        values[index("invoiced_count")] += n
        values[index("base_invoiced")] += int(in_base or 0)
        values[index("unrated")] += int(unrated)
    return [InvoiceRow(owner_id, currency, values) for (owner_id, currency), values in sums.items()]


def dso_sales(session: Session, window: Window, who: Who) -> dict[str, Decimal]:
    """currency → invoiced in the last ``DSO_DAYS`` days (today included): DSO's denominator. The team's is
    everyone's minus the Unassigned invoices'."""
    inv = XeroInvoice.__table__
    first = window.today - timedelta(days=DSO_DAYS - 1)
    total = func.sum(inv.c.total, type_=MoneyType())
    if who.scope == "me":
        joined, kept = _scoped(inv, inv, who)
        query = select(inv.c.currency, total).select_from(joined).where(*_dated(inv, first, window.today), *kept)
        return {currency: _money(amount) for currency, amount in session.execute(query.group_by(inv.c.currency))}
    everyone = session.execute(select(inv.c.currency, total, func.count())
                               .where(*_dated(inv, first, window.today)).group_by(inv.c.currency)).all()
    unassigned = _unassigned_invoiced(session, first, window.today, by_day=False) if who.scope == "team" else []
    return {currency: amount for (currency,), amount in _minus(everyone, unassigned).items()}


# --- payments: collected ------------------------------------------------------------------------


def _paid(who: Who) -> tuple[FromClause, list[ColumnElement[bool]]]:
    """Authorised payments on sales invoices (each in its invoice's currency, as Xero's Payment.Amount is),
    joined to the invoice, and ``who``'s conditions."""
    inv = XeroInvoice.__table__
    joined, kept = _scoped(XeroPayment.__table__.join(inv, inv.c.id == XeroPayment.invoice_id), inv, who)
    return joined, [XeroPayment.status == "AUTHORISED",
                    or_(XeroPayment.payment_type.is_(None), XeroPayment.payment_type == "ACCRECPAYMENT"),
                    _unindexed(inv.c.type) == "ACCREC", *kept]


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
    joined, owner = _owned(XeroPayment.__table__.join(inv, inv.c.id == XeroPayment.invoice_id), inv)
    query = (select(owner, inv.c.currency, func.sum(_raw(XeroPayment.amount)),
                    func.sum(_in_base(XeroPayment.amount, inv.c.currency, inv.c.currency_rate, base_code)),
                    func.count(case((_unrated(inv, base_code), 1))))
             .select_from(joined)
             .where(XeroPayment.status == "AUTHORISED",
                    or_(XeroPayment.payment_type.is_(None), XeroPayment.payment_type == "ACCRECPAYMENT"),
                    _unindexed(inv.c.type) == "ACCREC", XeroPayment.date >= window.start,
                    XeroPayment.date <= window.end, *_whose(owner, who, inv))
             .group_by(owner, inv.c.currency))
    return [CollectedRow(owner_id, currency, _cents(total), _cents(in_base), n)
            for owner_id, currency, total, in_base, n in session.execute(query)]


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


def top_overdue(session: Session, window: Window, who: Who, per_currency: int,
                currencies: Iterable[str]) -> list[OverdueAccountRow]:
    """The accounts owing most overdue money, ``per_currency`` in each of ``currencies`` (those with overdue
    invoices; largest first). One statement a currency, each reading that currency's range of
    ``ix_xero_invoices_open`` in account order and keeping the top few as it goes (a window function
    ranking every account sorted them all)."""
    inv = XeroInvoice.__table__
    joined, kept = _scoped(inv, inv, who)
    total = func.sum(inv.c.amount_due, type_=MoneyType())
    rows = []
    for currency in sorted(set(currencies)):
        rows += session.execute(
            select(inv.c.contact_id, inv.c.currency, total, func.count(), func.min(inv.c.due_date))
            .select_from(joined).where(*_open(inv), inv.c.currency == currency, inv.c.due_date < window.today, *kept)
            .group_by(inv.c.contact_id, inv.c.currency).order_by(total.desc(), inv.c.contact_id)
            .limit(per_currency)).all()
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
    """(currency, invoice date, invoiced) from the chart's first month to the period's end. Everyone's read in
    date order from ``ix_xero_invoices_dated``; the team's are everyone's minus the Unassigned invoices; one
    owner's are found from their contacts and deals."""
    inv = XeroInvoice.__table__
    total, n = func.sum(inv.c.total, type_=MoneyType()), func.count()
    if who.scope == "me":
        joined, kept = _scoped(inv, inv, who)
        query = (select(inv.c.currency, inv.c.date, total).select_from(joined)
                 .where(_unindexed(inv.c.type) == "ACCREC", _unindexed(inv.c.status).in_(INVOICED),
                        inv.c.date >= window.months_from, inv.c.date <= window.end, *kept)
                 .group_by(inv.c.date, inv.c.currency))
        return [(currency, _as_date(day), _money(amount)) for currency, day, amount in session.execute(query)]
    everyone = session.execute(select(inv.c.currency, inv.c.date, total, n)
                               .where(*_dated(inv, window.months_from, window.end))
                               .group_by(inv.c.date, inv.c.currency)).all()
    if who.scope == "all":
        return [(currency, _as_date(day), _money(amount)) for currency, day, amount, _ in everyone]
    unassigned = _unassigned_invoiced(session, window.months_from, window.end, by_day=True)
    return [(currency, _as_date(day), amount) for (currency, day), amount in _minus(everyone, unassigned).items()]


def _unassigned_invoiced(session: Session, first: date, last: date, by_day: bool) -> list[Any]:
    """(currency, [day,] invoiced, count) of the Unassigned approved sales invoices dated ``first``..``last``."""
    u = UNASSIGNED
    keys = (u.c.currency, u.c.date) if by_day else (u.c.currency,)
    return session.execute(
        select(*keys, func.sum(u.c.total, type_=MoneyType()), func.count())
        .where(u.c.type == "ACCREC", u.c.status.in_(INVOICED), u.c.date >= first,
               u.c.date <= last).group_by(*keys)).all()


def daily_collected(session: Session, window: Window, who: Who) -> list[tuple[str, date, Decimal]]:
    """(currency, payment date, collected). Everyone's straight from the payments (each stored with its
    invoice's currency; the invoice is read only for a payment stored without one); the team's are the
    payments on sales invoices minus those on Unassigned invoices; one owner's through their invoices."""
    pay = XeroPayment
    # one owner's payments are found through their invoices, not by date
    paid_on = _unindexed(pay.date) if who.scope == "me" else pay.date
    in_months = (paid_on >= window.months_from, paid_on <= window.end)
    if who.scope == "all":
        currency = func.coalesce(pay.currency, select(XeroInvoice.currency).where(XeroInvoice.id == pay.invoice_id)
                                 .scalar_subquery())
        query = (select(currency, pay.date, func.sum(pay.amount, type_=MoneyType()))
                 .where(pay.status == "AUTHORISED", pay.invoice_id.is_not(None),
                        or_(pay.payment_type.is_(None), pay.payment_type == "ACCRECPAYMENT"), *in_months)
                 .group_by(pay.date, currency))
        # a payment stored without a currency whose invoice is not in the mirror (yet) has no currency to be
        # charted in; the other scopes leave it out too (they reach payments through their invoices)
        return [(currency, _as_date(day), _money(total)) for currency, day, total in session.execute(query)
                if currency is not None]
    total, n = func.sum(pay.amount, type_=MoneyType()), func.count()
    joined, kept = _paid(Who("all") if who.scope == "team" else who)
    rows = session.execute(select(XeroInvoice.currency, pay.date, total, n).select_from(joined)
                           .where(*kept, *in_months).group_by(pay.date, XeroInvoice.currency)).all()
    if who.scope == "me":
        return [(currency, _as_date(day), _money(amount)) for currency, day, amount, _ in rows]
    unassigned = session.execute(
        select(XeroInvoice.currency, pay.date, total, n).select_from(joined)
        .where(*kept, *in_months, pay.invoice_id.in_(select(UNASSIGNED.c.id)))
        .group_by(pay.date, XeroInvoice.currency)).all()
    return [(currency, _as_date(day), amount) for (currency, day), amount in _minus(rows, unassigned).items()]


def owner_names(session: Session, owner_ids: Sequence[str | None]) -> dict[str, str]:
    ids = sorted({o for o in owner_ids if o})
    if not ids:
        return {}
    return dict(session.execute(select(SfUser.id, SfUser.name).where(SfUser.id.in_(ids))).all())
