"""The sandbox itself, over raw HTTP where it matters: Xero's error shapes, the where parser,
totals, batches, idempotent replay, headers, and the ``/__sandbox__`` control API."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest

from integrations import demo_data as demo
from integrations.xero.sandbox import TEST_SCOPES
from integrations.xero.sandbox.totals import price_lines
from integrations.xero.sandbox.where import WhereError, compile_where
from tests.integrations.xero.conftest import XeroRig

RECORD = {"Status": "AUTHORISED", "AmountDue": Decimal("5.00"), "Date": date(2026, 1, 5), "Name": "Acme Corp",
          "ContactID": "ABC-def", "EmailAddress": None, "IsCustomer": True}
FIELDS = {name.lower(): (lambda r, n=name: r[n]) for name in RECORD}
FIELDS["contact.contactid"] = lambda r: r["ContactID"]


@pytest.mark.parametrize(("where", "expected"), [
    ('Status=="AUTHORISED"', True),
    ('status == "AUTHORISED" && AmountDue > 0', True),
    ("AmountDue >= 5 AND AmountDue <= 5.00", True),
    ("Date >= DateTime(2026, 01, 01) AND Date < DateTime(2026,2,1)", True),
    ('Date == DateTime.Parse("2026-01-05T00:00:00")', True),
    ('Contact.ContactID == Guid("abc-DEF")', True),
    ('Name.Contains("Acme") OR Name.StartsWith("Zed")', True),
    ('Name.EndsWith("Corp") && NOT (Status != "AUTHORISED")', True),
    ('Name.ToLower() == "acme corp"', True),
    ("EmailAddress == null", True),
    ('EmailAddress != null && Status == "AUTHORISED"', False),
    ("IsCustomer", True),
    ('Status == "PAID" || AmountDue < 1', False),
])
def test_where_filters(where: str, expected: bool) -> None:
    assert compile_where(where, FIELDS, "Invoice")(RECORD) is expected


@pytest.mark.parametrize(("where", "message"), [
    ("Colour == 1", "No property or field 'Colour' exists in type 'Invoice'"),
    ("Status ==", "Expression expected"),
    ('Status == "open', "Unterminated string literal"),
    ('(Status == "A"', "')' expected"),
    ("Status == 1", "Operator '==' incompatible with operand types 'String' and 'Decimal'"),
    ("AND ()", "Expression expected"),
])
def test_where_errors_use_xeros_words(where: str, message: str) -> None:
    with pytest.raises(WhereError) as caught:
        compile_where(where, FIELDS, "Invoice")(RECORD)
    assert str(caught.value) == message


def test_totals_for_each_line_amount_type() -> None:
    rates = {"OUTPUT": Decimal("10.00"), "NONE": Decimal(0)}

    def lines() -> list[dict[str, object]]:
        return [{"Quantity": Decimal(3), "UnitAmount": Decimal("33.33"), "TaxType": "OUTPUT"},
                {"Quantity": Decimal(1), "UnitAmount": Decimal("100.00"), "TaxType": "OUTPUT",
                 "DiscountRate": Decimal("12.5")},
                {"Quantity": Decimal(2), "UnitAmount": Decimal("10.00"), "TaxType": "NONE"}]

    exclusive = price_lines(lines(), "Exclusive", rates)
    assert (exclusive.sub_total, exclusive.total_tax, exclusive.total, exclusive.total_discount) == (
        Decimal("207.49"), Decimal("18.75"), Decimal("226.24"), Decimal("12.50"))
    inclusive = price_lines(lines(), "Inclusive", rates)
    assert (inclusive.sub_total, inclusive.total_tax, inclusive.total) == (
        Decimal("190.45"), Decimal("17.04"), Decimal("207.49"))  # 9.09 + 7.95 of tax inside 207.49
    no_tax = price_lines(lines(), "NoTax", rates)
    assert (no_tax.total_tax, no_tax.total) == (Decimal("0.00"), Decimal("207.49"))


def test_seeded_invoices_match_the_demo_data(rig: XeroRig) -> None:
    for invoice in demo.INVOICES:
        rendered = rig.state.invoice(invoice.number)
        paid = sum((p.amount for p in invoice.payments), Decimal(0))
        expected_due = Decimal(0) if invoice.status == "VOIDED" else demo.invoice_totals(invoice)[2] - paid
        assert (rendered["Total"], rendered["AmountDue"], rendered["Status"]) == (
            demo.invoice_totals(invoice)[2], expected_due, invoice.status), invoice.number


@pytest.fixture
def api(rig: XeroRig) -> httpx.Client:
    token = rig.state.issue_tokens(TEST_SCOPES).access_token
    rig.http.headers.update({"Authorization": f"Bearer {token}", "xero-tenant-id": rig.state.tenant_id,
                             "Accept": "application/json"})
    rig.http.base_url = httpx.URL(rig.url + "/api.xro/2.0/")
    return rig.http


def renew(rig: XeroRig, api: httpx.Client) -> None:
    """A fresh access token after moving the clock past the old one's 30 minutes."""
    api.headers["Authorization"] = "Bearer " + rig.state.issue_tokens(TEST_SCOPES).access_token


