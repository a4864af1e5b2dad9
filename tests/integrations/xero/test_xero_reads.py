"""Reads against the sandbox: paging, incremental pulls, filters, settings, bad records."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest

from integrations import demo_data as demo
from integrations.xero import XeroClient, XeroNotFound, XeroValidationError
from tests.integrations.xero.conftest import XeroRig


def test_paging_streams_full_pages_and_stops_on_the_last(rig: XeroRig, xero: XeroClient) -> None:
    rig.state.add_invoices(2500)  # + 16 demo invoices = 2516
    pages = xero.invoice_pages()
    assert isinstance(pages, Iterator)
    seen = [(p.number, p.raw_count, len(p.items), p.page_count, p.item_count) for p in pages]
    assert seen == [(1, 1000, 1000, 3, 2516), (2, 1000, 1000, 3, 2516), (3, 516, 516, 3, 2516)]
    listing_calls = [q for q, _ in rig.recorded("/Invoices")]
    assert [q.url.params["pageSize"] for q in listing_calls] == ["1000"] * 3
    assert xero.calls_made == 1 + 3  # GET /connections once, then one call per page


def test_a_full_last_page_ends_the_pull_without_an_empty_call(rig: XeroRig, xero: XeroClient) -> None:
    pages = list(xero.invoice_pages(page_size=8))  # 16 demo invoices: exactly two full pages
    assert [p.raw_count for p in pages] == [8, 8]
    assert len(rig.recorded("/Invoices")) == 2


def test_pages_carry_lines_payments_and_decimal_money(xero: XeroClient) -> None:
    invoices = {i.invoice_number: i for page in xero.invoice_pages() for i in page.items}
    paid = invoices["INV-0001"]
    assert (paid.status, paid.total, paid.amount_due, paid.amount_paid) == (
        "PAID", Decimal("11000.00"), Decimal("0"), Decimal("11000.00"))
    assert isinstance(paid.total, Decimal)
    assert paid.payments[0].amount == Decimal("11000.00") and paid.payments[0].reference == "Wire 55813"
    assert paid.contact is not None and paid.contact.contact_number == demo.SF_ACCOUNT["acme"].id
    discounted = invoices["INV-0060"]
    assert discounted.line_items[0].line_amount == Decimal("5400.00")
    assert discounted.total == Decimal("6480.00")
    for demo_invoice in demo.INVOICES:
        issued, due = demo.invoice_dates(demo_invoice, rig_today())
        assert (invoices[demo_invoice.number].date, invoices[demo_invoice.number].due_date) == (issued, due)
        assert invoices[demo_invoice.number].total == demo.invoice_totals(demo_invoice)[2]


def rig_today():  # the sandbox's frozen today
    from tests.integrations.xero.conftest import TODAY
    return TODAY


def test_incremental_pull_returns_only_what_changed(rig: XeroRig, xero: XeroClient) -> None:
    everything = [i for page in xero.invoice_pages() for i in page.items]
    cursor = max(i.updated_date_utc for i in everything if i.updated_date_utc)
    rig.clock.advance(120)
    rig.state.record_payment("INV-0043")
    changed = [i for page in xero.invoice_pages(modified_since=cursor + timedelta(seconds=1)) for i in page.items]
    assert [(i.invoice_number, i.status, i.amount_due) for i in changed] == [("INV-0043", "PAID", Decimal("0"))]
    request = rig.recorded("/Invoices")[-1][0]
    assert request.headers["If-Modified-Since"] == (cursor + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")
    assert request.url.params["order"] == "UpdatedDateUTC ASC"


def test_explicit_filters(xero: XeroClient) -> None:
    def numbers(**filters: object) -> list[str]:
        return sorted(i.invoice_number or "" for p in xero.invoice_pages(**filters) for i in p.items)  # type: ignore[arg-type]

    assert numbers(statuses=["DRAFT"]) == ["INV-0005"]
    assert numbers(statuses=["SUBMITTED", "VOIDED"]) == ["INV-0006", "INV-0091"]
    assert numbers(invoice_numbers=["INV-0042", "INV-0100"]) == ["INV-0042", "INV-0100"]
    assert numbers(contact_ids=[demo.XERO_CONTACT["globex"].id]) == ["INV-0042", "INV-0043"]
    assert numbers(where='Contact.Name.StartsWith("Hooli") AND AmountDue > 0') == ["INV-0090", "INV-0091"]


def test_ids_are_batched_fifty_per_request(rig: XeroRig, xero: XeroClient) -> None:
    ids = rig.state.add_invoices(120)
    found = [i.invoice_id for page in xero.invoice_pages(ids=ids) for i in page.items]
    assert sorted(found) == sorted(ids)
    batches = [q.url.params["IDs"].split(",") for q, _ in rig.recorded("/Invoices")]
    assert [len(b) for b in batches] == [50, 50, 20]


def test_an_invalid_where_comes_back_as_xeros_query_parse_error(xero: XeroClient) -> None:
    with pytest.raises(XeroValidationError) as caught:
        list(xero.invoice_pages(where='Colour == "red"'))
    assert caught.value.error_type == "QueryParseException"
    assert caught.value.messages == ["No property or field 'Colour' exists in type 'Invoice'"]


def test_a_malformed_record_is_reported_and_the_page_goes_on(rig: XeroRig, xero: XeroClient) -> None:
    bad = demo.INVOICES[7].id  # INV-0042
    rig.state.faults.corrupt_in_listings(bad, "Date", "/Date(yesterday)/")
    page = next(xero.invoice_pages())
    assert (page.raw_count, len(page.items), len(page.failures)) == (16, 15, 1)
    failure = page.failures[0]
    assert failure.record_id == bad and failure.raw["InvoiceNumber"] == "INV-0042"
    assert failure.error.startswith("Date:")


def test_contacts_hide_archived_unless_asked(xero: XeroClient) -> None:
    names = {c.name for p in xero.contact_pages() for c in p.items}
    assert "Cyberdyne Systems" not in names and "Umbrela Corporation" in names
    archived = {c.name for p in xero.contact_pages(include_archived=True) for c in p.items}
    assert "Cyberdyne Systems" in archived


def test_payments_and_credit_notes_page_too(rig: XeroRig, xero: XeroClient) -> None:
    rig.state.add_credit_note("INV-0080", "100.00")
    payments = [p for page in xero.payment_pages() for p in page.items]
    assert len(payments) == 4 and all(p.invoice and p.invoice.invoice_number for p in payments)
    notes = [n for page in xero.credit_note_pages() for n in page.items]
    assert [(n.total, n.type) for n in notes] == [(Decimal("100.00"), "ACCRECCREDIT")]
    invoice = xero.get_invoice("INV-0080")
    assert invoice.amount_credited == Decimal("100.00") and invoice.credit_notes[0].applied_amount == Decimal("100")


def test_settings_are_read_in_one_call_each(rig: XeroRig, xero: XeroClient) -> None:
    assert xero.tenant_id == rig.state.tenant_id  # resolved through GET /connections (one call)
    before = xero.calls_made
    assert {a.code for a in xero.accounts().items} >= {"090", "200", "610"}
    assert {i.code for i in xero.items().items} == {"PLAT-ANNUAL", "SEAT", "ONBOARD", "SUPPORT-PREM"}
    rates = {t.tax_type: t.effective_rate for t in xero.tax_rates().items}
    assert rates["OUTPUT"] == Decimal("10.00") and rates["TAX001"] == Decimal("20.00")
    assert [c.code for c in xero.currencies().items] == ["USD", "GBP", "EUR", "AUD"]
    organisation = xero.organisation()
    assert (organisation.name, organisation.base_currency, organisation.short_code) == ("Paidup Demo Ltd", "USD",
                                                                                        "!pD3mo")
    assert xero.calls_made - before == 5


def test_single_invoice_by_number_and_not_found(xero: XeroClient) -> None:
    invoice = xero.get_invoice("INV-0042")
    assert invoice.invoice_id == demo.INVOICES[7].id and invoice.fully_paid_on_date is not None
    with pytest.raises(XeroNotFound):
        xero.get_invoice("5b1f0f1e-2c55-4d0e-9a57-70a1d0c0de99")


def test_a_server_paging_by_fewer_than_asked_is_followed_by_its_page_count(
        rig: XeroRig, xero: XeroClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # a Xero (or stand-in) that keeps its default 100 per page whatever pageSize says: the short
    # first page is not the last one, pagination.pageCount says how many there are
    monkeypatch.setattr("integrations.xero.sandbox.listing.MAX_PAGE_SIZE", 100)
    rig.state.add_invoices(234)  # + 16 demo invoices = 250
    pages = list(xero.invoice_pages())
    assert [(p.raw_count, p.page_count) for p in pages] == [(100, 3), (100, 3), (50, 3)]
    assert len({i.invoice_id for p in pages for i in p.items}) == 250
