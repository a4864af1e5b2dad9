"""The sandbox against Salesforce's published contract, over raw HTTP (no client)."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest

from integrations import demo_data as demo
from integrations.salesforce.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, create_salesforce_sandbox
from integrations.salesforce.soql import Select, eq

from .conftest import TODAY, Org, RsaKeys

V = "/services/data/v64.0"


class Raw:
    """An authorised raw HTTP session against one sandbox org."""

    def __init__(self, org: Org, http: httpx.Client) -> None:
        self.org, self.http = org, http
        token = http.post(f"{org.url}/services/oauth2/token", data={
            "grant_type": "client_credentials", "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET})
        assert token.status_code == 200, token.text
        self.headers = {"Authorization": f"Bearer {token.json()['access_token']}"}

    def get(self, path: str, **params: str) -> httpx.Response:
        return self.http.get(self.org.url + path, params=params, headers=self.headers)

    def query(self, soql: str, resource: str = "query") -> httpx.Response:
        return self.get(f"{V}/{resource}", q=soql)

    def records(self, soql: str) -> list[dict[str, Any]]:
        response = self.query(soql)
        assert response.status_code == 200, response.text
        return response.json(parse_float=Decimal)["records"]


@pytest.fixture
def raw(org: Org, http: httpx.Client) -> Raw:
    return Raw(org, http)


def test_query_shape_with_parents_and_children(raw: Raw) -> None:
    body = raw.query("SELECT Name, Account.Name, Owner.Email, (SELECT Quantity, Product2.ProductCode FROM "
                     "OpportunityLineItems ORDER BY SortOrder) FROM Opportunity WHERE Name LIKE 'Acme%' "
                     "ORDER BY CloseDate DESC LIMIT 1").json()
    assert body["totalSize"] == 1 and body["done"] is True and "nextRecordsUrl" not in body
    record = body["records"][0]
    opp = demo.OPPORTUNITIES[0]
    assert record["attributes"] == {"type": "Opportunity", "url": f"{V}/sobjects/Opportunity/{opp.id}"}
    assert record["Account"]["Name"] == "Acme Corporation" and record["Account"]["attributes"]["type"] == "Account"
    assert record["Owner"]["Email"] == demo.REP.email
    lines = record["OpportunityLineItems"]
    assert (lines["totalSize"], lines["done"]) == (3, True)
    assert lines["records"][0]["Product2"]["ProductCode"] == "PLAT-ANNUAL"
    no_lines = raw.records(Select("Opportunity", [Select("OpportunityLineItems", ["Id"])],
                                  where=eq("Id", demo.OPPORTUNITIES[2].id)).render())
    assert no_lines[0]["OpportunityLineItems"] is None


def test_datetimes_dates_and_numbers_as_salesforce_writes_them(raw: Raw) -> None:
    record = raw.records(Select("Opportunity", ["SystemModstamp", "CloseDate", "Amount"],
                                where=eq("Id", demo.OPPORTUNITIES[0].id)).render())[0]
    assert record["SystemModstamp"] == "2026-11-30T09:00:00.000+0000"
    assert record["CloseDate"] == "2026-11-27" and record["Amount"] == Decimal("14900.0")


@pytest.mark.parametrize(("soql", "count"), [
    ("SELECT Id FROM Opportunity WHERE CloseDate < 2026-11-30 AND IsWon = true", 7),
    ("SELECT Id FROM Opportunity WHERE StageName NOT IN ('Closed Won', 'Closed Lost')", 1),
    ("SELECT Id FROM Opportunity WHERE NOT (StageName = 'Closed Won')", 2),
    ("SELECT Id FROM Opportunity WHERE (Amount >= 7000 OR Amount = null) AND CurrencyIsoCode = 'USD'", 4),
    ("SELECT Id FROM Opportunity WHERE SystemModstamp >= 2026-11-30T10:00:00+01:00", 9),
    ("SELECT Id FROM Opportunity WHERE Account.Name = 'globex, inc.'", 2),
    ("SELECT Id FROM Account WHERE BillingState = null", 3),
    ("SELECT Id FROM Account ORDER BY Name LIMIT 3 OFFSET 7", 2),
    ("SELECT Id FROM User WHERE Email LIKE '%\\_%'", 0),
])
def test_where_clauses(raw: Raw, soql: str, count: int) -> None:
    assert len(raw.records(soql)) == count


def test_count_and_order(raw: Raw) -> None:
    assert raw.query("SELECT COUNT() FROM Account").json() == {"totalSize": 9, "done": True, "records": []}
    names = [r["Name"] for r in raw.records("SELECT Name FROM Account ORDER BY BillingState DESC NULLS LAST, Name")]
    assert names[:2] == ["Initech LLC", "Globex, Inc."] and names[-1] == "O'Brien & Sons"


@pytest.mark.parametrize(("soql", "code", "text"), [
    ("SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'", "MALFORMED_QUERY", "unexpected token"),
    ("SELECT Id FROM Account WHERE Name = 'unterminated", "MALFORMED_QUERY", "unterminated"),
    ("SELECT Id FROM Account WHERE Name = 'a\\qb'", "MALFORMED_QUERY", "Illegal character sequence"),
    ("SELECT Id FROM Account WHERE Name = '100\\%'", "MALFORMED_QUERY", "Illegal character sequence"),
    ("SELECT Id, Bogus FROM Account", "INVALID_FIELD", "No such column 'Bogus' on entity 'Account'"),
    ("SELECT Id, Parent.Name FROM Account", "INVALID_FIELD", "Didn't understand relationship 'Parent'"),
    ("SELECT Id FROM Nope__c", "INVALID_TYPE", "sObject type 'Nope__c' is not supported"),
    ("SELECT Id FROM Account WHERE SystemModstamp > 2026-01-01", "INVALID_QUERY_FILTER_OPERATOR", "dateTime"),
    ("SELECT Id FROM Account WHERE Name = 5", "INVALID_QUERY_FILTER_OPERATOR", "should be enclosed in quotes"),
    ("SELECT Id, (SELECT Id FROM Nopes) FROM Account", "INVALID_TYPE", "Didn't understand relationship 'Nopes'"),
])
def test_query_errors_in_the_array_shape(raw: Raw, soql: str, code: str, text: str) -> None:
    response = raw.query(soql)
    assert response.status_code == 400
    [error] = response.json()
    assert error["errorCode"] == code and text in error["message"]
    assert response.headers["Sforce-Limit-Info"].startswith("api-usage=")


def test_paging_and_query_all(make_org: Callable[..., Org], http: httpx.Client) -> None:
    org = make_org(batch_size=4)
    raw = Raw(org, http)
    org.state.delete("Account", demo.SF_ACCOUNT["hooli"].id)
    first = raw.query("SELECT Id, IsDeleted FROM Account ORDER BY Id", resource="queryAll").json()
    assert (first["totalSize"], first["done"], len(first["records"])) == (9, False, 4)
    assert first["nextRecordsUrl"].startswith(f"{V}/query/01g") and first["nextRecordsUrl"].endswith("-4")
    seen = first["records"]
    body = first
    while not body["done"]:
        body = raw.get(body["nextRecordsUrl"]).json()
        seen += body["records"]
    assert [r["IsDeleted"] for r in seen].count(True) == 1 and len(seen) == 9
    assert raw.query("SELECT Id FROM Account").json()["totalSize"] == 8
    assert raw.get(f"{V}/query/01gNOPE-2000").json()[0]["errorCode"] == "INVALID_QUERY_LOCATOR"


def test_auth_version_and_limit_headers(raw: Raw, org: Org, http: httpx.Client) -> None:
    expired = http.get(f"{org.url}{V}/limits", headers={"Authorization": "Bearer 00D!nope"})
    assert expired.status_code == 401
    assert expired.json() == [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]
    assert raw.get("/services/data/v12.0/limits").status_code == 404
    assert any(v["version"] == "64.0" for v in http.get(f"{org.url}/services/data/").json())
    limits = raw.get(f"{V}/limits")
    assert limits.headers["Sforce-Limit-Info"] == "api-usage=1/100000"
    assert limits.json()["DailyApiRequests"] == {"Max": 100000, "Remaining": 99999}


def test_describe_with_and_without_currency(make_org: Callable[..., Org], http: httpx.Client) -> None:
    multi = Raw(make_org(), http).get(f"{V}/sobjects/Opportunity/describe").json()
    names = {f["name"] for f in multi["fields"]}
    assert {"CurrencyIsoCode", "Xero_Invoice_Number__c", "SystemModstamp", "IsDeleted"} <= names
    assert {"relationshipName": "OpportunityLineItems", "childSObject": "OpportunityLineItem",
            "field": "OpportunityId"} in multi["childRelationships"]
    single_raw = Raw(make_org(multi_currency=False), http)
    single = single_raw.get(f"{V}/sobjects/OpportunityLineItem/describe").json()
    assert "CurrencyIsoCode" not in {f["name"] for f in single["fields"]}
    assert single_raw.query("SELECT CurrencyIsoCode FROM Opportunity").json()[0]["errorCode"] == "INVALID_FIELD"
    assert single_raw.get(f"{V}/sobjects/Invoice__c/describe").status_code == 404


def test_patch_validates_fields(raw: Raw, org: Org, http: httpx.Client) -> None:
    url = f"{org.url}{V}/sobjects/Opportunity/{demo.OPPORTUNITIES[0].id}"
    ok = http.patch(url, json={"xero_invoice_number__c": "INV-9"}, headers=raw.headers)
    assert (ok.status_code, ok.content) == (204, b"")
    assert org.state.get("Opportunity", demo.OPPORTUNITIES[0].id)["Xero_Invoice_Number__c"] == "INV-9"  # type: ignore[index]
    unknown = http.patch(url, json={"Foo__c": "x"}, headers=raw.headers)
    assert unknown.status_code == 400
    assert unknown.json() == [{"message": "No such column 'Foo__c' on sobject of type Opportunity",
                               "errorCode": "INVALID_FIELD"}]
    assert http.patch(url, json={"CloseDate": "soon"}, headers=raw.headers).json()[0]["errorCode"] == \
        "JSON_PARSER_ERROR"
    missing = http.patch(f"{org.url}{V}/sobjects/Opportunity/{demo.sf_id('006', 999)}", json={}, headers=raw.headers)
    assert missing.json() == [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]


def test_replication_windows(raw: Raw, org: Org) -> None:
    too_old = raw.get(f"{V}/sobjects/Account/updated/", start="2026-10-01T00:00:00+00:00", end="2026-11-30T09:00:00Z")
    assert too_old.json()[0]["errorCode"] == "INVALID_REPLICATION_DATE"
    deleted = raw.get(f"{V}/sobjects/Account/deleted/", start="2026-11-29T00:00:00Z", end="2026-11-30T09:00:00Z")
    assert deleted.json()["deletedRecords"] == []
    assert deleted.json()["latestDateCovered"] == "2026-11-30T09:00:00.000+0000"


def test_token_endpoint_variants(org: Org, http: httpx.Client, rsa_keys: RsaKeys) -> None:
    token_url = f"{org.url}/services/oauth2/token"
    basic = http.post(token_url, data={"grant_type": "client_credentials"},
                      auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET))
    assert basic.status_code == 200 and basic.json()["token_type"] == "Bearer" and "refresh_token" not in basic.json()
    assert http.post(token_url, data={"grant_type": "password"}).json()["error"] == "unsupported_grant_type"
    far = jwt.encode({"iss": DEFAULT_CLIENT_ID, "sub": demo.REP.email, "aud": "https://login.salesforce.com",
                      "exp": int(org.clock().timestamp()) + 600}, rsa_keys.private_pem, algorithm="RS256")
    refused = http.post(token_url, data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                                         "assertion": far})
    assert refused.status_code == 400 and "3 minutes" in refused.json()["error_description"]


def test_authorize_can_deny(make_org: Callable[..., Org], http: httpx.Client) -> None:
    org = make_org(auto_approve=False)
    response = http.get(f"{org.url}/services/oauth2/authorize", params={
        "response_type": "code", "client_id": DEFAULT_CLIENT_ID, "redirect_uri": "http://localhost:1/cb",
        "state": "s1"}, follow_redirects=False)
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert response.status_code == 302 and query["error"] == ["access_denied"] and query["state"] == ["s1"]


def test_control_endpoints(org: Org, http: httpx.Client, raw: Raw) -> None:
    control = f"{org.url}/__sandbox__"
    created = http.post(f"{control}/records/Account", json={"Name": "Wayne Enterprises", "OwnerId": demo.REP.id})
    account_id = created.json()["id"]
    assert created.status_code == 201 and raw.records(Select("Account", ["Name"], where=eq("Id", account_id)).render())
    assert http.patch(f"{control}/records/Account/{account_id}", json={"Phone": "1"}).status_code == 204
    assert http.delete(f"{control}/records/Account/{account_id}").status_code == 204
    assert http.post(f"{control}/records/Account", json={"Bogus": 1}).status_code == 400
    assert http.post(f"{control}/faults", json={"fail_next": 1, "fail_status": 503}).status_code == 200
    assert raw.get(f"{V}/limits").json()[0]["errorCode"] == "SERVER_UNAVAILABLE"
    http.post(f"{control}/faults", json={"expire_sessions": True})
    assert raw.get(f"{V}/limits").status_code == 401
    made = http.post(f"{control}/generate", json={"accounts": 3, "opportunities": 5, "lines_per_opportunity": 2})
    assert made.json() == {"accounts": 3, "opportunities": 5, "line_items": 10}
    stats = http.get(f"{control}/stats").json()
    assert stats["records"]["Opportunity"] == 14 and stats["token_requests"] == {"client_credentials": 1}


def test_generating_many_deals_is_fast_and_consistent() -> None:
    started = time.perf_counter()
    state, _ = create_salesforce_sandbox(today=TODAY, generate_accounts=500, generate_opportunities=5000)
    assert time.perf_counter() - started < 5
    assert state.count("Opportunity") == 5009 and state.count("OpportunityLineItem") > 10000
    deal = next(r for r in state.rows("Opportunity", False) if r["Name"] == "Generated Deal 000042")
    lines = state.children("OpportunityLineItem", "OpportunityId", deal["Id"], False)
    assert deal["Amount"] == sum(line["TotalPrice"] for line in lines) and deal["HasOpportunityLineItem"]
