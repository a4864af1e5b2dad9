"""Queries against the sandbox: paging, parsed models, bad records, incremental and deleted reads,
replication resources, single-currency orgs and query errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest

from integrations import demo_data as demo
from integrations.salesforce import ModstampCursor, SalesforceClient
from integrations.salesforce.errors import (
    SalesforceInvalidField,
    SalesforceMalformedQuery,
    SalesforceQueryLocatorExpired,
)
from integrations.salesforce.models import Account, Opportunity, OpportunityLineItem, Product2, User
from integrations.salesforce.soql import Select, eq

from .conftest import START, Org

WRITEBACK = ["Xero_Invoice_Number__c", "Xero_Invoice_URL__c", "Xero_Invoice_Status__c"]


def _all(pages: object) -> list:
    return [record for page in pages for record in page.records]  # type: ignore[attr-defined]


def test_opportunities_parse_with_accounts_owners_and_lines(client: SalesforceClient) -> None:
    opportunities = {o.id: o for o in _all(client.changed_pages(Opportunity, None, custom_fields=WRITEBACK))}
    assert len(opportunities) == len(demo.OPPORTUNITIES)
    expansion = opportunities[demo.OPPORTUNITIES[0].id]
    assert expansion.amount_money is not None and expansion.amount_money.amount == Decimal("14900.00")
    assert expansion.currency == "USD" and expansion.is_won and expansion.is_closed
    assert expansion.account and expansion.account.name == "Acme Corporation"
    assert expansion.owner and expansion.owner.email == demo.REP.email
    assert expansion.system_modstamp == START and expansion.system_modstamp.tzinfo is not None
    assert [(li.product_code, li.quantity, li.unit_price) for li in expansion.line_items] == [
        ("PLAT-ANNUAL", 1, Decimal("12000")), ("SEAT", 10, Decimal("240")), ("ONBOARD", 1, Decimal("500"))]
    assert expansion.line_items[0].product2 and expansion.line_items[0].product2.product_code == "PLAT-ANNUAL"
    assert isinstance(expansion.line_items[1].total_price, Decimal)
    uk = opportunities[demo.OPPORTUNITIES[1].id]
    assert uk.currency == "GBP" and uk.line_items[0].discount == 10 and uk.line_items[0].total_price == 8100
    renewal = opportunities[demo.OPPORTUNITIES[4].id]
    assert renewal.custom_fields["Xero_Invoice_Number__c"] == "INV-0001"
    assert renewal.custom_fields["Xero_Invoice_Status__c"] == "PAID"
    assert opportunities[demo.OPPORTUNITIES[2].id].line_items == []  # null child subquery


def test_pages_follow_next_records_url_one_batch_at_a_time(make_org: Callable[..., Org], http: httpx.Client) -> None:
    org = make_org(batch_size=4)
    client = org.client(http)
    pages = client.changed_pages(Opportunity, None)
    first = next(pages)
    calls_after_first = client.calls_made
    assert len(first.records) == 4 and not first.done and first.total_size == 9
    rest = list(pages)
    assert [len(p) for p in rest] == [4, 1] and rest[-1].done
    assert client.calls_made == calls_after_first + 2  # one GET per further page, on demand
    assert sum(1 for r in org.state.requests if "/query/01g" in r) == 2


def test_an_expired_query_locator_is_typed(make_org: Callable[..., Org], http: httpx.Client) -> None:
    org = make_org(batch_size=4)
    pages = org.client(http).changed_pages(Opportunity, None)
    next(pages)
    org.state.expire_query_locators()
    with pytest.raises(SalesforceQueryLocatorExpired):
        next(pages)


def test_batch_size_header_is_honoured(make_org: Callable[..., Org], http: httpx.Client) -> None:
    org = make_org()
    org.state.bulk_load("Account", [{"Name": f"Bulk {n}"} for n in range(450)])
    client = org.client(http, batch_size=200)
    assert [len(p) for p in client.query_pages(Select("Account", ["Id", "SystemModstamp", "Name"]), Account)] == [
        200, 200, 59]


def test_a_bad_record_is_reported_and_the_page_goes_on(org: Org, client: SalesforceClient) -> None:
    bad_id = org.state.create("Opportunity", {"Name": "No stage", "CloseDate": "2026-12-01", "StageName": None})
    pages = list(client.changed_pages(Opportunity, None))
    assert sum(len(p.records) for p in pages) == len(demo.OPPORTUNITIES)
    failures = [f for p in pages for f in p.failures]
    assert [f.id for f in failures] == [bad_id]
    assert "StageName" in failures[0].error and failures[0].raw["Name"] == "No stage"
    assert pages[-1].cursor == ModstampCursor(START, bad_id)  # failures count for the cursor too


def test_incremental_reads_resume_after_the_cursor(org: Org, client: SalesforceClient) -> None:
    cursor = list(client.changed_pages(Opportunity, None))[-1].cursor
    assert cursor is not None and next(client.changed_pages(Opportunity, cursor)).records == []
    org.clock.tick(5)
    org.state.update("Opportunity", demo.OPPORTUNITIES[6].id, {"StageName": "Closed Won"})
    changed = _all(client.changed_pages(Opportunity, cursor))
    assert [(o.id, o.is_won, o.system_modstamp) for o in changed] == [(demo.OPPORTUNITIES[6].id, True, org.clock())]


def test_records_sharing_a_second_are_not_skipped_across_a_restart(make_org: Callable[..., Org],
                                                                   http: httpx.Client) -> None:
    org = make_org(batch_size=2)
    client = org.client(http)
    first_page = next(client.changed_pages(Account, None))  # the sync stops after one page
    assert first_page.cursor is not None and first_page.cursor.modstamp == START
    resumed = _all(client.changed_pages(Account, first_page.cursor))
    assert [a.id for a in first_page.records + resumed] == sorted(a.id for a in demo.ACCOUNTS_SF)


def test_deletions_via_query_all(org: Org, client: SalesforceClient) -> None:
    org.clock.tick(60)
    doomed = demo.OPPORTUNITIES[0]
    org.state.delete("Opportunity", doomed.id)
    line_ids = {demo.sf_id("00k", doomed.n * 10 + i + 1) for i in range(len(doomed.lines))}
    since = ModstampCursor(START)
    assert [d.id for d in _all(client.deleted_pages(Opportunity, since))] == [doomed.id]
    assert {d.id for d in _all(client.deleted_pages(OpportunityLineItem, since))} == line_ids
    assert doomed.id not in {o.id for o in _all(client.changed_pages(Opportunity, None))}
    everything = _all(client.changed_pages(Opportunity, since, include_deleted=True))
    assert [(o.id, o.is_deleted) for o in everything] == [(doomed.id, True)]


def test_get_updated_and_get_deleted(org: Org, client: SalesforceClient) -> None:
    org.clock.tick(120)
    org.state.update("Account", demo.SF_ACCOUNT["hooli"].id, {"Phone": "+1 555 0100"})
    org.state.delete("Account", demo.SF_ACCOUNT["stark"].id)
    org.clock.tick(120)
    start = START + timedelta(seconds=90)  # seconds are ignored: the window starts at 09:01, after the seed
    updated = client.get_updated("Account", start, org.clock())
    assert updated.ids == [demo.SF_ACCOUNT["hooli"].id]  # the deleted account is reported by get_deleted
    assert updated.latest_date_covered == org.clock().replace(second=0)
    assert len(client.get_updated("Account", START, org.clock()).ids) == len(demo.ACCOUNTS_SF) - 1
    deleted = client.get_deleted("Account", START, org.clock())
    assert [d.id for d in deleted.deleted_records] == [demo.SF_ACCOUNT["stark"].id]
    assert deleted.deleted_records[0].deleted_date == START + timedelta(seconds=120)


def test_single_currency_org_uses_the_org_currency(make_org: Callable[..., Org], http: httpx.Client) -> None:
    org = make_org(multi_currency=False, org_currency="EUR")
    client = org.client(http)
    query = client.select(Opportunity).render()
    assert "CurrencyIsoCode" not in query
    opportunities = _all(client.changed_pages(Opportunity, None))
    assert {o.currency for o in opportunities} == {"EUR"}
    assert {li.currency for o in opportunities for li in o.line_items} == {"EUR"}
    assert {a.currency for a in _all(client.changed_pages(Account, None))} == {"EUR"}
    list(client.changed_pages(Opportunity, None))
    describes = [r for r in org.state.requests if r.endswith("/describe")]
    assert len(describes) == len(set(describes)) == 3  # Opportunity, OpportunityLineItem, Account: once each


def test_multi_currency_org_selects_currency(client: SalesforceClient) -> None:
    assert "CurrencyIsoCode" in client.select(Opportunity).render()
    assert client.has_currency_field("OpportunityLineItem")


def test_configured_org_currency_skips_the_organization_query(make_org: Callable[..., Org],
                                                              http: httpx.Client) -> None:
    org = make_org(multi_currency=False)
    client = org.client(http, org_currency="USD")
    _all(client.changed_pages(Product2, None))
    assert not any("Organization" in r for r in org.state.requests)


def test_long_child_lists_are_completed(make_org: Callable[..., Org], http: httpx.Client) -> None:
    org = make_org(child_batch_size=2)
    opportunity = org.client(http).opportunity(demo.OPPORTUNITIES[0].id)
    assert [li.sort_order for li in opportunity.line_items] == [1, 2, 3]


def test_users_by_email(client: SalesforceClient) -> None:
    assert [u.name for u in client.users_by_email("RITA.REP@paidup.example")] == ["Rita Rep"]
    assert client.users_by_email(demo.FORMER.email) == []
    assert [u.is_active for u in client.users_by_email(demo.FORMER.email, active_only=False)] == [False]
    assert [u.id for u in _all(client.changed_pages(User, None))] == sorted(u.id for u in demo.USERS)


def test_query_errors_are_typed(client: SalesforceClient) -> None:
    with pytest.raises(SalesforceMalformedQuery) as raised:
        next(client.query_raw("SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'"))
    assert raised.value.error_code == "MALFORMED_QUERY" and raised.value.status_code == 400
    with pytest.raises(SalesforceInvalidField) as invalid:
        next(client.query_raw("SELECT Id, Nope__c FROM Account"))
    assert invalid.value.fields == ["Nope__c"]
    with pytest.raises(SalesforceInvalidField, match="Nope__c"):
        client.select(Opportunity, custom_fields=["Nope__c"])
    with pytest.raises(SalesforceMalformedQuery, match="should not be enclosed in quotes"):
        next(client.query_raw("SELECT Id FROM Account WHERE SystemModstamp > '2026-01-01T00:00:00Z'"))
    with pytest.raises(SalesforceMalformedQuery, match="not supported"):
        next(client.query_raw(Select("Invoice__c", ["Id"])))
    with pytest.raises(SalesforceMalformedQuery, match="invalid ID"):
        next(client.query_raw(Select("Account", ["Id"], where=eq("Id", "x' OR Id != '"))))
