"""The sandbox organisation's records, held as dicts in Xero's field names with Python values
(``Decimal`` money, ``date`` dates, aware ``datetime`` timestamps). ``render.py`` turns them into
Xero's JSON; ``invoicing.py`` holds the rules that change them.

Invoices keep their contact as ``ContactID`` and their payments/credit notes as id lists, so a
renamed contact or a new payment shows everywhere at once. ``version`` bumps on every change so
listings can cache a sorted result between the pages of one pull.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

Record = dict[str, Any]
COLLECTIONS = ("Invoices", "Contacts", "Payments", "CreditNotes", "Accounts", "Items", "TaxRates", "Currencies")
_NUMBER_SUFFIX = re.compile(r"(\d+)$")


class Ledger:
    def __init__(self, organisation: Record) -> None:
        self.organisation = organisation
        self.tables: dict[str, dict[str, Record]] = {name: {} for name in COLLECTIONS}
        self.version = 0
        self._invoice_numbers: dict[str, str] = {}
        self._invoices_by_contact: dict[str, list[str]] = defaultdict(list)
        self._contact_of_invoice: dict[str, str] = {}
        self._last_invoice_number = 0

    @property
    def base_currency(self) -> str:
        return str(self.organisation["BaseCurrency"])

    def changed(self) -> None:
        self.version += 1

    # --- lookups -------------------------------------------------------------------------

    def get(self, collection: str, record_id: str) -> Record | None:
        return self.tables[collection].get(record_id)

    def invoice(self, id_or_number: str) -> Record | None:
        """By InvoiceID (any case) or by InvoiceNumber, as ``GET /Invoices/{InvoiceID}`` allows."""
        found = self.tables["Invoices"].get(id_or_number.lower())
        if found is None and id_or_number in self._invoice_numbers:
            found = self.tables["Invoices"].get(self._invoice_numbers[id_or_number])
        return found

    def contact(self, id_or_number: str) -> Record | None:
        found = self.tables["Contacts"].get(id_or_number.lower())
        if found is None:
            found = next((c for c in self.tables["Contacts"].values() if c.get("ContactNumber") == id_or_number), None)
        return found

    def contact_by_name(self, name: str, *, active_only: bool = True) -> Record | None:
        wanted = name.strip().lower()
        return next((c for c in self.tables["Contacts"].values()
                     if (c["ContactStatus"] == "ACTIVE" or not active_only) and c["Name"].lower() == wanted), None)

    def account_by_code(self, code: str) -> Record | None:
        return next((a for a in self.tables["Accounts"].values() if a.get("Code") == code), None)

    def item_by_code(self, code: str) -> Record | None:
        return next((i for i in self.tables["Items"].values() if i.get("Code") == code), None)

    def tax_rates(self) -> dict[str, Decimal]:
        return {t["TaxType"]: t["EffectiveRate"] for t in self.tables["TaxRates"].values()}

    def invoices_of(self, contact_id: str) -> list[Record]:
        return [self.tables["Invoices"][i] for i in self._invoices_by_contact.get(contact_id, [])]

    # --- writes --------------------------------------------------------------------------

    def put(self, collection: str, record: Record, key: str) -> Record:
        self.tables[collection][str(record[key]).lower()] = record
        self.changed()
        return record

    def put_invoice(self, record: Record) -> Record:
        invoice_id, contact_id = record["InvoiceID"], record["ContactID"]
        previous = self._contact_of_invoice.get(invoice_id)
        if previous != contact_id:
            if previous is not None:
                self._invoices_by_contact[previous].remove(invoice_id)
            self._invoices_by_contact[contact_id].append(invoice_id)
            self._contact_of_invoice[invoice_id] = contact_id
        self.note_invoice_number(record)
        return self.put("Invoices", record, "InvoiceID")

    def note_invoice_number(self, record: Record) -> None:
        """Keep the number index right: a DELETED invoice frees its number (Xero lets it be reused)."""
        number = record.get("InvoiceNumber")
        if not number or record["Type"] != "ACCREC":
            return
        if record["Status"] == "DELETED":
            if self._invoice_numbers.get(number) == record["InvoiceID"]:
                del self._invoice_numbers[number]
            return
        self._invoice_numbers[number] = record["InvoiceID"]
        match = _NUMBER_SUFFIX.search(number)
        if match and number.startswith("INV-"):
            self._last_invoice_number = max(self._last_invoice_number, int(match.group(1)))

    def forget_invoice_number(self, number: str, invoice_id: str) -> None:
        if self._invoice_numbers.get(number) == invoice_id:
            del self._invoice_numbers[number]

    def number_taken(self, number: str, by_other_than: str | None = None) -> bool:
        owner = self._invoice_numbers.get(number)
        return owner is not None and owner != by_other_than

    def next_invoice_number(self) -> str:
        """``INV-0001``-style numbering, continuing after the highest ``INV-`` number used."""
        while True:
            self._last_invoice_number += 1
            number = f"INV-{self._last_invoice_number:04d}"
            if number not in self._invoice_numbers:
                return number
