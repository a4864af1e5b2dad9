"""The sandbox keeps Xero's contract for what invoicing relies on: Idempotency-Key replay, reuse with
another request refused, the 128-character limit, and the status transitions Xero allows."""

from __future__ import annotations

import httpx
import pytest

from tests.integrations.xero import test_xero_sandbox
from tests.integrations.xero.conftest import XeroRig

api = test_xero_sandbox.api  # the fixture: raw API calls with a token and the tenant header

LINE = {"Description": "Pilot", "Quantity": 1, "UnitAmount": 1000, "AccountCode": "200", "TaxType": "OUTPUT"}
DRAFT = {"Invoices": [{"Type": "ACCREC", "Contact": {"Name": "Contract Customer"}, "DueDate": "2030-01-31",
                       "LineItems": [LINE]}]}


def create(api: httpx.Client, key: str, body: dict = DRAFT) -> httpx.Response:
    return api.put("Invoices", json=body, headers={"Idempotency-Key": key})


def test_a_key_replays_once_and_refuses_another_request(rig: XeroRig, api: httpx.Client) -> None:
    before = rig.state.counts()["Invoices"]
    first, again = create(api, "paidup-1-create-v1"), create(api, "paidup-1-create-v1")
    assert first.json()["Invoices"][0]["InvoiceID"] == again.json()["Invoices"][0]["InvoiceID"]
    assert rig.state.counts()["Invoices"] == before + 1
    other = {"Invoices": [{**DRAFT["Invoices"][0], "Reference": "something else"}]}
    refused = create(api, "paidup-1-create-v1", other)
    assert refused.status_code == 400 and "already been used with a different request" in refused.json()["Message"]
    assert rig.state.counts()["Invoices"] == before + 1


def test_a_key_longer_than_128_characters_is_refused(rig: XeroRig, api: httpx.Client) -> None:
    before = rig.state.counts()["Invoices"]
    assert create(api, "k" * 128).status_code == 200
    too_long = create(api, "k" * 129)
    assert too_long.status_code == 400 and "at most 128 characters" in too_long.json()["Message"]
    assert rig.state.counts()["Invoices"] == before + 1


@pytest.mark.parametrize(("path", "allowed"), [
    (["AUTHORISED"], True), (["DELETED"], True), (["SUBMITTED", "AUTHORISED"], True),
    (["DELETED", "AUTHORISED"], False), (["AUTHORISED", "DELETED"], False), (["AUTHORISED", "DRAFT"], False),
    (["AUTHORISED", "VOIDED"], True),
])
def test_status_transitions_follow_xero(rig: XeroRig, api: httpx.Client, path: list[str], allowed: bool) -> None:
    invoice_id = create(api, f"transitions-{'-'.join(path)}").json()["Invoices"][0]["InvoiceID"]
    answers = [api.post(f"Invoices/{invoice_id}", json={"Invoices": [{"Status": status}]}) for status in path]
    assert all(a.status_code == 200 for a in answers[:-1])
    last = answers[-1]
    if allowed:
        assert last.status_code == 200 and last.json()["Invoices"][0]["Status"] == path[-1]
    else:
        assert last.status_code == 400
        assert last.json()["Elements"][0]["ValidationErrors"][0]["Message"] == \
            "Invoice not of valid status for modification"
