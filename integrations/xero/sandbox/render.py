"""Ledger records → Xero's JSON: the envelope, ``/Date(ms+0000)/`` dates with their ``DateString``,
nested contact summaries, the payments and credit notes applied to an invoice."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from integrations.xero.dates import format_ms_date
from integrations.xero.sandbox.ledger import Ledger, Record

_INVOICE_FIELDS = (
    "Type", "InvoiceID", "InvoiceNumber", "Reference", "AmountDue", "AmountPaid", "AmountCredited", "CurrencyRate",
    "IsDiscounted", "HasAttachments", "HasErrors", "Status", "LineAmountTypes", "SubTotal", "TotalTax", "Total",
    "TotalDiscount", "CurrencyCode", "SentToContact", "Url",
)
_CONTACT_FIELDS = (
    "ContactID", "ContactNumber", "AccountNumber", "ContactStatus", "Name", "FirstName", "LastName", "EmailAddress",
    "DefaultCurrency", "IsSupplier", "IsCustomer", "HasValidationErrors",
)


# A page of 1,000 invoices renders ~3,400 dates and timestamps, most of them repeated (invoice
# dates, the seed's 09:30 update times): formatting each distinct one once took the render of a
# page from ~26 ms to ~15 ms.
@lru_cache(maxsize=65_536)
def ms_date(value: date | datetime) -> str:
    return format_ms_date(value)


@lru_cache(maxsize=4_096)
def date_string(value: date) -> str:
    return f"{value.isoformat()}T00:00:00"


@lru_cache(maxsize=65_536)
def utc_string(value: datetime) -> str:
    """``UpdatedDateUTCString``: ``2024-01-02T09:30:00Z``."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def put_date(target: dict[str, Any], name: str, value: date | None, *, with_string: bool = True) -> None:
    """``/Date(ms+0000)/``, and for the fields Xero pairs with one, ``<name>String``."""
    if value is not None:
        target[name] = ms_date(value)
        if with_string:
            target[f"{name}String"] = date_string(value)


def put_updated(target: dict[str, Any], value: datetime) -> None:
    target["UpdatedDateUTC"] = ms_date(value)


def envelope(provider: str, now: datetime, key: str | None = None, records: list[Any] | None = None,
             pagination: dict[str, int] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"Id": str(uuid.uuid4()), "Status": "OK", "ProviderName": provider,
                            "DateTimeUTC": f"/Date({int(now.timestamp() * 1000)})/"}
    if pagination is not None:
        body["pagination"] = pagination
    if key is not None:
        body[key] = records or []
    return body


def contact_summary(ledger: Ledger, contact_id: str) -> dict[str, Any]:
    contact = ledger.get("Contacts", contact_id) or {}
    summary = {"ContactID": contact_id, "Name": contact.get("Name", ""), "Addresses": [], "Phones": [],
               "ContactGroups": [], "ContactPersons": [], "HasValidationErrors": False}
    if contact.get("ContactNumber"):
        summary["ContactNumber"] = contact["ContactNumber"]
    return summary


def render_line(line: Record) -> dict[str, Any]:
    return {k: v for k, v in line.items() if v is not None}


def _payment_summary(payment: Record) -> dict[str, Any]:
    out = {"PaymentID": payment["PaymentID"], "Amount": payment["Amount"], "Reference": payment.get("Reference", ""),
           "CurrencyRate": payment["CurrencyRate"], "HasAccount": False, "HasValidationErrors": False}
    put_date(out, "Date", payment["Date"], with_string=False)
    return out


def _credit_summary(note: Record, applied: Any) -> dict[str, Any]:
    out = {"CreditNoteID": note["CreditNoteID"], "CreditNoteNumber": note["CreditNoteNumber"],
           "AppliedAmount": applied, "Total": note["Total"], "HasErrors": False}
    put_date(out, "Date", note["Date"])
    return out


