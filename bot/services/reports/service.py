"""`/paidup report`: closed-won vs invoiced vs collected, receivables aging, DSO, top overdue
accounts and revenue at risk, per currency and per owner, as plain data.

Figures are summed in SQL (``figures``); this module puts them together per currency and per
owner and decides who may see what:

- ``me``: the asker's own records (their Salesforce user, by Slack email through ``PeopleService``);
- ``team``: every owner's figures side by side (records with no known owner left out);
- ``all``: the whole organisation, "Unassigned" included.

``team`` and ``all`` are for approvers (``approvals.approvers``, or whatever approver check the
composition root passes in) and ``reports.managers``.

Formulas (README "Reports" says the same):
- closed-won: Salesforce opportunity ``Amount`` of won opportunities with a close date in the period;
- invoiced: ``Total`` (tax included) of approved sales invoices (AUTHORISED or PAID) dated in the period;
- collected: authorised payments on sales invoices dated in the period (cash; credit notes are not cash);
- receivables and aging: ``AmountDue`` of AUTHORISED sales invoices today, by days past the due date;
- DSO = receivables today ÷ invoiced in the last 90 days (today included) × 90, per currency; none
  when nothing was invoiced in those 90 days;
- revenue at risk: closed-won opportunities (any close date) with no Xero invoice number yet;
- base-currency total: each amount divided by its invoice's Xero ``CurrencyRate`` (units of the
  invoice currency per unit of the base currency); collected uses the paid invoice's rate (the
  mirror does not keep the payment's own rate); closed-won has no rate and is not converted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import AppConfig
from bot.domain.aging import local_today
from bot.services.reports import figures as sql
from bot.services.reports.figures import DSO_DAYS, ZERO, Scope, Who, Window
from bot.services.reports.periods import Period, add_months, month_start, resolve_period
from bot.store.base import utcnow
from bot.store.mirror import XeroOrganisation
from bot.store.session import Database
from bot.store.state import last_good_sync

UNASSIGNED = "Unassigned"
AGING_LABELS = ("Current", "1–30", "31–60", "61–90", "90+")
AGING_MEASURES = ("current", "d1_30", "d31_60", "d61_90", "d90_plus")
CHART_MONTHS = 12
UNINVOICED_SHOWN = 5
WHOLE_SYNCS = ("full", "incremental", "reconcile")
Access = Literal["allowed", "refused"]


@dataclass(frozen=True)
class CurrencyFigures:
    currency: str
    closed_won: Decimal
    closed_won_count: int
    invoiced: Decimal
    invoiced_count: int
    collected: Decimal
    receivable: Decimal
    aging: tuple[tuple[str, Decimal], ...]  # (AGING_LABELS[i], amount due)
    overdue: Decimal
    overdue_count: int
    dso: Decimal | None  # whole days; None when nothing was invoiced in the last 90 days
    at_risk: Decimal  # closed-won, not invoiced (any close date)
    at_risk_count: int


@dataclass(frozen=True)
class OwnerLine:
    currency: str
    closed_won: Decimal
    invoiced: Decimal
    collected: Decimal
    receivable: Decimal
    overdue: Decimal
    at_risk: Decimal


@dataclass(frozen=True)
class OwnerFigures:
    owner_id: str | None  # None: Unassigned
    name: str
    lines: list[OwnerLine]  # by currency code


@dataclass(frozen=True)
class MonthlySeries:
    currency: str
    months: list[date]  # the 1st of each month, oldest first
    invoiced: list[Decimal]
    collected: list[Decimal]


@dataclass(frozen=True)
class BaseTotal:
    """The period's figures in the organisation's base currency, at each invoice's CurrencyRate."""

    currency: str
    invoiced: Decimal
    collected: Decimal
    receivable: Decimal
    unrated_invoices: int  # invoices and payments in another currency with no rate: left out of the total
    unrated_currencies: tuple[str, ...]


@dataclass(frozen=True)
class UninvoicedDeal:
    opportunity_id: str
    name: str
    account_name: str | None
    owner_name: str
    currency: str
    amount: Decimal | None
    close_date: date | None
    days_waiting: int | None  # since the close date


@dataclass(frozen=True)
class OverdueAccount:
    name: str
    currency: str
    overdue: Decimal
    invoices: int
    days_overdue: int  # of its oldest overdue invoice


@dataclass(frozen=True)
class Report:
    scope: Scope
    period: Period
    today: date
    timezone: str
    subject: str  # "Rita Rep", "the sales team", "everyone"
    currencies: list[CurrencyFigures]  # by currency code
    owners: list[OwnerFigures]  # by name, Unassigned last
    top_overdue: list[OverdueAccount]  # per currency, largest first
    uninvoiced: list[UninvoicedDeal]  # waiting longest first, capped
    monthly: list[MonthlySeries]
    base: BaseTotal | None
    base_note: str | None  # why there is no base-currency total
    as_of: dict[str, datetime | None] = field(default_factory=dict)  # last whole sync per source

    @property
    def empty(self) -> bool:
        return not self.currencies


