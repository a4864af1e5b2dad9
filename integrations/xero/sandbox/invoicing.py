"""Xero's rules for creating and editing invoices, applied to a submitted element.

A rejected element raises ``Rejected`` with Xero's messages (FACTS.md §6, §10); the server
turns it into the 400 ``ValidationException`` shape. Status changes follow Xero support's list:
DRAFT→SUBMITTED/AUTHORISED/DELETED, SUBMITTED→DRAFT/AUTHORISED/DELETED, AUTHORISED→VOIDED.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from integrations.xero.dates import parse_xero_date
from integrations.xero.sandbox.ledger import Ledger, Record
from integrations.xero.sandbox.seed import CURRENCY_RATES
from integrations.xero.sandbox.totals import ZERO, price_lines

TRANSITIONS = {"DRAFT": {"SUBMITTED", "AUTHORISED", "DELETED"}, "SUBMITTED": {"DRAFT", "AUTHORISED", "DELETED"},
               "AUTHORISED": {"VOIDED"}}
CREATABLE = {"DRAFT", "SUBMITTED", "AUTHORISED"}
NOT_VALID_STATUS = "Invoice not of valid status for modification"
HAS_ALLOCATIONS = "This document cannot be edited as it has a payment or credit note allocated to it."
LINE_AMOUNT_TYPES = {"Exclusive", "Inclusive", "NoTax"}


class Rejected(Exception):
    """Xero refused the element; ``messages`` are its ValidationErrors."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def to_decimal(value: Any, messages: list[str], name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        messages.append(f"{name} must be a number")
        return None


def to_date(value: Any, messages: list[str], name: str) -> date | None:
    if value is None or value == "":
        return None
    parsed = parse_xero_date(value)
    if not isinstance(parsed, date):
        messages.append(f"{name} '{value}' is not a valid date")
        return None
    return parsed