def test_error_shapes_for_auth_tenant_scope_and_missing_records(rig: XeroRig, api: httpx.Client) -> None:
    rig.state.expire_access_tokens()
    expired = api.get("Invoices").json()
    assert (expired["Title"], expired["Status"]) == ("Unauthorized", 401)
    assert expired["Detail"].startswith("TokenExpired: token expired at ")
    api.headers["Authorization"] = "Bearer " + rig.state.issue_tokens().access_token
    forbidden = api.get("Invoices", headers={"xero-tenant-id": "00000000-0000-0000-0000-000000000000"})
    assert (forbidden.status_code, forbidden.json()["Detail"]) == (403, "AuthenticationUnsuccessful")
    narrow = rig.state.issue_tokens(("offline_access", "accounting.contacts")).access_token
    no_scope = api.get("Invoices", headers={"Authorization": f"Bearer {narrow}"})
    assert (no_scope.status_code, no_scope.json()["Detail"]) == (401, "AuthorizationUnsuccessful")
    assert "insufficient_scope" in no_scope.headers["WWW-Authenticate"]
    missing = api.get("Invoices/5b1f0f1e-2c55-4d0e-9a57-70a1d0c0de99")
    assert (missing.status_code, missing.text) == (404, "The resource you're looking for cannot be found")
    broken = api.put("Invoices", content=b'{"Invoices": [', headers={"Content-Type": "application/json"})
    assert (broken.status_code, broken.json()["Type"]) == (400, "PostDataInvalidException")


def test_envelope_dates_and_headers(api: httpx.Client) -> None:
    response = api.get("invoices", params={"page": 1, "pageSize": 2, "Statuses": "AUTHORISED"})  # any case
    assert '"\\/Date(' in response.text  # Xero escapes the slashes
    body = response.json()
    assert body["Status"] == "OK" and body["pagination"] == {"page": 1, "pageSize": 2, "pageCount": 6, "itemCount": 11}
    invoice = body["Invoices"][0]
    assert invoice["Date"].startswith("/Date(") and invoice["Date"].endswith("+0000)/")
    assert invoice["DateString"].endswith("T00:00:00") and invoice["DueDateString"].endswith("T00:00:00")
    assert invoice["UpdatedDateUTC"].startswith("/Date(") and "LineItems" in invoice
    for header in ("X-MinLimit-Remaining", "X-DayLimit-Remaining", "X-AppMinLimit-Remaining", "Xero-Correlation-Id"):
        assert header in response.headers
    unpaged = api.get("Invoices").json()["Invoices"]
    assert len(unpaged) == 16 and "LineItems" not in unpaged[0]  # no page: everything, without lines
    summary = api.get("Invoices", params={"page": 1, "summaryOnly": "true"}).json()["Invoices"][0]
    assert "LineItems" not in summary and "Payments" not in summary


def test_order_and_http_date_if_modified_since(rig: XeroRig, api: httpx.Client) -> None:
    by_total = api.get("Invoices", params={"page": 1, "order": "Total DESC, InvoiceNumber ASC"}).json()["Invoices"]
    totals = [(Decimal(str(i["Total"])), i["InvoiceNumber"]) for i in by_total]
    assert totals == sorted(totals, key=lambda t: (-t[0], t[1]))
    rig.clock.advance(3600)
    renew(rig, api)
    rig.state.record_payment("INV-0080")
    since = rig.clock.now().replace(minute=0, second=0)
    fresh = api.get("Invoices", params={"page": 1}, headers={"If-Modified-Since": since.strftime(
        "%a, %d %b %Y %H:%M:%S GMT")}).json()["Invoices"]
    assert [i["InvoiceNumber"] for i in fresh] == ["INV-0080"]


