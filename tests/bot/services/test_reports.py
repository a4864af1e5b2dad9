"""Report figures against the hand-checked mirror of ``reports_data`` (its docstring is the data set;
every expected number below is worked out by hand from it)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import insert, update

from bot.config import AppConfig
from bot.services.reports import PeriodError, ReportService, resolve_period
from bot.services.reports.service import CurrencyFigures, Report
from bot.store.mirror import SfOpportunity, XeroInvoice, XeroPayment
from bot.store.session import Database

from .reports_data import ACME, C_BETA, NOW, RITA, SAM, _invoice, seed

D = Decimal


def config(zone: str = "Europe/Berlin") -> AppConfig:
    return AppConfig.model_validate({"alerts": {"timezone": "Europe/London"},
                                     "reports": {"timezone": zone, "managers": ["U0MANAGER"], "top_accounts": 3},
                                     "approvals": {"approvers": ["U0FINANCE1"]}})


@pytest.fixture
def reports(db: Database) -> ReportService:
    seed(db)
    return ReportService(db, config(), clock=lambda: NOW)


def figures(report: Report) -> dict[str, CurrencyFigures]:
    return {c.currency: c for c in report.currencies}


def test_last_month_for_everyone(reports: ReportService) -> None:
    report = reports.build("all", "last month")
    assert report.today == date(2026, 11, 1)  # 23:30 UTC on 31 October is 00:30 on 1 November in Berlin
    assert (report.period.start, report.period.end, report.period.label) == \
        (date(2026, 10, 1), date(2026, 10, 31), "October 2026")
    eur, gbp, usd = figures(report)["EUR"], figures(report)["GBP"], figures(report)["USD"]
    assert list(figures(report)) == ["EUR", "GBP", "USD"]

    # closed-won: O1 (GBP 1500), O2 (USD 2000), O4 (EUR 2000); O3 closed in September, O6 in November, O5 lost
    assert (gbp.closed_won, usd.closed_won, eur.closed_won) == (D("1500.00"), D("2000.00"), D("2000.00"))
    assert (gbp.closed_won_count, usd.closed_won_count, eur.closed_won_count) == (1, 1, 1)
    # invoiced in October: INV-1 1200 + INV-4 500 (INV-7 voided, INV-8 a draft, INV-5 is November's)
    assert (gbp.invoiced, gbp.invoiced_count) == (D("1700.00"), 2)
    assert (usd.invoiced, eur.invoiced) == (D("1000.00"), D("0.00"))
    # collected in October: 500 on INV-4, 400 on INV-2; the EUR payment was deleted
    assert (gbp.collected, usd.collected, eur.collected) == (D("500.00"), D("400.00"), D("0.00"))
    # receivables today: 1200 + 800 + 300 + 450; 600; 2300
    assert (gbp.receivable, usd.receivable, eur.receivable) == (D("2750.00"), D("600.00"), D("2300.00"))
    assert gbp.aging == (("Current", D("800.00")), ("1–30", D("1650.00")), ("31–60", D("0.00")),
                         ("61–90", D("0.00")), ("90+", D("300.00")))
    assert eur.aging[3] == ("61–90", D("2300.00")) and usd.aging[0] == ("Current", D("600.00"))
    assert (gbp.overdue, gbp.overdue_count, usd.overdue, usd.overdue_count) == (D("1950.00"), 3, D("0.00"), 0)
    # DSO = receivables ÷ invoiced 3 Aug–1 Nov × 90: GBP 2750 / (1200+500+800+450) × 90 = 83.9 → 84;
    # USD 600 / 1000 × 90 = 54; EUR: nothing invoiced in those 90 days (INV-3 is from July)
    assert (gbp.dso, usd.dso, eur.dso) == (D(84), D(54), None)
    # revenue at risk: closed-won without an invoice, any close date
    assert (gbp.at_risk, gbp.at_risk_count, usd.at_risk, eur.at_risk) == (D("700.00"), 1, D("2000.00"), D("2000.00"))


def test_per_owner_with_unassigned_last(reports: ReportService) -> None:
    report = reports.build("all", "last month")
    owners = {o.name: {line.currency: (line.closed_won, line.invoiced, line.collected, line.receivable, line.overdue,
                                       line.at_risk) for line in o.lines} for o in report.owners}
    assert [o.name for o in report.owners] == ["Rita Rep", "Sam Seller", "Unassigned"]
    assert owners["Rita Rep"] == {  # INV-9 is on Sam's account but Rita's deal O3 was invoiced with it
        "GBP": (D("1500.00"), D("1200.00"), D("0.00"), D("1650.00"), D("1650.00"), D("0.00")),
        "USD": (D("2000.00"), D("1000.00"), D("400.00"), D("600.00"), D("0.00"), D("2000.00"))}
    assert owners["Sam Seller"] == {
        "EUR": (D("2000.00"), D("0.00"), D("0.00"), D("2300.00"), D("2300.00"), D("2000.00")),
        "GBP": (D("0.00"), D("500.00"), D("500.00"), D("0.00"), D("0.00"), D("700.00"))}
    assert owners["Unassigned"] == {"GBP": (D("0.00"), D("0.00"), D("0.00"), D("1100.00"), D("300.00"), D("0.00"))}


def test_top_overdue_accounts_per_currency_and_uninvoiced_deals(reports: ReportService) -> None:
    report = reports.build("all", "last month")
    assert [(a.currency, a.name, a.overdue, a.invoices, a.days_overdue) for a in report.top_overdue] == [
        ("EUR", "Beta GmbH", D("2300.00"), 1, 79),
        ("GBP", "Acme Ltd", D("1200.00"), 1, 12),  # the Salesforce account's name, not Xero's "ACME LIMITED"
        ("GBP", "Beta GmbH", D("450.00"), 1, 22),
        ("GBP", "Gamma Trading", D("300.00"), 1, 154),  # not linked: the Xero contact's name
    ]
    assert [(d.name, d.owner_name, d.amount, d.days_waiting) for d in report.uninvoiced] == [
        ("Deal O4", "Sam Seller", D("2000.00"), 17), ("Deal O2", "Rita Rep", D("2000.00"), 4),
        ("Deal O6", "Sam Seller", D("700.00"), 0)]


def test_base_currency_total_uses_each_invoices_rate(reports: ReportService) -> None:
    base = reports.build("all", "last month").base
    assert base is not None and base.currency == "GBP"
    assert base.invoiced == D("2500.00")  # 1700 + 1000 / 1.25
    assert base.collected == D("820.00")  # 500 + 400 / 1.25
    assert base.receivable == D("5230.00")  # 2750 + 600 / 1.25 + 2300 / 1.15
    assert (base.unrated_invoices, base.unrated_currencies) == (0, ())


def test_unrated_invoices_and_payments_are_counted_for_every_owner(db: Database) -> None:
    seed(db)
    with db.engine.begin() as c:  # INV-2 (Rita's, 400 paid in October) and a new one of Sam's: USD, no rate
        c.execute(update(XeroInvoice.__table__).where(XeroInvoice.number == "INV-2").values(currency_rate=None))
        c.execute(insert(XeroInvoice.__table__), [{**_invoice(10, C_BETA, "USD", date(2026, 10, 20),
                                                              date(2026, 11, 19), "AUTHORISED", "90.00", "90.00"),
                                                   "currency_rate": None}])
    base = ReportService(db, config(), clock=lambda: NOW).build("all", "last month").base
    assert base is not None
    assert (base.unrated_invoices, base.unrated_currencies) == (3, ("USD",))  # INV-2, INV-10 and the payment
    assert base.invoiced == D("1700.00") and base.receivable == D("4750.00")  # GBP 2750 + EUR 2300 / 1.15


def test_a_deal_without_a_close_date_loses_the_invoice_to_a_dated_one_on_both_databases(db: Database) -> None:
    seed(db)
    with db.engine.begin() as c:  # INV-1 is named by Rita's O1 (closed 3 Oct) and now by an undated deal of Sam's
        c.execute(insert(SfOpportunity.__table__), [{
            "id": "006000000000000O99", "name": "Deal O99", "account_id": ACME, "owner_id": SAM, "stage": "Closed Won",
            "is_closed": True, "is_won": True, "close_date": None, "amount": D("1200.00"), "currency": "GBP",
            "xero_invoice_number": "INV-1", "is_deleted": False}])
    owners = {o.name: o for o in ReportService(db, config(), clock=lambda: NOW).build("all", "last month").owners}
    rita_gbp = {line.currency: line for line in owners["Rita Rep"].lines}["GBP"]
    assert rita_gbp.receivable == D("1650.00")  # INV-1 stays Rita's: 1200 + INV-9's 450
    assert "GBP" not in {line.currency for line in owners["Sam Seller"].lines if line.receivable}


def test_this_month_is_november_in_berlin_and_october_in_utc(db: Database) -> None:
    seed(db)
    berlin = ReportService(db, config("Europe/Berlin"), clock=lambda: NOW).build("all", "this month")
    assert (berlin.period.start, berlin.period.end) == (date(2026, 11, 1), date(2026, 11, 1))
    assert figures(berlin)["GBP"].invoiced == D("800.00")  # INV-5, dated 1 November
    assert figures(berlin)["GBP"].closed_won == D("700.00")  # O6
    utc = ReportService(db, config("UTC"), clock=lambda: NOW).build("all", "this month")
    assert (utc.period.start, utc.period.end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert figures(utc)["GBP"].invoiced == D("1700.00")  # still October in UTC: INV-5 not yet
    # aging moves with "today": INV-1 (due 20 Oct) is 11 days overdue in UTC, 12 in Berlin; both 1–30
    assert [a.days_overdue for a in utc.top_overdue if a.name == "Acme Ltd"] == [11]


def test_me_is_my_own_records(reports: ReportService) -> None:
    rita = reports.build("me", "2026-10", RITA, "Rita Rep")
    assert rita.subject == "Rita Rep" and [o.name for o in rita.owners] == ["Rita Rep"]
    gbp = figures(rita)["GBP"]
    assert (gbp.closed_won, gbp.invoiced, gbp.collected, gbp.receivable) == \
        (D("1500.00"), D("1200.00"), D("0.00"), D("1650.00"))
    assert gbp.dso == D(90)  # 1650 / (1200 + 450) × 90
    assert [a.name for a in rita.top_overdue] == ["Acme Ltd", "Beta GmbH"]
    assert [d.name for d in rita.uninvoiced] == ["Deal O2"]
    sam = reports.build("me", "last month", SAM)
    assert set(figures(sam)) == {"EUR", "GBP"} and figures(sam)["GBP"].collected == D("500.00")


def test_team_leaves_out_records_without_an_owner(reports: ReportService) -> None:
    team = reports.build("team", "last month")
    assert [o.name for o in team.owners] == ["Rita Rep", "Sam Seller"]
    assert figures(team)["GBP"].receivable == D("1650.00")  # 2750 without Gamma's 800 + 300
    assert "Gamma Trading" not in [a.name for a in team.top_overdue]


def test_monthly_series_cover_twelve_months_to_the_periods_end(reports: ReportService) -> None:
    monthly = {m.currency: m for m in reports.build("all", "last month").monthly}
    gbp = monthly["GBP"]
    assert gbp.months[0] == date(2025, 11, 1) and gbp.months[-1] == date(2026, 10, 1) and len(gbp.months) == 12
    assert dict(zip(gbp.months, gbp.invoiced, strict=True))[date(2026, 5, 1)] == D("300.00")
    assert (gbp.invoiced[-1], gbp.collected[-1], gbp.invoiced[-2]) == (D("1700.00"), D("500.00"), D("450.00"))
    assert (monthly["USD"].invoiced[-1], monthly["USD"].collected[-1]) == (D("1000.00"), D("400.00"))
    assert sum(monthly["EUR"].invoiced) == D("2300.00")


def test_a_payment_with_no_currency_and_no_invoice_in_the_mirror_is_left_out(db: Database) -> None:
    seed(db)
    with db.engine.begin() as c:  # a payment synced before its invoice, stored without a currency
        c.execute(insert(XeroPayment.__table__).values(
            id="p-orphan", invoice_id="00000000-0000-0000-0000-0000000000ff", date=date(2026, 10, 20),
            amount=D("75.00"), currency=None, status="AUTHORISED", payment_type="ACCRECPAYMENT"))
    report = ReportService(db, config(), clock=lambda: NOW).build("all", "last month")
    monthly = {m.currency: m for m in report.monthly}
    assert set(monthly) == {"EUR", "GBP", "USD"} and monthly["GBP"].collected[-1] == D("500.00")
    assert figures(report)["GBP"].collected == D("500.00")


def test_access_team_and_all_for_approvers_and_managers_only(reports: ReportService) -> None:
    assert reports.access("U0REP0001", "me") == "allowed"
    assert reports.access("U0REP0001", "team") == "refused" and reports.access("U0REP0001", "all") == "refused"
    assert reports.access("U0FINANCE1", "all") == "allowed" and reports.access("U0MANAGER", "team") == "allowed"
    grouped = ReportService(reports.db, config(), clock=lambda: NOW, is_approver=lambda user: user == "U0GROUPED")
    assert grouped.access("U0GROUPED", "all") == "allowed" and grouped.access("U0REP0001", "all") == "refused"


def test_an_empty_mirror_is_an_empty_report(db: Database) -> None:
    report = ReportService(db, config(), clock=lambda: NOW).build("all", "quarter")
    assert report.empty and report.owners == [] and report.top_overdue == [] and report.base is None
    assert report.base_note and "base currency" in report.base_note
    assert (report.period.start, report.period.label) == (date(2026, 10, 1), "Q4 2026 (to date)")


@pytest.mark.parametrize(("key", "start", "end"), [
    ("this month", date(2026, 11, 1), date(2026, 11, 15)),
    ("last month", date(2026, 10, 1), date(2026, 10, 31)),
    ("quarter", date(2026, 10, 1), date(2026, 11, 15)),
    ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2026-11", date(2026, 11, 1), date(2026, 11, 15)),
])
def test_periods(key: str, start: date, end: date) -> None:
    period = resolve_period(key, date(2026, 11, 15))
    assert (period.start, period.end) == (start, end)


def test_last_month_in_january_is_december() -> None:
    period = resolve_period("last month", date(2027, 1, 3))
    assert (period.start, period.end, period.label) == (date(2026, 12, 1), date(2026, 12, 31), "December 2026")


@pytest.mark.parametrize(("key", "says"), [("2026-13", "not a month"), ("2027-01", "hasn't started"),
                                           ("next year", "can't read")])
def test_periods_that_cannot_be_reported(key: str, says: str) -> None:
    with pytest.raises(PeriodError, match=says):
        resolve_period(key, date(2026, 11, 15))
