"""Pages of records: what a listing yields, bad records included.

One malformed record must not stop a sync: each raw record is validated on its own; those that
parse go to ``Page.items``, the others to ``Page.failures`` with the raw dict, the record id
when it can be read, and the validation error. The sync engine stores the failures and goes on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Generic, TypeVar

import msgspec
from pydantic import ValidationError

from integrations.xero import json_codec
from integrations.xero.models import Contact, CreditNote, Invoice, Payment, XeroModel
from integrations.xero.settings_models import Account, Currency, Item, Organisation, TaxRate

M = TypeVar("M", bound=XeroModel)


@dataclass(frozen=True)
class RecordFailure:
    """A record Xero sent that did not validate."""

    raw: Any
    record_id: str | None
    error: str


@dataclass(frozen=True)
class Page(Generic[M]):
    number: int
    items: list[M]
    failures: list[RecordFailure]
    raw_count: int
    page_count: int | None = None  # from Xero's ``pagination`` when present
    item_count: int | None = None


@dataclass(frozen=True)
class Stream(Generic[M]):
    """One Xero collection: its path (also the envelope key unless ``envelope`` says otherwise)."""

    path: str
    model: type[M]
    paged: bool
    filters: frozenset[str] = field(default_factory=frozenset)
    envelope: str = ""

    @property
    def key(self) -> str:
        return self.envelope or self.path


_INVOICE_FILTERS = frozenset({"IDs", "ContactIDs", "Statuses", "InvoiceNumbers"})
INVOICES: Stream[Invoice] = Stream("Invoices", Invoice, paged=True, filters=_INVOICE_FILTERS)
CONTACTS: Stream[Contact] = Stream("Contacts", Contact, paged=True, filters=frozenset({"IDs"}))
PAYMENTS: Stream[Payment] = Stream("Payments", Payment, paged=True)
CREDIT_NOTES: Stream[CreditNote] = Stream("CreditNotes", CreditNote, paged=True)
ACCOUNTS: Stream[Account] = Stream("Accounts", Account, paged=False)
ITEMS: Stream[Item] = Stream("Items", Item, paged=False)
TAX_RATES: Stream[TaxRate] = Stream("TaxRates", TaxRate, paged=False)
CURRENCIES: Stream[Currency] = Stream("Currencies", Currency, paged=False)
ORGANISATION: Stream[Organisation] = Stream("Organisation", Organisation, paged=False, envelope="Organisations")


def describe_validation_error(error: ValidationError) -> str:
    """``Date: Input should be a valid date; Total: ...`` in Xero's field names, without the input values."""
    parts = []
    for item in error.errors(include_input=False, include_url=False):
        where = ".".join(str(p) for p in item["loc"]) or "record"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def parse_records(model: type[M], raw_records: Iterable[Any]) -> tuple[list[M], list[RecordFailure]]:
    items: list[M] = []
    failures: list[RecordFailure] = []
    for raw in raw_records:
        try:
            items.append(model.model_validate(raw))
        except ValidationError as exc:
            record_id = raw.get(model.key_field) if isinstance(raw, dict) else None
            failures.append(RecordFailure(raw, str(record_id) if record_id else None, describe_validation_error(exc)))
    return items, failures


@dataclass(frozen=True)
class RawPage(Generic[M]):
    """One page as Xero sent it, not yet decoded: what paging needs was read from it (a cheap scan,
    ~1 ms for 1,000 invoices), the records are decoded and validated by ``parse_raw_page``, which
    may run in another process (the sync does so for big pulls)."""

    stream: Stream[M]
    number: int
    content: bytes
    raw_count: int
    page_count: int | None = None
    item_count: int | None = None


class _Pagination(msgspec.Struct):
    pageCount: int | None = None  # Xero's field names
    itemCount: int | None = None


@cache
def _skeleton(key: str) -> type[msgspec.Struct]:
    """The envelope with only ``pagination`` and the records left undecoded (``msgspec.Raw``)."""
    return msgspec.defstruct(f"{key}Envelope", [("pagination", _Pagination | None, None),
                                                (key, list[msgspec.Raw] | None, None)])


def scan_envelope(stream: Stream[Any], content: bytes) -> tuple[int, int | None, int | None]:
    """(records, pageCount, itemCount) of a page without decoding its records; ValueError if it is
    not JSON. An envelope of another shape is decoded in full and read as ``page_from_envelope`` would."""
    try:
        envelope = msgspec.json.decode(content, type=_skeleton(stream.key))
    except msgspec.ValidationError:
        page = page_from_envelope(stream, 0, json_codec.loads(content), parse=False)
        return page.raw_count, page.page_count, page.item_count
    records = getattr(envelope, stream.key)
    pagination = envelope.pagination or _Pagination()
    return len(records or ()), pagination.pageCount, pagination.itemCount


def parse_raw_page(raw: RawPage[M]) -> Page[M]:
    """Decode and validate a page's records (bad ones in ``failures``)."""
    return page_from_envelope(raw.stream, raw.number, json_codec.loads(raw.content))


def page_from_envelope(stream: Stream[M], number: int, envelope: Any, *, parse: bool = True) -> Page[M]:
    raw_records = envelope.get(stream.key) if isinstance(envelope, dict) else None
    if not isinstance(raw_records, list):
        raw_records = []
    items, failures = parse_records(stream.model, raw_records) if parse else ([], [])
    pagination = envelope.get("pagination") if isinstance(envelope, dict) else None
    pagination = pagination if isinstance(pagination, dict) else {}
    return Page(number, items, failures, len(raw_records), pagination.get("pageCount"), pagination.get("itemCount"))
