"""Selecting records for a GET: explicit filters, ``where``, ``If-Modified-Since``, ``order``, paging.

The filtered and ordered id list of a query is cached against the ledger's ``version``, so the
hundred pages of one pull sort once, not a hundred times.
"""

from __future__ import annotations

import math
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from integrations.xero.sandbox.ledger import Ledger, Record
from integrations.xero.sandbox.where import Getter, WhereError, compile_where

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100
TYPE_NAMES = {"Invoices": "Invoice", "Contacts": "Contact", "Payments": "Payment", "CreditNotes": "CreditNote",
              "Accounts": "Account", "Items": "Item", "TaxRates": "TaxRate", "Currencies": "Currency"}
KEYS = {"Invoices": "InvoiceID", "Contacts": "ContactID", "Payments": "PaymentID", "CreditNotes": "CreditNoteID",
        "Accounts": "AccountID", "Items": "ItemID", "TaxRates": "TaxType", "Currencies": "Code"}
_PLAIN_FIELDS = {
    "Invoices": ("InvoiceID", "InvoiceNumber", "Type", "Status", "Reference", "Date", "DueDate", "AmountDue",
                 "AmountPaid", "AmountCredited", "Total", "SubTotal", "TotalTax", "CurrencyCode", "UpdatedDateUTC",
                 "FullyPaidOnDate", "SentToContact", "LineAmountTypes", "HasAttachments"),
    "Contacts": ("ContactID", "ContactNumber", "AccountNumber", "ContactStatus", "Name", "FirstName", "LastName",
                 "EmailAddress", "DefaultCurrency", "IsSupplier", "UpdatedDateUTC"),
    "Payments": ("PaymentID", "Date", "Amount", "Reference", "Status", "PaymentType", "IsReconciled",
                 "UpdatedDateUTC", "CurrencyRate"),
    "CreditNotes": ("CreditNoteID", "CreditNoteNumber", "Type", "Status", "Date", "Total", "RemainingCredit",
                    "CurrencyCode", "Reference", "UpdatedDateUTC"),
    "Accounts": ("AccountID", "Code", "Name", "Type", "Status", "TaxType", "Class", "EnablePaymentsToAccount",
                 "BankAccountType", "UpdatedDateUTC"),
    "Items": ("ItemID", "Code", "Name", "Description", "IsSold", "IsPurchased", "UpdatedDateUTC"),
    "TaxRates": ("TaxType", "Name", "Status", "ReportTaxType", "EffectiveRate", "DisplayTaxRate"),
    "Currencies": ("Code", "Description"),
}


class ListingError(ValueError):
    """A query parameter Xero would refuse; the message is Xero's wording."""


@dataclass(frozen=True)
class ListingQuery:
    collection: str
    where: str | None = None
    order: str | None = None
    modified_since: datetime | None = None
    ids: tuple[str, ...] = ()
    contact_ids: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    invoice_numbers: tuple[str, ...] = ()
    include_archived: bool = False
    page: int | None = None
    page_size: int = DEFAULT_PAGE_SIZE


def _plain(name: str) -> Getter:
    return lambda r: r.get(name)


def field_getters(ledger: Ledger, collection: str) -> dict[str, Getter]:
    getters = {name.lower(): _plain(name) for name in _PLAIN_FIELDS[collection]}

    def contact_field(key: str) -> Getter:
        return lambda r: (ledger.get("Contacts", r["ContactID"]) or {}).get(key)

    if collection in ("Invoices", "CreditNotes"):
        getters["contact.contactid"] = lambda r: r["ContactID"]
        for key in ("Name", "ContactNumber", "EmailAddress"):
            getters[f"contact.{key.lower()}"] = contact_field(key)
    if collection == "Contacts":
        getters["iscustomer"] = lambda r: any(i["Type"] == "ACCREC" for i in ledger.invoices_of(r["ContactID"]))
    if collection == "Payments":
        getters["invoice.invoiceid"] = lambda r: r["InvoiceID"]
        getters["invoice.invoicenumber"] = lambda r: (ledger.get("Invoices", r["InvoiceID"]) or {}).get("InvoiceNumber")
        getters["invoice.contact.contactid"] = lambda r: (ledger.get("Invoices", r["InvoiceID"]) or {}).get("ContactID")
    return getters


