"""GET handlers: paged collections, single records, settings, the organisation, connections."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from integrations.xero.sandbox.ledger import Ledger, Record
from integrations.xero.sandbox.listing import KEYS, ListingError, ListingQuery
from integrations.xero.sandbox.render import (
    render_contact,
    render_credit_note,
    render_invoice,
    render_organisation,
    render_payment,
    render_plain,
)
from integrations.xero.sandbox.replies import Call, Reply, not_found, ok, query_parse_failed, validation_failed
from integrations.xero.sandbox.where import WhereError

Renderer = Callable[[Ledger, Record, Call], dict[str, Any]]
RENDERERS: dict[str, Renderer] = {
    "Invoices": lambda ledger, r, call: render_invoice(ledger, r, with_lines=call.param("page") is not None,
                                                        summary=call.flag("summaryOnly")),
    "Contacts": lambda ledger, r, call: render_contact(ledger, r, summary=call.flag("summaryOnly")),
    "Payments": lambda ledger, r, call: render_payment(ledger, r),
    "CreditNotes": lambda ledger, r, call: render_credit_note(ledger, r),
    "Accounts": lambda ledger, r, call: render_plain(r),
    "Items": lambda ledger, r, call: render_plain(r),
    "TaxRates": lambda ledger, r, call: render_plain(r),
    "Currencies": lambda ledger, r, call: render_plain(r),
}
PAGED = {"Invoices", "Contacts", "Payments", "CreditNotes"}


def parse_if_modified_since(value: str | None) -> datetime | None:
    """ISO 8601 (``2020-01-01T00:00:00``, offset optional, UTC when absent) or an HTTP date."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _int(value: str | None, default: int | None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def listing_query(call: Call, collection: str) -> ListingQuery:
    paged = collection in PAGED
    return ListingQuery(
        collection, where=call.param("where"), order=call.param("order"),
        modified_since=parse_if_modified_since(call.headers.get("if-modified-since")),
        ids=call.list_param("IDs"), contact_ids=call.list_param("ContactIDs"), statuses=call.list_param("Statuses"),
        invoice_numbers=call.list_param("InvoiceNumbers"), include_archived=call.flag("includeArchived"),
        page=_int(call.param("page"), None) if paged else None, page_size=_int(call.param("pageSize"), 100) or 100)


def list_collection(call: Call, collection: str) -> Reply:
    state = call.state
    try:
        records, pagination = state.listing.page(listing_query(call, collection))
    except WhereError as exc:
        return query_parse_failed(str(exc))
    except ListingError as exc:
        return validation_failed([{"ValidationErrors": [{"Message": str(exc)}]}])
    render = RENDERERS[collection]
    try:
        rendered = [_maybe_corrupt(call, collection, render(state.ledger, r, call)) for r in records]
    except WhereError as exc:
        return query_parse_failed(str(exc))
    return ok(call, collection, rendered, pagination)


def _maybe_corrupt(call: Call, collection: str, rendered: dict[str, Any]) -> dict[str, Any]:
    corruption = call.state.faults.corruption_for(str(rendered.get(KEYS[collection], "")))
    if corruption:
        rendered[corruption[0]] = corruption[1]
    return rendered


def get_one(call: Call, collection: str) -> Reply:
    ledger, key = call.state.ledger, call.args["id"]
    if collection == "Invoices":
        record = ledger.invoice(key)
    elif collection == "Contacts":
        record = ledger.contact(key)
    else:
        record = ledger.get(collection, key.lower())
    if record is None:
        return not_found()
    if collection == "Invoices":
        return ok(call, collection, [render_invoice(ledger, record)])
    return ok(call, collection, [RENDERERS[collection](ledger, record, call)])


def get_organisation(call: Call) -> Reply:
    return ok(call, "Organisations", [render_organisation(call.state.ledger.organisation)])


def get_online_invoice(call: Call) -> Reply:
    invoice = call.state.ledger.invoice(call.args["id"])
    if invoice is None:
        return not_found()
    if invoice["Status"] in ("DRAFT", "DELETED") or invoice["Type"] != "ACCREC":
        return validation_failed([{"InvoiceID": invoice["InvoiceID"], "ValidationErrors": [
            {"Message": "An online invoice cannot be created for a draft or deleted invoice"}]}])
    link = invoice["InvoiceID"].replace("-", "")[:24]
    return ok(call, "OnlineInvoices", [{"OnlineInvoiceUrl": f"https://in.xero.com/{link}"}])


def list_connections(call: Call) -> Reply:
    grant = call.state.oauth.grants[call.headers["authorization"][7:].strip()]
    oauth = call.state.oauth
    if grant.custom_connection:
        stamp = call.now().replace(tzinfo=None).isoformat(timespec="microseconds")
        return Reply(200, [{"id": oauth.tenant["tenantId"], **oauth.tenant, "createdDateUtc": stamp,
                            "updatedDateUtc": stamp}])
    return Reply(200, list(oauth.connections))


def delete_connection(call: Call) -> Reply:
    return Reply(204) if call.state.oauth.disconnect(call.args["id"]) else not_found()
