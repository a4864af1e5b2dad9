"""Overdue invoices, grouped by owner, with aging buckets and totals per currency.

Overdue: an authorised sales invoice with money due whose due date is strictly before today in
``alerts.timezone``. Its owner is the owner of the opportunity that was invoiced with it, else
the owner of the Salesforce account linked to its contact; invoices of contacts with no linked
account (or an account with no owner) are grouped under "Unassigned".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from bot.config import AppConfig
from bot.domain.aging import AGING_BUCKETS, aging_bucket, days_overdue, local_today
from bot.domain.money import Money, totals_by_currency
from bot.domain.xero_links import invoice_deep_link
from bot.services.account_ledger import organisation_short_code
from bot.store.base import utcnow
from bot.store.mirror import SfAccount, SfOpportunity, SfUser, XeroContact, XeroInvoice
from bot.store.session import Database
from bot.store.state import AccountLink, last_good_sync

UNASSIGNED = "Unassigned"
INVOICES_PER_OWNER = 20  # listed per owner; totals and buckets cover them all


@dataclass(frozen=True)
class OverdueInvoice:
    invoice_id: str
    number: str | None
    account_name: str  # the Salesforce account's name, else the Xero contact's
    sf_account_id: str | None
    contact_id: str
    due_date: date
    days_overdue: int
    bucket: str  # an AGING_BUCKETS label
    amount_due: Money
    xero_url: str | None


@dataclass(frozen=True)
class BucketTotal:
    label: str  # "1–30", "31–60", "61–90", "90+"
    count: int
    totals: list[Money]  # per currency


@dataclass(frozen=True)
class OwnerOverdue:
    owner_id: str | None  # None: Unassigned
    owner_name: str
    invoices: list[OverdueInvoice]  # most overdue first, at most the limit asked for
    more: int  # invoices not listed
    count: int
    totals: list[Money]
    buckets: list[BucketTotal]


@dataclass(frozen=True)
class OverdueReport:
    scope: Literal["mine", "all"]
    today: date
    groups: list[OwnerOverdue]  # owners by name, Unassigned last
    count: int
    totals: list[Money]
    buckets: list[BucketTotal]
    as_of: datetime | None  # the last whole Xero sync that succeeded


@dataclass(frozen=True)
class _Owned:
    owner_id: str | None
    invoice: OverdueInvoice


class OverdueService:
    def __init__(self, db: Database, config: AppConfig, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.config = config
        self.clock = clock

    def for_owner(self, sf_user_id: str, limit: int = INVOICES_PER_OWNER) -> OverdueReport:
        """"Overdue for me": the invoices this Salesforce user owns."""
        return self._report("mine", limit, lambda owner: owner == sf_user_id)

    def for_everyone(self, limit: int = INVOICES_PER_OWNER,
                     keep: Callable[[OverdueInvoice], bool] | None = None) -> OverdueReport:
        """Everyone's overdue invoices; ``keep`` leaves some out before grouping and totals (the
        alert digest drops snoozed ones and those under ``min_days_overdue``)."""
        return self._report("all", limit, lambda owner: True, keep)

    def _report(self, scope: Literal["mine", "all"], limit: int, wanted: Callable[[str | None], bool],
                keep: Callable[[OverdueInvoice], bool] | None = None) -> OverdueReport:
        today = local_today(self.clock(), self.config.alerts.timezone)
        with self.db.session() as s:
            owned = [o for o in _overdue_invoices(s, today)
                     if wanted(o.owner_id) and (keep is None or keep(o.invoice))]
            names = dict(s.execute(select(SfUser.id, SfUser.name)).all())
            as_of = s.scalar(last_good_sync("xero"))
        by_owner: dict[str | None, list[OverdueInvoice]] = defaultdict(list)
        for item in owned:
            by_owner[item.owner_id if item.owner_id in names else None].append(item.invoice)
        groups = [_group(owner, names.get(owner, UNASSIGNED) if owner else UNASSIGNED, invoices, limit)
                  for owner, invoices in by_owner.items()]
        groups.sort(key=lambda g: (g.owner_id is None, g.owner_name.casefold()))
        everything = [item.invoice for item in owned]
        return OverdueReport(scope, today, groups, len(everything), _totals(everything), _buckets(everything), as_of)


def _group(owner_id: str | None, name: str, invoices: list[OverdueInvoice], limit: int) -> OwnerOverdue:
    invoices.sort(key=lambda i: (-i.days_overdue, i.number or ""))
    return OwnerOverdue(owner_id, name, invoices[:limit], max(len(invoices) - limit, 0), len(invoices),
                        _totals(invoices), _buckets(invoices))


def _totals(invoices: Iterable[OverdueInvoice]) -> list[Money]:
    return totals_by_currency(i.amount_due for i in invoices)


def _buckets(invoices: list[OverdueInvoice]) -> list[BucketTotal]:
    """Count and per-currency totals of each aging bucket, in one pass."""
    counts = {bucket.label: 0 for bucket in AGING_BUCKETS}
    sums: dict[str, dict[str, Decimal]] = {bucket.label: {} for bucket in AGING_BUCKETS}
    for invoice in invoices:
        counts[invoice.bucket] += 1
        by_currency = sums[invoice.bucket]
        money = invoice.amount_due
        by_currency[money.currency] = by_currency.get(money.currency, Decimal(0)) + money.amount
    return [BucketTotal(label, counts[label], [Money(code, total) for code, total in sorted(sums[label].items())])
            for label in counts]


def _overdue_invoices(session: Session, today: date) -> list[_Owned]:
    """Every overdue invoice with its owner; one row per invoice even when its contact is
    linked to several accounts (the first account by id decides)."""
    short_code = organisation_short_code(session)
    deal_owner = dict(session.execute(
        select(SfOpportunity.xero_invoice_number, SfOpportunity.owner_id)
        .where(SfOpportunity.xero_invoice_number.is_not(None), SfOpportunity.is_deleted.is_(False))
        .order_by(SfOpportunity.close_date)).all())
    rows = session.execute(
        select(XeroInvoice.id, XeroInvoice.number, XeroInvoice.contact_id, XeroInvoice.due_date,
               XeroInvoice.currency, XeroInvoice.amount_due, XeroContact.name, SfAccount.id, SfAccount.name,
               SfAccount.owner_id)
        .outerjoin(XeroContact, XeroContact.id == XeroInvoice.contact_id)
        .outerjoin(AccountLink, AccountLink.xero_contact_id == XeroInvoice.contact_id)
        .outerjoin(SfAccount, and_(SfAccount.id == AccountLink.sf_account_id, SfAccount.is_deleted.is_(False)))
        .where(XeroInvoice.type == "ACCREC", XeroInvoice.status == "AUTHORISED", XeroInvoice.amount_due > 0,
               XeroInvoice.due_date < today)
    ).all()
    found: dict[str, _Owned] = {}
    for (invoice_id, number, contact_id, due, currency, amount_due, contact_name, account_id, account_name,
         account_owner) in rows:
        seen = found.get(invoice_id)
        if seen is not None and (account_id is None or (seen.invoice.sf_account_id or "~") <= account_id):
            continue
        days = days_overdue(due, today)
        bucket = aging_bucket(days)
        label = bucket.label if bucket else AGING_BUCKETS[0].label
        invoice = OverdueInvoice(invoice_id, number, account_name or contact_name or "", account_id, contact_id, due,
                                 days, label, Money(currency, amount_due), invoice_deep_link(short_code, invoice_id))
        owner = deal_owner.get(number) if number else None
        found[invoice_id] = _Owned(owner or (account_owner if account_id else None), invoice)
    return list(found.values())