class InvoiceRules:
    def __init__(self, ledger: Ledger, today: date, now: datetime) -> None:
        self.ledger = ledger
        self.today = today
        self.now = now

    # --- entry points --------------------------------------------------------------------

    def create(self, element: dict[str, Any]) -> Record:
        status = str(element.get("Status") or "DRAFT")
        if status not in CREATABLE:
            raise Rejected([f"Invoice Status '{status}' is not valid for a new invoice"])
        record = self._build(element, None, status)
        return self.ledger.put_invoice(record)

    def update(self, invoice: Record, element: dict[str, Any]) -> Record:
        current, target = invoice["Status"], str(element.get("Status") or invoice["Status"])
        if invoice["AmountPaid"] > 0 or invoice["AmountCredited"] > 0:
            raise Rejected([HAS_ALLOCATIONS])
        if target != current and target not in TRANSITIONS.get(current, set()):
            raise Rejected([NOT_VALID_STATUS])
        edits_content = any(k in element for k in ("LineItems", "Contact", "CurrencyCode", "LineAmountTypes"))
        if current in ("VOIDED", "DELETED", "PAID") or (current == "AUTHORISED" and edits_content):
            raise Rejected([NOT_VALID_STATUS])
        if target in ("VOIDED", "DELETED"):
            updated = {**invoice, "Status": target, "AmountDue": ZERO, "UpdatedDateUTC": self.now}
        else:
            updated = self._build({**self._as_element(invoice), **element}, invoice, target)
        return self.ledger.put_invoice(updated)

    # --- building a record ---------------------------------------------------------------

    def _as_element(self, invoice: Record) -> dict[str, Any]:
        keep = ("Type", "InvoiceNumber", "Reference", "Date", "DueDate", "LineAmountTypes", "CurrencyCode", "Url")
        element = {k: invoice[k] for k in keep if invoice.get(k) is not None}
        element["Contact"] = {"ContactID": invoice["ContactID"]}
        element["LineItems"] = [dict(line) for line in invoice["LineItems"]]
        return element

    def _build(self, element: dict[str, Any], existing: Record | None, status: str) -> Record:
        messages: list[str] = []
        kind = str(element.get("Type") or "")
        if kind not in ("ACCREC", "ACCPAY"):
            messages.append("Invoice Type must be ACCREC or ACCPAY")
        contact = self._contact(element.get("Contact"), messages)
        lines = [self._line(raw, kind, status, messages) for raw in element.get("LineItems") or []]
        if status != "DRAFT" and not lines:
            messages.append("Invoices must have at least one line item")
        fields = self._header(element, contact, existing, status, messages)
        if messages:
            raise Rejected(messages)
        totals = price_lines(lines, fields["LineAmountTypes"], self.ledger.tax_rates())
        record = {**(existing or self._blank()), **fields, "Type": kind, "Status": status, "LineItems": lines,
                  "ContactID": contact["ContactID"] if contact else "", "UpdatedDateUTC": self.now,
                  "SubTotal": totals.sub_total, "TotalTax": totals.total_tax, "Total": totals.total,
                  "TotalDiscount": totals.total_discount or None, "IsDiscounted": bool(totals.total_discount)}
        record["AmountDue"] = totals.total - record["AmountPaid"] - record["AmountCredited"]
        return record

    def _blank(self) -> Record:
        return {"InvoiceID": str(uuid.uuid4()), "AmountPaid": ZERO, "AmountCredited": ZERO, "PaymentIDs": [],
                "CreditAllocations": [], "FullyPaidOnDate": None, "SentToContact": False, "HasAttachments": False,
                "HasErrors": False}

    def _header(self, element: dict[str, Any], contact: Record | None, existing: Record | None, status: str,
                messages: list[str]) -> dict[str, Any]:
        issued = to_date(element.get("Date"), messages, "Date") or self.today
        due = to_date(element.get("DueDate"), messages, "DueDate") or self._due_by_terms(contact, issued)
        if due is None and status != "DRAFT":
            messages.append("Due Date is required for an approved invoice")
        currency = str(element.get("CurrencyCode") or (contact or {}).get("DefaultCurrency")
                       or self.ledger.base_currency)
        if currency.lower() not in self.ledger.tables["Currencies"]:
            messages.append(f"Organisation is not subscribed to currency {currency}")
        amount_types = str(element.get("LineAmountTypes") or "Exclusive")
        if amount_types not in LINE_AMOUNT_TYPES:
            messages.append(f"'{amount_types}' is not a valid value for LineAmountTypes")
        number = self._number(element, existing, messages)
        return {"Date": issued, "DueDate": due, "CurrencyCode": currency, "LineAmountTypes": amount_types,
                "InvoiceNumber": number, "Reference": element.get("Reference") or "", "Url": element.get("Url"),
                "CurrencyRate": CURRENCY_RATES.get(currency, Decimal(1))}

    def _due_by_terms(self, contact: Record | None, issued: date) -> date | None:
        terms = ((contact or {}).get("PaymentTerms") or {}).get("Sales") or {}
        if terms.get("Type") == "DAYSAFTERBILLDATE" and terms.get("Day") is not None:
            return issued + timedelta(days=int(terms["Day"]))
        return None

    def _number(self, element: dict[str, Any], existing: Record | None, messages: list[str]) -> str | None:
        number = element.get("InvoiceNumber")
        if element.get("Type") != "ACCREC":
            return str(number) if number else None
        if not number:
            return existing["InvoiceNumber"] if existing else self.ledger.next_invoice_number()
        if self.ledger.number_taken(str(number), existing["InvoiceID"] if existing else None):
            messages.append("Invoice # must be unique.")
        return str(number)

    def _contact(self, ref: Any, messages: list[str]) -> Record | None:
        if not isinstance(ref, dict) or not (ref.get("ContactID") or ref.get("ContactNumber") or ref.get("Name")):
            messages.append("A Contact must be specified for this type of transaction")
            return None
        key = ref.get("ContactID") or ref.get("ContactNumber")
        contact = self.ledger.contact(str(key)) if key else self.ledger.contact_by_name(str(ref["Name"]))
        if contact is None and not key:
            contact = self._new_contact(str(ref["Name"]))
        if contact is None:
            messages.append(f"The contact with the ContactID '{key}' does not exist")
        elif contact["ContactStatus"] != "ACTIVE":
            messages.append(f"The contact '{contact['Name']}' is archived and cannot be used on transactions")
        return contact

    def _new_contact(self, name: str) -> Record:
        """Xero creates a contact when an invoice names one that does not exist."""
        return self.ledger.put("Contacts", {
            "ContactID": str(uuid.uuid4()), "Name": name, "ContactStatus": "ACTIVE", "Addresses": [], "Phones": [],
            "IsSupplier": False, "HasValidationErrors": False, "UpdatedDateUTC": self.now}, "ContactID")

    def _line(self, raw: Any, kind: str, status: str, messages: list[str]) -> dict[str, Any]:
        raw = raw if isinstance(raw, dict) else {}
        line: dict[str, Any] = {"LineItemID": raw.get("LineItemID") or str(uuid.uuid4()),
                                "Description": raw.get("Description"), "ItemCode": raw.get("ItemCode"),
                                "AccountCode": raw.get("AccountCode"), "TaxType": raw.get("TaxType")}
        line["Quantity"] = to_decimal(raw.get("Quantity"), messages, "Quantity") or Decimal(1)
        line["UnitAmount"] = to_decimal(raw.get("UnitAmount"), messages, "UnitAmount")
        line["DiscountRate"] = to_decimal(raw.get("DiscountRate"), messages, "DiscountRate")
        self._apply_item(line, messages)
        if line["UnitAmount"] is None:
            given = to_decimal(raw.get("LineAmount"), messages, "LineAmount")
            line["UnitAmount"] = given / line["Quantity"] if given is not None and line["Quantity"] else ZERO
        if not line["Description"]:
            messages.append("The description field is mandatory for each line item.")
        if line["DiscountRate"] is not None and not (0 <= line["DiscountRate"] <= 100):
            messages.append("Discount rate must be between 0 and 100")
        self._check_account_and_tax(line, kind, status, messages)
        return line

    def _apply_item(self, line: dict[str, Any], messages: list[str]) -> None:
        if not line["ItemCode"]:
            return
        item = self.ledger.item_by_code(str(line["ItemCode"]))
        if item is None:
            messages.append(f"Item code '{line['ItemCode']}' is not valid")
            return
        sales = item.get("SalesDetails") or {}
        line["Description"] = line["Description"] or item.get("Description")
        line["UnitAmount"] = line["UnitAmount"] if line["UnitAmount"] is not None else sales.get("UnitPrice")
        line["AccountCode"] = line["AccountCode"] or sales.get("AccountCode")
        line["TaxType"] = line["TaxType"] or sales.get("TaxType")

    def _check_account_and_tax(self, line: dict[str, Any], kind: str, status: str, messages: list[str]) -> None:
        code = line["AccountCode"]
        account = self.ledger.account_by_code(str(code)) if code else None
        if code and (account is None or account["Status"] != "ACTIVE" or account["Type"] == "BANK"):
            messages.append(f"Account code '{code}' is not a valid code for this document.")
        elif not code and status != "DRAFT" and line["UnitAmount"]:
            messages.append("Account code must be specified")
        tax_type = line["TaxType"] or (account or {}).get("TaxType")
        rate = self.ledger.tables["TaxRates"].get(str(tax_type).lower()) if tax_type else None
        revenue_side = kind == "ACCREC"
        if tax_type and (rate is None or rate["Status"] != "ACTIVE" or rate["CanApplyToRevenue"] != revenue_side):
            messages.append(f"The TaxType code {tax_type} does not exist or cannot be used for this type of "
                            "transaction.")
        line["TaxType"] = tax_type