def test_a_batch_with_one_bad_element(rig: XeroRig, api: httpx.Client) -> None:
    good = {"Type": "ACCREC", "Contact": {"ContactID": demo.XERO_CONTACT["wayne"].id}, "CurrencyCode": "GBP",
            "LineItems": [{"Description": "Licence", "Quantity": 1, "UnitAmount": 100, "AccountCode": "200",
                           "TaxType": "TAX001"}]}
    bad = {**good, "LineItems": [{"Quantity": 1, "UnitAmount": 1, "AccountCode": "200"}]}
    before = rig.state.counts()["Invoices"]
    summarised = api.put("Invoices", json={"Invoices": [good, bad]})
    assert summarised.status_code == 400
    elements = summarised.json()["Elements"]
    assert "ValidationErrors" not in elements[0] and elements[0]["Total"] == 120
    assert elements[1]["ValidationErrors"] == [{"Message": "The description field is mandatory for each line item."}]
    assert rig.state.counts()["Invoices"] == before + 1  # the valid element was still saved
    itemised = api.put("Invoices", params={"summarizeErrors": "false"}, json={"Invoices": [good, bad]})
    assert itemised.status_code == 200
    assert [i["StatusAttributeString"] for i in itemised.json()["Invoices"]] == ["OK", "ERROR"]


def test_an_idempotent_replay_is_byte_identical(rig: XeroRig, api: httpx.Client) -> None:
    body = {"Invoices": [{"Type": "ACCREC", "Contact": {"Name": "Brand New Customer"}, "LineItems": [
        {"Description": "Pilot", "Quantity": 1, "UnitAmount": 1000, "AccountCode": "200"}]}]}
    first = api.put("Invoices", json=body, headers={"Idempotency-Key": "same"})
    second = api.put("Invoices", json=body, headers={"Idempotency-Key": "same"})
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert len([c for c in rig.state.ledger.tables["Contacts"].values() if c["Name"] == "Brand New Customer"]) == 1


def test_quota_exceeded_answers_429_with_the_problem(rig: XeroRig, api: httpx.Client) -> None:
    rig.state.set_limits(per_minute=2, per_day=3)
    assert [api.get("Currencies").status_code for _ in range(2)] == [200, 200]
    minute = api.get("Currencies")
    assert (minute.status_code, minute.headers["X-Rate-Limit-Problem"], minute.headers["Retry-After"]) == (
        429, "minute", "60")
    rig.clock.advance(60)
    assert api.get("Currencies").status_code == 200
    day = api.get("Currencies")
    assert (day.status_code, day.headers["X-Rate-Limit-Problem"], day.headers["X-DayLimit-Remaining"]) == (
        429, "day", "0")
    assert int(day.headers["Retry-After"]) > 3600


def control(rig: XeroRig, method: str, path: str, body: object = None) -> object:
    response = rig.http.request(method, f"{rig.url}/__sandbox__{path}", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_control_api(rig: XeroRig, api: httpx.Client) -> None:
    assert control(rig, "POST", "/invoices/generate", {"count": 250, "contacts": 10}) == {"created": 250}
    assert control(rig, "POST", "/invoices/generate", {"count": 5, "contacts": 10}) == {"created": 5}
    assert rig.state.invoice("GEN-000255")["Contact"]["Name"].startswith("Generated Customer")
    payment = control(rig, "POST", "/payments", {"invoice": "INV-0090", "amount": "7700.00", "reference": "Wire"})
    assert payment["Amount"] == 7700 and rig.state.invoice("INV-0090")["Status"] == "PAID"  # type: ignore[index]
    control(rig, "POST", "/faults", {"fail_next": {"count": 1, "status": 503}})
    offline = api.get("Currencies")
    assert (offline.status_code, offline.headers["content-type"].split(";")[0]) == (503, "text/plain")
    control(rig, "POST", "/contacts/Hooli Inc/archive")
    assert rig.state.contact("Hooli Inc")["ContactStatus"] == "ARCHIVED"
    tokens = control(rig, "POST", "/tokens", {"scopes": ["offline_access", "accounting.invoices"]})
    assert set(tokens) >= {"access_token", "refresh_token", "expires_in"}  # type: ignore[arg-type]
    control(rig, "PUT", "/today", {"today": "2026-08-01"})
    state = control(rig, "GET", "/state")
    assert state["counts"]["Invoices"] == 16 + 255 and state["today"] == "2026-08-01"  # type: ignore[index]
    refused = rig.http.post(f"{rig.url}/__sandbox__/payments", json={"invoice": "INV-0005"})
    assert refused.status_code == 400 and "Authorised" in json.loads(refused.text)["message"]


def test_the_sandbox_keeps_its_own_time(rig: XeroRig, api: httpx.Client) -> None:
    rig.clock.advance(86_400)
    renew(rig, api)
    created = api.put("Invoices", json={"Type": "ACCREC", "Contact": {"ContactID": demo.XERO_CONTACT["acme"].id},
                                        "LineItems": [{"Description": "x", "UnitAmount": 1, "AccountCode": "200"}]})
    stamp = created.json()["Invoices"][0]["UpdatedDateUTC"]
    assert stamp == f"/Date({int(datetime(2026, 7, 2, 12, 0, tzinfo=UTC).timestamp() * 1000)}+0000)/"