class ReportService:
    def __init__(self, db: Database, config: AppConfig, clock: Callable[[], datetime] = utcnow,
                 is_approver: Callable[[str], bool] | None = None) -> None:
        self.db = db
        self.config = config
        self.clock = clock
        self._is_approver = is_approver

    @property
    def timezone(self) -> str:
        return self.config.reports.zone(self.config.alerts)

    def today(self) -> date:
        return local_today(self.clock(), self.timezone)

    def may_see_everyone(self, chat_user_id: str) -> bool:
        """Approvers and ``reports.managers`` may see team and all reports."""
        if chat_user_id in self.config.reports.managers or chat_user_id in self.config.approvals.approvers:
            return True
        return bool(self._is_approver and self._is_approver(chat_user_id))

    def access(self, chat_user_id: str, scope: Scope) -> Access:
        return "allowed" if scope == "me" or self.may_see_everyone(chat_user_id) else "refused"

    def build(self, scope: Scope, period_key: str, sf_user_id: str | None = None,
              subject: str | None = None) -> Report:
        """The report; ``sf_user_id`` is required for "me". PeriodError for a period that can't be read."""
        if scope == "me" and not sf_user_id:
            raise ValueError("a 'me' report needs the asker's Salesforce user id")
        today = self.today()
        period = resolve_period(period_key, today)
        window = Window(period.start, period.end, today, add_months(month_start(period.end), 1 - CHART_MONTHS))
        who = Who(scope, sf_user_id)
        top_n = self.config.reports.top_accounts
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="report") as beside:
            # Everyone's figures that need no owner are read on a second connection meanwhile: the
            # database works with the GIL released, so on two cores the report takes about as long
            # as the owner tables and what reads them (~0.9 -> ~0.6 s on the 200,000-invoice bench).
            unowned = beside.submit(self._unowned_figures, window, who) if scope == "all" else None
            with self.db.session() as s, sql.owner_tables(s, scope):
                base_currency = s.scalar(select(XeroOrganisation.base_currency).limit(1))
                invoices = sql.invoice_rows(s, window, who, base_currency)
                collected = sql.collected_rows(s, window, who, base_currency)
                top = sql.top_overdue(s, window, who, top_n,
                                      {r.currency for r in invoices if r.get("overdue_count")})
                dso_sales, deals, oldest, monthly = (
                    unowned.result() if unowned is not None else self._unowned_figures(window, who, s))
                owner_ids = [r.owner_id for r in invoices] + [r.owner_id for r in collected] + \
                    [d.owner_id for d in deals]
                names = sql.owner_names(s, owner_ids + [d.owner_id for d in oldest])
                as_of = {source: s.scalar(last_good_sync(source, WHOLE_SYNCS)) for source in ("salesforce", "xero")}
        base, note = _base_total(base_currency, invoices, collected)
        return Report(
            scope, period, today, self.timezone,
            subject or {"me": "you", "team": "the sales team", "all": "everyone"}[scope],
            _per_currency(invoices, dso_sales, collected, deals), _per_owner(invoices, collected, deals, names),
            [OverdueAccount(r.name, r.currency, r.overdue, r.invoices, (today - r.oldest_due).days) for r in top],
            [UninvoicedDeal(d.opportunity_id, d.name, d.account_name, names.get(d.owner_id or "", UNASSIGNED),
                            d.currency, d.amount, d.close_date,
                            (today - d.close_date).days if d.close_date else None) for d in oldest],
            monthly, base, note, as_of)


    def _unowned_figures(self, window: Window, who: Who, session: Session | None = None) -> tuple[
            dict[str, Decimal], list[sql.DealRow], list[sql.UninvoicedDealRow], list[MonthlySeries]]:
        """DSO sales, deals, the oldest uninvoiced deals and the monthly series: for ``all`` none of them
        reads the owner tables, so they may come from a session of their own."""
        with nullcontext(session) if session is not None else self.db.session() as s:
            return (sql.dso_sales(s, window, who), sql.deal_rows(s, window, who),
                    sql.oldest_uninvoiced(s, who, UNINVOICED_SHOWN),
                    _monthly(window, sql.daily_invoiced(s, window, who), sql.daily_collected(s, window, who)))

@dataclass
class _Sums:
    won: Decimal = ZERO
    won_n: int = 0
    invoiced: Decimal = ZERO
    invoiced_n: int = 0
    collected: Decimal = ZERO
    receivable: Decimal = ZERO
    aging: list[Decimal] = field(default_factory=lambda: [ZERO] * len(AGING_LABELS))
    overdue_n: int = 0
    sales: Decimal = ZERO
    risk: Decimal = ZERO
    risk_n: int = 0


