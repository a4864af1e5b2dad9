"""Models and page parsing without a server: datetimes, money, children, currency, cursors."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from integrations.salesforce import ModstampCursor
from integrations.salesforce.models import Money, Opportunity, soql_columns
from integrations.salesforce.paging import RawPage, parse_page
from integrations.salesforce.soql import Select

RAW = {"attributes": {"type": "Opportunity"}, "Id": "006000000000001AAA",
       "SystemModstamp": "2013-05-20T20:49:32.000+0000", "Name": "Deal", "StageName": "Closed Won",
       "IsClosed": True, "IsWon": True, "Amount": Decimal("1500.5"),
       "Account": None, "Owner": {"attributes": {"type": "User"}, "Email": "o@x.example", "Name": "O"},
       "OpportunityLineItems": {"totalSize": 1, "done": True, "records": [
           {"Id": "00k000000000001AAA", "SystemModstamp": "2013-05-20T20:49:32.000+0000",
            "OpportunityId": "006000000000001AAA", "Quantity": Decimal("2.0"), "UnitPrice": Decimal("750.25"),
            "Product2": {"ProductCode": "SEAT"}}]}}


def test_salesforce_json_parses_into_aware_datetimes_money_and_children() -> None:
    page = parse_page(RawPage([RAW], 1, True), Opportunity, lambda: "NZD")
    [deal] = page.records
    assert deal.system_modstamp == datetime(2013, 5, 20, 20, 49, 32, tzinfo=UTC)
    assert deal.amount_money == Money(Decimal("1500.5"), "NZD")  # single-currency org: the org's currency
    assert deal.line_items[0].currency == "NZD" and deal.line_items[0].unit_price_money.amount == Decimal("750.25")
    assert deal.line_items[0].product2 and deal.line_items[0].product2.product_code == "SEAT"
    assert deal.account is None and deal.owner and deal.owner.email == "o@x.example"
    assert page.cursor == ModstampCursor(deal.system_modstamp, deal.id)


def test_multi_currency_values_are_kept() -> None:
    [deal] = parse_page(RawPage([{**RAW, "CurrencyIsoCode": "EUR"}], 1, True), Opportunity, lambda: "NZD").records
    assert deal.currency == "EUR"


def test_a_failure_keeps_a_json_safe_raw_record() -> None:
    bad = {**RAW, "Id": "006000000000002AAA", "SystemModstamp": "2013-05-20T20:49:33"}  # no zone
    page = parse_page(RawPage([RAW, bad], 2, True), Opportunity, lambda: "USD")
    assert len(page.records) == 1
    [failure] = page.failures
    assert failure.id == "006000000000002AAA" and "SystemModstamp" in failure.error
    assert failure.raw["Amount"] == "1500.5"
    assert page.cursor == ModstampCursor(datetime(2013, 5, 20, 20, 49, 32, tzinfo=UTC), RAW["Id"])


def test_columns_follow_the_model_and_the_org() -> None:
    multi = soql_columns(Opportunity, lambda sobject: True)
    single = soql_columns(Opportunity, lambda sobject: sobject != "OpportunityLineItem")
    assert "CurrencyIsoCode" in multi and "Account.Name" in multi and "Owner.Email" in multi
    [lines] = [c for c in single if isinstance(c, Select)]
    assert lines.sobject == "OpportunityLineItems" and "CurrencyIsoCode" not in lines.fields
    assert "Product2.ProductCode" in lines.fields


def test_cursor_conditions() -> None:
    at = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert ModstampCursor(at).condition().render() == "SystemModstamp > 2026-01-01T12:00:00Z"
    assert ModstampCursor(at, "001000000000001AAA").condition().render() == (
        "SystemModstamp > 2026-01-01T12:00:00Z OR (SystemModstamp = 2026-01-01T12:00:00Z AND "
        "Id > '001000000000001AAA')")
    assert ModstampCursor(at.replace(microsecond=5), "x").condition().render() == (
        "SystemModstamp >= 2026-01-01T12:00:00Z")


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValidationError):
        Opportunity.model_validate({**RAW, "CurrencyIsoCode": "USD", "SystemModstamp": "2013-05-20T20:49:32"})
