"""Reads: paged collections streamed one page at a time, single records, settings in one call.

Paged endpoints (Invoices, Contacts, Payments, CreditNotes) are read with ``page`` and
``pageSize=1000`` until a short page or Xero's ``pagination.pageCount``; only the current page
is in memory. ``modified_since`` is sent as ``If-Modified-Since`` for incremental pulls and
``order`` defaults to ``UpdatedDateUTC ASC`` so a cursor can follow the last record. Long ID
lists are split into batches of 50 per request (Xero's URL length).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from integrations.xero.api_base import XeroApiBase, not_json
from integrations.xero.dates import format_if_modified_since
from integrations.xero.models import Contact, CreditNote, Invoice, Payment
from integrations.xero.pages import (
    ACCOUNTS,
    CONTACTS,
    CREDIT_NOTES,
    CURRENCIES,
    INVOICES,
    ITEMS,
    ORGANISATION,
    PAYMENTS,
    TAX_RATES,
    M,
    Page,
    RawPage,
    Stream,
    page_from_envelope,
    parse_raw_page,
    scan_envelope,
)
from integrations.xero.settings_models import Account, Currency, Item, Organisation, TaxRate

PAGE_SIZE = 1000
IDS_PER_REQUEST = 50
DEFAULT_ORDER = "UpdatedDateUTC ASC"


def _csv(values: Sequence[str]) -> str | None:
    return ",".join(values) if values else None


def _batches(values: Sequence[str], size: int) -> list[Sequence[str]]:
    return [values[i:i + size] for i in range(0, len(values), size)] or [()]


class XeroReads(XeroApiBase):
    def pages(self, stream: Stream[M], *, modified_since: datetime | None = None, where: str | None = None,
              order: str | None = DEFAULT_ORDER, filters: dict[str, Sequence[str]] | None = None,
              page_size: int = PAGE_SIZE, start_page: int = 1, **flags: bool) -> Iterator[Page[M]]:
        """Every page of ``stream``. ``filters`` maps IDs/ContactIDs/Statuses/InvoiceNumbers to values;
        ``IDs`` lists are batched. ``flags`` are boolean query flags (summaryOnly, includeArchived)."""
        for raw in self.raw_pages(stream, modified_since=modified_since, where=where, order=order, filters=filters,
                                  page_size=page_size, start_page=start_page, **flags):
            yield parse_raw_page(raw)  # only the parsed page stays alive while the caller works on it

    def raw_pages(self, stream: Stream[M], *, modified_since: datetime | None = None, where: str | None = None,
                  order: str | None = DEFAULT_ORDER, filters: dict[str, Sequence[str]] | None = None,
                  page_size: int = PAGE_SIZE, start_page: int = 1, **flags: bool) -> Iterator[RawPage[M]]:
        """``pages`` before decoding: each page's JSON as Xero sent it (``parse_raw_page`` reads it)."""
        params: dict[str, Any] = {"where": where, "order": order, **{k: "true" for k, on in flags.items() if on}}
        lists = {name: list(values) for name, values in (filters or {}).items() if values}
        unknown = set(lists) - stream.filters
        if unknown:
            raise ValueError(f"{stream.path} cannot be filtered by {sorted(unknown)}")
        ids = lists.pop("IDs", [])
        params.update({name: _csv(values) for name, values in lists.items()})
        for batch in _batches(ids, IDS_PER_REQUEST):
            batch_params = {**params, "IDs": _csv(batch)}
            yield from self._paged(stream, batch_params, modified_since, page_size, start_page)

    def _paged(self, stream: Stream[M], params: dict[str, Any], modified_since: datetime | None, page_size: int,
               start_page: int) -> Iterator[RawPage[M]]:
        headers = {"If-Modified-Since": format_if_modified_since(modified_since)} if modified_since else None
        number = start_page
        while True:
            query = {k: v for k, v in {**params, "page": number, "pageSize": page_size}.items() if v is not None}
            response = self._accounting_response("GET", stream.path, params=query, headers=headers,
                                                 resource=stream.path)
            content = response.content if response.status_code != 204 else b""
            try:
                counts = scan_envelope(stream, content) if content else (0, None, None)
            except ValueError:
                raise not_json(response) from None
            page = RawPage(stream, number, content, *counts)
            del response, content
            yield page
            # Xero's pagination.pageCount decides when it is there (a server that pages by fewer than
            # the pageSize asked, e.g. its default 100, still has later pages); else a short page ends
            if page.raw_count == 0 or (number >= page.page_count if page.page_count is not None
                                       else page.raw_count < page_size):
                return
            number += 1

    def invoice_pages(self, *, modified_since: datetime | None = None, statuses: Sequence[str] = (),
                      ids: Sequence[str] = (), contact_ids: Sequence[str] = (), invoice_numbers: Sequence[str] = (),
                      where: str | None = None, order: str | None = DEFAULT_ORDER, page_size: int = PAGE_SIZE,
                      summary_only: bool = False, include_archived: bool = False) -> Iterator[Page[Invoice]]:
        filters = {"Statuses": statuses, "IDs": ids, "ContactIDs": contact_ids, "InvoiceNumbers": invoice_numbers}
        return self.pages(INVOICES, modified_since=modified_since, where=where, order=order, filters=filters,
                          page_size=page_size, summaryOnly=summary_only, includeArchived=include_archived)

    def contact_pages(self, *, modified_since: datetime | None = None, ids: Sequence[str] = (),
                      where: str | None = None, order: str | None = DEFAULT_ORDER, page_size: int = PAGE_SIZE,
                      summary_only: bool = False, include_archived: bool = False) -> Iterator[Page[Contact]]:
        return self.pages(CONTACTS, modified_since=modified_since, where=where, order=order, filters={"IDs": ids},
                          page_size=page_size, summaryOnly=summary_only, includeArchived=include_archived)

    def payment_pages(self, *, modified_since: datetime | None = None, where: str | None = None,
                      order: str | None = DEFAULT_ORDER, page_size: int = PAGE_SIZE) -> Iterator[Page[Payment]]:
        return self.pages(PAYMENTS, modified_since=modified_since, where=where, order=order, page_size=page_size)

    def credit_note_pages(self, *, modified_since: datetime | None = None, where: str | None = None,
                          order: str | None = DEFAULT_ORDER, page_size: int = PAGE_SIZE) -> Iterator[Page[CreditNote]]:
        return self.pages(CREDIT_NOTES, modified_since=modified_since, where=where, order=order, page_size=page_size)

    def get_invoice(self, invoice_id: str) -> Invoice:
        """One invoice with its lines and payments (``{InvoiceID}`` may also be an InvoiceNumber)."""
        envelope = self._accounting("GET", f"Invoices/{invoice_id}", resource=f"invoice {invoice_id}")
        return self._single(INVOICES, envelope)

    def get_contact(self, contact_id: str) -> Contact:
        envelope = self._accounting("GET", f"Contacts/{contact_id}", resource=f"contact {contact_id}")
        return self._single(CONTACTS, envelope)

    def read_all(self, stream: Stream[M], *, modified_since: datetime | None = None) -> Page[M]:
        """A non-paged collection in one call, as a single page (bad records in ``failures``)."""
        headers = {"If-Modified-Since": format_if_modified_since(modified_since)} if modified_since else None
        return page_from_envelope(stream, 1, self._accounting("GET", stream.path, headers=headers,
                                                              resource=stream.path))

    def accounts(self, *, modified_since: datetime | None = None) -> Page[Account]:
        return self.read_all(ACCOUNTS, modified_since=modified_since)

    def items(self, *, modified_since: datetime | None = None) -> Page[Item]:
        return self.read_all(ITEMS, modified_since=modified_since)

    def tax_rates(self) -> Page[TaxRate]:
        return self.read_all(TAX_RATES)

    def currencies(self) -> Page[Currency]:
        return self.read_all(CURRENCIES)

    def organisation(self) -> Organisation:
        return self._single(ORGANISATION, self._accounting("GET", "Organisation", resource="organisation"))