def _per_currency(invoices: list[sql.InvoiceRow], dso_sales: dict[str, Decimal], collected: list[sql.CollectedRow],
                  deals: list[sql.DealRow]) -> list[CurrencyFigures]:
    sums: dict[str, _Sums] = defaultdict(_Sums)
    for r in invoices:
        a = sums[r.currency]
        a.invoiced += _d(r.get("invoiced"))
        a.invoiced_n += int(r.get("invoiced_count"))
        a.receivable += _d(r.get("receivable"))
        a.aging = [x + _d(r.get(m)) for x, m in zip(a.aging, AGING_MEASURES, strict=True)]
        a.overdue_n += int(r.get("overdue_count"))
    for currency, sales in dso_sales.items():
        sums[currency].sales += sales
    for c in collected:
        sums[c.currency].collected += c.collected
    for d in deals:
        a = sums[d.currency]
        a.won += d.won
        a.won_n += d.won_count
        a.risk += d.at_risk
        a.risk_n += d.at_risk_count
    out = []
    for currency, a in sorted(sums.items()):
        dso = (a.receivable / a.sales * DSO_DAYS).quantize(Decimal(1), ROUND_HALF_UP) if a.sales > 0 else None
        out.append(CurrencyFigures(currency, a.won, a.won_n, a.invoiced, a.invoiced_n, a.collected, a.receivable,
                                   tuple(zip(AGING_LABELS, a.aging, strict=True)), sum(a.aging[1:], ZERO),
                                   a.overdue_n, dso, a.risk, a.risk_n))
    return out


def _per_owner(invoices: list[sql.InvoiceRow], collected: list[sql.CollectedRow],
               deals: list[sql.DealRow], names: dict[str, str]) -> list[OwnerFigures]:
    """One entry per owner (an owner id not among the Salesforce users counts as Unassigned)."""
    lines: dict[str | None, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(lambda: [ZERO] * 6))

    def add(owner: str | None, currency: str, index: int, amount: Decimal) -> None:
        key = owner if owner in names else None
        lines[key][currency][index] += amount

    for r in invoices:
        add(r.owner_id, r.currency, 1, _d(r.get("invoiced")))
        add(r.owner_id, r.currency, 3, _d(r.get("receivable")))
        add(r.owner_id, r.currency, 4, sum((_d(r.get(m)) for m in AGING_MEASURES[1:]), ZERO))
    for c in collected:
        add(c.owner_id, c.currency, 2, c.collected)
    for d in deals:
        add(d.owner_id, d.currency, 0, d.won)
        add(d.owner_id, d.currency, 5, d.at_risk)
    owners = [OwnerFigures(owner, names[owner] if owner else UNASSIGNED,
                           [OwnerLine(currency, *values) for currency, values in sorted(by_currency.items())
                            if any(values)])
              for owner, by_currency in lines.items()]
    owners = [o for o in owners if o.lines]
    owners.sort(key=lambda o: (o.owner_id is None, o.name.casefold()))
    return owners


def _monthly(window: Window, invoiced: list[tuple[str, date, Decimal]],
             collected: list[tuple[str, date, Decimal]]) -> list[MonthlySeries]:
    months = [add_months(window.months_from, n) for n in range(CHART_MONTHS)]
    index = {m: n for n, m in enumerate(months)}
    series: dict[str, tuple[list[Decimal], list[Decimal]]] = {}
    for which, rows in ((0, invoiced), (1, collected)):
        for currency, day, amount in rows:
            pair = series.setdefault(currency, ([ZERO] * CHART_MONTHS, [ZERO] * CHART_MONTHS))
            pair[which][index[month_start(day)]] += amount
    return [MonthlySeries(currency, months, inv, col) for currency, (inv, col) in sorted(series.items())]


def _base_total(base: str | None, invoices: list[sql.InvoiceRow],
                collected: list[sql.CollectedRow]) -> tuple[BaseTotal | None, str | None]:
    if not base:
        return None, "no base-currency total: the Xero organisation (its base currency) is not in the mirror yet"
    unrated: dict[str, int] = defaultdict(int)  # summed over every owner's rows (each owner has one per currency)
    for currency, n in [(r.currency, int(r.get("unrated"))) for r in invoices] + [(c.currency, c.unrated)
                                                                                for c in collected]:
        if n:
            unrated[currency] += n
    return BaseTotal(base, sum((_d(r.get("base_invoiced")) for r in invoices), ZERO),
                     sum((c.base_collected for c in collected), ZERO),
                     sum((_d(r.get("base_receivable")) for r in invoices), ZERO),
                     sum(unrated.values()), tuple(sorted(unrated))), None


def _d(value: Decimal | int) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)
