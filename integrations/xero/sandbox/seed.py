"""Fill a ledger from ``integrations.demo_data``: organisation, settings, contacts, invoices, payments.

Dates are relative to the ``today`` the sandbox was given; ``UpdatedDateUTC`` of a seeded record
is the day of its last event (issue or last payment), never later than ``now``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from integrations import demo_data as demo
from integrations.xero.sandbox.ledger import Ledger, Record
from integrations.xero.sandbox.totals import ZERO, price_lines

CURRENCY_RATES = {"USD": Decimal("1.000000"), "GBP": Decimal("0.790000"), "EUR": Decimal("0.920000"),
                  "AUD": Decimal("1.520000")}
_ACCOUNT_CLASS = {"BANK": "ASSET", "CURRENT": "ASSET", "REVENUE": "REVENUE", "EXPENSE": "EXPENSE"}
BANK_ACCOUNT_CODE = "090"


def organisation_record(now: datetime) -> Record:
    return {**demo.ORGANISATION, "OrganisationStatus": "ACTIVE", "Class": "DEMO", "Edition": "BUSINESS",
            "FinancialYearEndDay": 31, "FinancialYearEndMonth": 12, "SalesTaxBasis": "ACCRUALS",
            "DefaultSalesTax": "Tax Exclusive", "DefaultPurchasesTax": "Tax Exclusive", "APIKey": "",
            "CreatedDateUTC": now - timedelta(days=730)}


def seed_settings(ledger: Ledger, now: datetime) -> None:
    for code, description in demo.CURRENCIES:
        ledger.put("Currencies", {"Code": code, "Description": description}, "Code")
    for tax_type, name, rate, revenue in demo.TAX_RATES:
        ledger.put("TaxRates", {
            "Name": name, "TaxType": tax_type, "Status": "ACTIVE", "ReportTaxType": "INPUT" if not revenue else (
                tax_type if tax_type in ("EXEMPTOUTPUT", "NONE") else "OUTPUT"),
            "CanApplyToAssets": not revenue, "CanApplyToEquity": not revenue, "CanApplyToExpenses": not revenue,
            "CanApplyToLiabilities": not revenue, "CanApplyToRevenue": revenue, "DisplayTaxRate": rate,
            "EffectiveRate": rate,
            "TaxComponents": [{"Name": name, "Rate": rate, "IsCompound": False, "IsNonRecoverable": False}],
        }, "TaxType")
    for code, name, kind, tax_type, payments in demo.ACCOUNTS:
        ledger.put("Accounts", {
            "AccountID": demo.demo_uuid(f"account:{code}"), "Code": code, "Name": name, "Type": kind,
            "Status": "ACTIVE", "TaxType": tax_type, "EnablePaymentsToAccount": payments,
            "Class": _ACCOUNT_CLASS[kind], "BankAccountType": "BANK" if kind == "BANK" else "",
            "CurrencyCode": ledger.base_currency if kind == "BANK" else None, "ShowInExpenseClaims": False,
            "HasAttachments": False, "UpdatedDateUTC": now - timedelta(days=700),
        }, "AccountID")
    for code, name, description, price, account in demo.ITEMS:
        ledger.put("Items", {
            "ItemID": demo.demo_uuid(f"item:{code}"), "Code": code, "Name": name, "Description": description,
            "IsSold": True, "IsPurchased": False, "IsTrackedAsInventory": False,
            "SalesDetails": {"UnitPrice": price, "AccountCode": account, "TaxType": "OUTPUT"},
            "UpdatedDateUTC": now - timedelta(days=600),
        }, "ItemID")


def _address(address: demo.Address) -> dict[str, str]:
    return {"AddressType": "STREET", "AddressLine1": address.street, "City": address.city, "Region": address.state,
            "PostalCode": address.postal_code, "Country": address.country}


def contact_record(contact: demo.DemoContact, updated: datetime) -> Record:
    record: Record = {
        "ContactID": contact.id, "ContactNumber": contact.contact_number, "ContactStatus": contact.status,
        "Name": contact.name, "EmailAddress": contact.email, "DefaultCurrency": contact.default_currency,
        "Addresses": [_address(contact.address)] if contact.address else [], "Phones": [],
        "IsSupplier": False, "HasValidationErrors": False, "UpdatedDateUTC": updated,
    }
    if contact.sales_payment_terms_days is not None:
        record["PaymentTerms"] = {"Sales": {"Day": contact.sales_payment_terms_days, "Type": "DAYSAFTERBILLDATE"}}
    return record


def seed_contacts(ledger: Ledger, contacts: Iterable[demo.DemoContact], now: datetime) -> list[str]:
    """Contacts last edited over a year ago, a minute apart (as a real organisation's are, not all
    in one second: that would make every If-Modified-Since pull re-read them all)."""
    first = now - timedelta(days=400)
    return [ledger.put("Contacts", contact_record(c, first + timedelta(minutes=n)), "ContactID")["ContactID"]
            for n, c in enumerate(contacts)]


def _line(line: demo.DemoLine, n: int, invoice_number: str) -> dict[str, Any]:
    return {"LineItemID": demo.demo_uuid(f"line:{invoice_number}:{n}"), "Description": line.description,
            "Quantity": line.quantity, "UnitAmount": line.unit_amount, "ItemCode": line.item_code,
            "AccountCode": line.account_code, "TaxType": line.tax_type, "DiscountRate": line.discount_rate}


@cache
def _contact_id(key: str) -> str:
    return demo.demo_uuid(f"contact:{key}")


def _at(day: date, now: datetime) -> datetime:
    return min(datetime.combine(day, time(9, 30), tzinfo=now.tzinfo), now)


def invoice_record(invoice: demo.DemoInvoice, today: date, now: datetime, ledger: Ledger) -> Record:
    issued, due = demo.invoice_dates(invoice, today)
    lines = [_line(line, n, invoice.number) for n, line in enumerate(invoice.lines)]
    totals = price_lines(lines, invoice.line_amount_types, ledger.tax_rates())
    last_event = min([invoice.issued_days_ago, *(p.days_ago for p in invoice.payments)])
    return {
        "InvoiceID": invoice.id, "Type": "ACCREC", "InvoiceNumber": invoice.number, "Reference": invoice.reference,
        "ContactID": _contact_id(invoice.contact), "Date": issued, "DueDate": due,
        "Status": invoice.status, "LineAmountTypes": invoice.line_amount_types, "LineItems": lines,
        "SubTotal": totals.sub_total, "TotalTax": totals.total_tax, "Total": totals.total,
        "TotalDiscount": totals.total_discount or None,
        "AmountDue": ZERO if invoice.status == "VOIDED" else totals.total,
        "AmountPaid": ZERO, "AmountCredited": ZERO, "CurrencyCode": invoice.currency,
        "CurrencyRate": CURRENCY_RATES.get(invoice.currency, Decimal(1)), "IsDiscounted": bool(totals.total_discount),
        "HasAttachments": False, "HasErrors": False, "SentToContact": invoice.status in ("AUTHORISED", "PAID"),
        "PaymentIDs": [], "CreditAllocations": [], "FullyPaidOnDate": None,
        "UpdatedDateUTC": _at(today - timedelta(days=last_event), now),
    }


def seed_invoices(ledger: Ledger, invoices: Iterable[demo.DemoInvoice], today: date, now: datetime) -> list[str]:
    bank = ledger.account_by_code(BANK_ACCOUNT_CODE)
    ids = []
    for invoice in invoices:
        record = invoice_record(invoice, today, now, ledger)
        for n, payment in enumerate(invoice.payments):
            paid_on, payment_id = today - timedelta(days=payment.days_ago), payment.id(invoice.number, n)
            ledger.put("Payments", {
                "PaymentID": payment_id, "InvoiceID": record["InvoiceID"],
                "AccountID": bank["AccountID"] if bank else None, "Date": paid_on, "Amount": payment.amount,
                "BankAmount": payment.amount, "CurrencyRate": record["CurrencyRate"], "Reference": payment.reference,
                "Status": "AUTHORISED", "PaymentType": "ACCRECPAYMENT", "IsReconciled": False,
                "UpdatedDateUTC": _at(paid_on, now)}, "PaymentID")
            record["PaymentIDs"].append(payment_id)
            record["AmountPaid"] += payment.amount
            record["AmountDue"] -= payment.amount
            if record["AmountDue"] <= 0:
                record["FullyPaidOnDate"] = paid_on
        ledger.put_invoice(record)
        ids.append(record["InvoiceID"])
    return ids


def seed_demo(ledger: Ledger, today: date, now: datetime) -> None:
    seed_settings(ledger, now)
    seed_contacts(ledger, demo.CONTACTS_XERO, now)
    seed_invoices(ledger, demo.INVOICES, today, now)