def render_invoice(ledger: Ledger, record: Record, *, with_lines: bool = True, summary: bool = False) -> dict:
    out: dict[str, Any] = {k: record[k] for k in _INVOICE_FIELDS if record.get(k) is not None}
    out["Contact"] = contact_summary(ledger, record["ContactID"])
    put_date(out, "Date", record.get("Date"))
    put_date(out, "DueDate", record.get("DueDate"))
    put_date(out, "FullyPaidOnDate", record.get("FullyPaidOnDate"), with_string=False)
    put_updated(out, record["UpdatedDateUTC"])
    out["UpdatedDateUTCString"] = utc_string(record["UpdatedDateUTC"])
    if summary:
        return out
    payments = [ledger.get("Payments", pid) for pid in record["PaymentIDs"]]
    out["Payments"] = [_payment_summary(p) for p in payments if p and p["Status"] == "AUTHORISED"]
    out["CreditNotes"] = [_credit_summary(n, amount) for nid, amount in record["CreditAllocations"]
                          if (n := ledger.get("CreditNotes", nid))]
    out["Prepayments"], out["Overpayments"] = [], []
    if with_lines:
        out["LineItems"] = [render_line(line) for line in record["LineItems"]]
    return out


def render_contact(ledger: Ledger, record: Record, *, summary: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {k: record[k] for k in _CONTACT_FIELDS if record.get(k) is not None}
    out["IsCustomer"] = any(i["Type"] == "ACCREC" for i in ledger.invoices_of(record["ContactID"]))
    put_updated(out, record["UpdatedDateUTC"])
    if not summary:
        out["Addresses"] = list(record.get("Addresses", []))
        out["Phones"] = list(record.get("Phones", []))
        out["ContactPersons"], out["ContactGroups"] = [], []
        if record.get("PaymentTerms"):
            out["PaymentTerms"] = record["PaymentTerms"]
        out["HasAttachments"] = False
    return out


def render_payment(ledger: Ledger, record: Record) -> dict[str, Any]:
    invoice = ledger.get("Invoices", record["InvoiceID"]) or {}
    account = ledger.get("Accounts", record["AccountID"]) or {}
    out = {k: record[k] for k in ("PaymentID", "Amount", "BankAmount", "CurrencyRate", "Reference", "Status",
                                  "PaymentType", "IsReconciled") if record.get(k) is not None}
    out["Invoice"] = {"InvoiceID": record["InvoiceID"], "InvoiceNumber": invoice.get("InvoiceNumber", ""),
                      "Type": invoice.get("Type", "ACCREC"), "CurrencyCode": invoice.get("CurrencyCode"),
                      "Contact": contact_summary(ledger, invoice.get("ContactID", ""))}
    out["Account"] = {"AccountID": account.get("AccountID"), "Code": account.get("Code")}
    out["HasAccount"], out["HasValidationErrors"] = True, False
    put_date(out, "Date", record["Date"], with_string=False)
    put_updated(out, record["UpdatedDateUTC"])
    return out


def render_credit_note(ledger: Ledger, record: Record) -> dict[str, Any]:
    out = {k: record[k] for k in ("CreditNoteID", "CreditNoteNumber", "Type", "Status", "LineAmountTypes",
                                  "SubTotal", "TotalTax", "Total", "RemainingCredit", "CurrencyCode", "Reference")
           if record.get(k) is not None}
    out["Contact"] = contact_summary(ledger, record["ContactID"])
    out["LineItems"] = [render_line(line) for line in record["LineItems"]]
    out["Allocations"] = [{"Amount": amount, "Date": ms_date(record["Date"]), "Invoice": {"InvoiceID": iid}}
                          for iid, amount in record["Allocations"]]
    put_date(out, "Date", record["Date"])
    put_updated(out, record["UpdatedDateUTC"])
    return out


def render_plain(record: Record) -> dict[str, Any]:
    """Accounts, items, tax rates, currencies: stored already in their Xero shape."""
    out = {k: v for k, v in record.items() if v is not None and k != "UpdatedDateUTC"}
    if "UpdatedDateUTC" in record:
        put_updated(out, record["UpdatedDateUTC"])
    return out


def render_organisation(record: Record) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if not isinstance(v, datetime)}
    if "CreatedDateUTC" in record:
        out["CreatedDateUTC"] = ms_date(record["CreatedDateUTC"])
    return out
