"""Models and dates without a server: Xero's date forms, Decimal money, unknown fields, request bodies."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from integrations.xero import json_codec
from integrations.xero.dates import format_if_modified_since, format_ms_date, parse_xero_date, parse_xero_datetime
from integrations.xero.models import Invoice, xero_alias
from integrations.xero.pages import INVOICES, page_from_envelope
from integrations.xero.write_models import ContactRef, NewInvoice, NewLineItem


@pytest.mark.parametrize(("raw", "expected"), [
    ("/Date(1539993600000+0000)/", datetime(2018, 10, 20, tzinfo=UTC)),
    ("/Date(1439434356790)/", datetime(2015, 8, 13, 2, 52, 36, 790000, tzinfo=UTC)),
    ("/Date(1419937200000+1300)/", datetime(2014, 12, 30, 11, 0, tzinfo=UTC)),  # the offset is display only
    ("2018-11-02T16:31:30Z", datetime(2018, 11, 2, 16, 31, 30, tzinfo=UTC)),
    ("2018-10-20T00:00:00", datetime(2018, 10, 20, tzinfo=UTC)),
    ("2020-02-06T12:17:43.202-08:00", datetime(2020, 2, 6, 20, 17, 43, 202000, tzinfo=UTC)),
])
def test_timestamps_become_aware_utc(raw: str, expected: datetime) -> None:
    assert parse_xero_datetime(raw) == expected


def test_dates_and_formats() -> None:
    assert parse_xero_date("/Date(1539993600000+0000)/") == date(2018, 10, 20)
    assert parse_xero_date("2018-10-20T00:00:00") == parse_xero_date("2018-10-20") == date(2018, 10, 20)
    assert format_ms_date(date(2018, 10, 20)) == "/Date(1539993600000+0000)/"
    assert format_if_modified_since(datetime(2026, 7, 1, 13, 5, 9, 999, tzinfo=UTC)) == "2026-07-01T13:05:09"


def test_aliases_follow_xeros_names() -> None:
    assert [xero_alias(n) for n in ("invoice_id", "updated_date_utc", "line_amount_types", "sub_total")] == [
        "InvoiceID", "UpdatedDateUTC", "LineAmountTypes", "SubTotal"]


def test_money_is_exact_and_unknown_fields_are_ignored() -> None:
    envelope = json_codec.loads(b'{"Invoices": [{"InvoiceID": "a", "Type": "ACCREC", "Status": "AUTHORISED", '
                                b'"Total": 0.10, "AmountDue": 1234567.89, "BrandNewXeroField": {"x": 1}}, '
                                b'{"Type": "ACCREC"}]}')
    page = page_from_envelope(INVOICES, 1, envelope)
    invoice = page.items[0]
    assert (invoice.total, invoice.amount_due) == (Decimal("0.10"), Decimal("1234567.89"))
    assert isinstance(invoice, Invoice) and page.raw_count == 2
    assert page.failures[0].record_id is None and "InvoiceID" in page.failures[0].error


def test_request_bodies_carry_numbers_and_iso_dates() -> None:
    invoice = NewInvoice(contact=ContactRef(contact_id="c"), date=date(2026, 7, 1),
                         line_items=[NewLineItem(description="Seats", quantity=Decimal(2),
                                                 unit_amount=Decimal("240.00"))])
    body = json_codec.dumps({"Invoices": [invoice.to_xero()]})
    assert body == (b'{"Invoices":[{"Contact":{"ContactID":"c"},"LineItems":[{"Description":"Seats","Quantity":2,'
                    b'"UnitAmount":240.00}],"Type":"ACCREC","Status":"DRAFT","Date":"2026-07-01"}]}')
