"""Money arriving against invoices: payments (``PUT /Payments``) and credit notes allocated to an
invoice. Both lower ``AmountDue``; at zero the invoice becomes ``PAID`` with ``FullyPaidOnDate``
(Xero sets PAID itself, FACTS.md §10). Also new contacts (``PUT /Contacts``)."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from integrations.xero.sandbox.invoicing import Rejected, to_date, to_decimal
from integrations.xero.sandbox.ledger import Ledger, Record
from integrations.xero.sandbox.totals import ZERO

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _settle(invoice: Record, amount: Decimal, on: date, now: datetime, *, credited: bool) -> None:
    invoice["AmountCredited" if credited else "AmountPaid"] += amount
    invoice["AmountDue"] -= amount
    invoice["UpdatedDateUTC"] = now
    if invoice["AmountDue"] <= 0:
        invoice["Status"], invoice["FullyPaidOnDate"] = "PAID", on


def _payment_account(ledger: Ledger, ref: Any, messages: list[str]) -> Record | None:
    ref = ref if isinstance(ref, dict) else {}
    account = (ledger.get("Accounts", str(ref["AccountID"]).lower()) if ref.get("AccountID")
               else ledger.account_by_code(str(ref.get("Code") or "")))
    if account is None or not (account.get("EnablePaymentsToAccount") or account["Type"] == "BANK"):
        messages.append("Account must be valid.")
        return None
    return account


def apply_payment(ledger: Ledger, element: dict[str, Any], today: date, now: datetime) -> Record:
    """A payment against an AUTHORISED invoice, at most its AmountDue, into a payments-enabled account."""
    messages: list[str] = []
    ref = element.get("Invoice") if isinstance(element.get("Invoice"), dict) else {}
    invoice = ledger.invoice(str(ref.get("InvoiceID") or ref.get("InvoiceNumber") or element.get("InvoiceNumber")
                                 or ""))
    account = _payment_account(ledger, element.get("Account"), messages)
    amount = to_decimal(element.get("Amount"), messages, "Amount")
    paid_on = to_date(element.get("Date"), messages, "Date") or today
    if invoice is None:
        messages.append("Invoice could not be found")
    elif invoice["Status"] != "AUTHORISED":
        messages.append("Payments can only be made against Authorised documents")
    elif amount is None or amount <= 0:
        messages.append("Payment amount must be greater than zero")
    elif amount > invoice["AmountDue"]:
        messages.append("Payment amount exceeds the amount outstanding on this document")
    if messages or invoice is None or account is None or amount is None:
        raise Rejected(messages)
    payment = ledger.put("Payments", {
        "PaymentID": str(uuid.uuid4()), "InvoiceID": invoice["InvoiceID"], "AccountID": account["AccountID"],
        "Date": paid_on, "Amount": amount, "BankAmount": amount, "CurrencyRate": invoice["CurrencyRate"],
        "Reference": str(element.get("Reference") or ""), "Status": "AUTHORISED",
        "PaymentType": "ACCRECPAYMENT" if invoice["Type"] == "ACCREC" else "ACCPAYPAYMENT", "IsReconciled": False,
        "UpdatedDateUTC": now}, "PaymentID")
    invoice["PaymentIDs"].append(payment["PaymentID"])
    _settle(invoice, amount, paid_on, now, credited=False)
    ledger.put_invoice(invoice)
    return payment


def allocate_credit_note(ledger: Ledger, invoice: Record, amount: Decimal, today: date, now: datetime,
                         number: str) -> Record:
    """An AUTHORISED ACCRECCREDIT for ``amount``, fully allocated to ``invoice``."""
    if invoice["Status"] != "AUTHORISED" or not ZERO < amount <= invoice["AmountDue"]:
        raise Rejected(["The credit note amount cannot be allocated to this invoice"])
    note = ledger.put("CreditNotes", {
        "CreditNoteID": str(uuid.uuid4()), "CreditNoteNumber": number, "Type": "ACCRECCREDIT", "Status": "PAID",
        "ContactID": invoice["ContactID"], "Date": today, "LineAmountTypes": "NoTax",
        "LineItems": [{"Description": f"Credit against {invoice['InvoiceNumber']}", "Quantity": Decimal(1),
                       "UnitAmount": amount, "LineAmount": amount, "TaxAmount": ZERO, "TaxType": "NONE"}],
        "SubTotal": amount, "TotalTax": ZERO, "Total": amount, "RemainingCredit": ZERO,
        "CurrencyCode": invoice["CurrencyCode"], "Reference": "", "Allocations": [(invoice["InvoiceID"], amount)],
        "UpdatedDateUTC": now}, "CreditNoteID")
    invoice["CreditAllocations"].append((note["CreditNoteID"], amount))
    _settle(invoice, amount, today, now, credited=True)
    ledger.put_invoice(invoice)
    return note


def create_contact(ledger: Ledger, element: dict[str, Any], now: datetime) -> Record:
    messages: list[str] = []
    name = str(element.get("Name") or "").strip()
    if not name:
        messages.append("The contact name must be specified")
    elif ledger.contact_by_name(name):
        messages.append(f"The contact name {name} is already assigned to another contact. The contact name must be "
                        "unique across all active contacts.")
    email = element.get("EmailAddress")
    if email and not _EMAIL.match(str(email)):
        messages.append("Email address must be valid.")
    currency = element.get("DefaultCurrency")
    if currency and str(currency).lower() not in ledger.tables["Currencies"]:
        messages.append(f"Organisation is not subscribed to currency {currency}")
    if len(str(element.get("ContactNumber") or "")) > 50:
        messages.append("The ContactNumber must not be more than 50 characters long")
    if messages:
        raise Rejected(messages)
    keep = ("ContactNumber", "AccountNumber", "FirstName", "LastName", "EmailAddress", "DefaultCurrency",
            "Addresses", "Phones", "PaymentTerms")
    record = {k: element[k] for k in keep if element.get(k) is not None}
    record.update({"ContactID": str(uuid.uuid4()), "Name": name, "ContactStatus": "ACTIVE", "IsSupplier": False,
                   "HasValidationErrors": False, "UpdatedDateUTC": now})
    record.setdefault("Addresses", [])
    record.setdefault("Phones", [])
    return ledger.put("Contacts", record, "ContactID")