def _uuid_list(values: tuple[str, ...], parameter: str) -> set[str]:
    try:
        return {str(uuid.UUID(v.strip())) for v in values if v.strip()}
    except ValueError:
        raise ListingError(f"Supplied parameter '{parameter}' cannot be parsed - must be of type UUID.") from None


class Listing:
    def __init__(self, ledger: Ledger, cache_size: int = 8) -> None:
        self._ledger = ledger
        self._cache: OrderedDict[tuple[Any, ...], list[Record]] = OrderedDict()
        self._cache_size = cache_size

    def select(self, query: ListingQuery) -> list[Record]:
        """Every record the query matches, in order (without paging)."""
        key = (self._ledger.version, replace(query, page=None, page_size=0))
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        keep = self._explicit_filters(query)
        records = self._ordered(query, [r for r in self._ledger.tables[query.collection].values() if keep(r)])
        records = self._where(query, records)
        self._cache[key] = records
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return records

    def page(self, query: ListingQuery) -> tuple[list[Record], dict[str, int] | None]:
        """The records of ``query.page`` and Xero's ``pagination`` object (None when not paged)."""
        records = self.select(query)
        if query.page is None:
            return records, None
        size = max(1, min(query.page_size, MAX_PAGE_SIZE))
        number = max(1, query.page)
        chunk = records[(number - 1) * size: number * size]
        return chunk, {"page": number, "pageSize": size, "pageCount": math.ceil(len(records) / size),
                       "itemCount": len(records)}

    def _explicit_filters(self, query: ListingQuery) -> Callable[[Record], bool]:
        key = KEYS[query.collection]
        ids = _uuid_list(query.ids, "IDs")
        contact_ids = _uuid_list(query.contact_ids, "ContactIDs")
        statuses = {s.strip().upper() for s in query.statuses if s.strip()}
        numbers = {n.strip() for n in query.invoice_numbers if n.strip()}
        since = query.modified_since
        hide_archived = query.collection == "Contacts" and not query.include_archived

        def keep(r: Record) -> bool:
            return not ((ids and str(r[key]).lower() not in ids)
                        or (contact_ids and r.get("ContactID") not in contact_ids)
                        or (statuses and r.get("Status") not in statuses)
                        or (numbers and r.get("InvoiceNumber") not in numbers)
                        or (since is not None and "UpdatedDateUTC" in r and r["UpdatedDateUTC"] < since)
                        or (hide_archived and r.get("ContactStatus") == "ARCHIVED"))
        return keep

    def _where(self, query: ListingQuery, records: list[Record]) -> list[Record]:
        if not query.where:
            return records
        predicate = compile_where(query.where, field_getters(self._ledger, query.collection),
                                  TYPE_NAMES[query.collection])
        return [r for r in records if predicate(r)]

    def _ordered(self, query: ListingQuery, records: list[Record]) -> list[Record]:
        if not query.order:
            return records
        getters = field_getters(self._ledger, query.collection)
        for clause in reversed([c.strip() for c in query.order.split(",") if c.strip()]):
            parts = clause.split()
            getter = getters.get(parts[0].lower())
            if getter is None or len(parts) > 2 or (len(parts) == 2 and parts[1].upper() not in ("ASC", "DESC")):
                raise WhereError(f"No property or field '{parts[0]}' exists in type '{TYPE_NAMES[query.collection]}'")
            descending = len(parts) == 2 and parts[1].upper() == "DESC"
            records = sorted(records, key=lambda r, g=getter: (g(r) is not None, g(r) if g(r) is not None else 0),
                             reverse=descending)
        return records
