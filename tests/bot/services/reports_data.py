"""A small, hand-checked mirror for the report tests (the expected figures are written out in the
tests that use it).

The clock is 2026-10-31 23:30 UTC; the reports' zone is Europe/Berlin, where it is already
00:30 on Sunday 1 November 2026. Base currency GBP; 1 GBP = 1.25 USD = 1.15 EUR (Xero rates).

    owners    Rita Rep (005…R), Sam Seller (005…S)
    accounts  Acme Ltd (Rita) ↔ contact C-ACME; Beta GmbH (Sam) ↔ contact C-BETA; contact Gamma unlinked

    invoice  contact  cur  date        due         status      total     due now  owner
    INV-1    Acme     GBP  2026-10-05  2026-10-20  AUTHORISED  1200.00   1200.00  Rita (account)   12 d overdue
    INV-2    Acme     USD  2026-10-10  2026-11-09  AUTHORISED  1000.00    600.00  Rita             current, 400 paid
    INV-3    Beta     EUR  2026-07-15  2026-08-14  AUTHORISED  2300.00   2300.00  Sam              79 d (61–90)
    INV-4    Beta     GBP  2026-10-31  2026-11-30  PAID         500.00      0     Sam              paid 10-31
    INV-5    Gamma    GBP  2026-11-01  2026-12-01  AUTHORISED   800.00    800.00  Unassigned       current
    INV-6    Gamma    GBP  2026-05-01  2026-05-31  AUTHORISED   300.00    300.00  Unassigned       154 d (90+)
    INV-7    Acme     GBP  2026-10-12  2026-11-11  VOIDED       999.00      0     (not counted)
    INV-8    Beta     EUR  2026-10-12  2026-11-11  DRAFT        777.00    777.00  (not counted)
    INV-9    Beta     GBP  2026-09-10  2026-10-10  AUTHORISED   450.00    450.00  Rita (deal O3)   22 d (1–30)

    payments  400.00 on INV-2 (10-25), 500.00 on INV-4 (10-31), 100.00 on INV-3 (10-20, DELETED)

    opportunity  owner  won  close       cur  amount   invoice
    O1           Rita   yes  2026-10-03  GBP  1500.00  INV-1
    O2           Rita   yes  2026-10-28  USD  2000.00  —        at risk
    O3           Rita   yes  2026-09-01  GBP   450.00  INV-9
    O4           Sam    yes  2026-10-15  EUR  2000.00  —        at risk
    O5           Sam    no   2026-10-20  EUR  5000.00  —        (open: not counted)
    O6           Sam    yes  2026-11-01  GBP   700.00  —        at risk
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import insert

from bot.store.mirror import SfAccount, SfOpportunity, SfUser, XeroContact, XeroInvoice, XeroOrganisation, XeroPayment
from bot.store.session import Database
from bot.store.state import AccountLink

NOW = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)
RITA, SAM = "005000000000000RIT", "005000000000000SAM"
ACME, BETA = "001000000000000ACM", "001000000000000BET"
C_ACME, C_BETA, C_GAMMA = "c0000000-0000-0000-0000-00000000acme", "c0000000-0000-0000-0000-00000000beta", \
    "c0000000-0000-0000-0000-0000000gamma"
RATES = {"GBP": Decimal("1.000000"), "USD": Decimal("1.250000"), "EUR": Decimal("1.150000")}


def _invoice(n: int, contact: str, currency: str, day: date, due: date, status: str, total: str,
             amount_due: str) -> dict[str, object]:
    total_d, due_d = Decimal(total), Decimal(amount_due)
    return {"id": f"10000000-0000-0000-0000-{n:012d}", "number": f"INV-{n}", "type": "ACCREC", "contact_id": contact,
            "status": status, "date": day, "due_date": due, "currency": currency, "currency_rate": RATES[currency],
            "sub_total": total_d, "total_tax": Decimal(0), "total": total_d, "amount_due": due_d,
            "amount_paid": total_d - due_d if status in ("AUTHORISED", "PAID") else Decimal(0),
            "updated_at_xero": NOW}


def invoice_id(n: int) -> str:
    return f"10000000-0000-0000-0000-{n:012d}"


def seed(db: Database) -> None:
    d = date
    with db.engine.begin() as c:
        c.execute(insert(XeroOrganisation.__table__),
                  [{"id": "org-1", "name": "Paidup Demo Ltd", "base_currency": "GBP"}])
        c.execute(insert(SfUser.__table__), [
            {"id": RITA, "name": "Rita Rep", "email": "rita.rep@paidup.example", "is_active": True},
            {"id": SAM, "name": "Sam Seller", "email": "sam.seller@paidup.example", "is_active": True}])
        c.execute(insert(SfAccount.__table__), [
            {"id": ACME, "name": "Acme Ltd", "name_key": "acme", "owner_id": RITA, "raw": {}, "is_deleted": False},
            {"id": BETA, "name": "Beta GmbH", "name_key": "beta", "owner_id": SAM, "raw": {}, "is_deleted": False}])
        c.execute(insert(XeroContact.__table__), [
            {"id": C_ACME, "name": "ACME LIMITED", "name_key": "acme", "raw": {}},
            {"id": C_BETA, "name": "Beta GmbH", "name_key": "beta", "raw": {}},
            {"id": C_GAMMA, "name": "Gamma Trading", "name_key": "gamma trading", "raw": {}}])
        c.execute(insert(AccountLink.__table__), [
            {"sf_account_id": ACME, "xero_contact_id": C_ACME, "method": "explicit"},
            {"sf_account_id": BETA, "xero_contact_id": C_BETA, "method": "explicit"}])
        c.execute(insert(XeroInvoice.__table__), [
            _invoice(1, C_ACME, "GBP", d(2026, 10, 5), d(2026, 10, 20), "AUTHORISED", "1200.00", "1200.00"),
            _invoice(2, C_ACME, "USD", d(2026, 10, 10), d(2026, 11, 9), "AUTHORISED", "1000.00", "600.00"),
            _invoice(3, C_BETA, "EUR", d(2026, 7, 15), d(2026, 8, 14), "AUTHORISED", "2300.00", "2300.00"),
            _invoice(4, C_BETA, "GBP", d(2026, 10, 31), d(2026, 11, 30), "PAID", "500.00", "0"),
            _invoice(5, C_GAMMA, "GBP", d(2026, 11, 1), d(2026, 12, 1), "AUTHORISED", "800.00", "800.00"),
            _invoice(6, C_GAMMA, "GBP", d(2026, 5, 1), d(2026, 5, 31), "AUTHORISED", "300.00", "300.00"),
            _invoice(7, C_ACME, "GBP", d(2026, 10, 12), d(2026, 11, 11), "VOIDED", "999.00", "0"),
            _invoice(8, C_BETA, "EUR", d(2026, 10, 12), d(2026, 11, 11), "DRAFT", "777.00", "777.00"),
            _invoice(9, C_BETA, "GBP", d(2026, 9, 10), d(2026, 10, 10), "AUTHORISED", "450.00", "450.00")])
        c.execute(insert(XeroPayment.__table__), [
            {"id": "p1", "invoice_id": invoice_id(2), "date": d(2026, 10, 25), "amount": Decimal("400.00"),
             "currency": "USD", "status": "AUTHORISED", "payment_type": "ACCRECPAYMENT"},
            {"id": "p2", "invoice_id": invoice_id(4), "date": d(2026, 10, 31), "amount": Decimal("500.00"),
             "currency": "GBP", "status": "AUTHORISED", "payment_type": "ACCRECPAYMENT"},
            {"id": "p3", "invoice_id": invoice_id(3), "date": d(2026, 10, 20), "amount": Decimal("100.00"),
             "currency": "EUR", "status": "DELETED", "payment_type": "ACCRECPAYMENT"}])

        def opp(n: int, owner: str, won: bool, close: date, currency: str, amount: str, number: str | None,
                account: str) -> dict[str, object]:
            return {"id": f"006000000000000O{n:02d}", "name": f"Deal O{n}", "account_id": account, "owner_id": owner,
                    "stage": "Closed Won" if won else "Negotiation", "is_closed": won, "is_won": won,
                    "close_date": close, "amount": Decimal(amount), "currency": currency,
                    "xero_invoice_number": number, "is_deleted": False}

        c.execute(insert(SfOpportunity.__table__), [
            opp(1, RITA, True, d(2026, 10, 3), "GBP", "1500.00", "INV-1", ACME),
            opp(2, RITA, True, d(2026, 10, 28), "USD", "2000.00", None, ACME),
            opp(3, RITA, True, d(2026, 9, 1), "GBP", "450.00", "INV-9", BETA),
            opp(4, SAM, True, d(2026, 10, 15), "EUR", "2000.00", None, BETA),
            opp(5, SAM, False, d(2026, 10, 20), "EUR", "5000.00", None, BETA),
            opp(6, SAM, True, d(2026, 11, 1), "GBP", "700.00", None, BETA)])
