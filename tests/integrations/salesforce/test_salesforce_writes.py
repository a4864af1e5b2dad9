"""sObject GET/PATCH and the write-back of invoice fields to the Opportunity."""

from __future__ import annotations

from datetime import timedelta

import pytest

from integrations import demo_data as demo
from integrations.salesforce import SalesforceClient
from integrations.salesforce.errors import (
    SalesforceInvalidField,
    SalesforceNotFound,
    SalesforceRequestError,
    SalesforceWritebackFieldMissing,
)

from .conftest import START, Org

FIELD_MAP = {"invoice_number": "Xero_Invoice_Number__c", "invoice_url": "Xero_Invoice_URL__c",
             "invoice_status": "Xero_Invoice_Status__c"}
DEAL = demo.OPPORTUNITIES[0].id


def test_write_back_patches_the_mapped_fields(org: Org, client: SalesforceClient) -> None:
    org.clock.tick(30)
    written = client.write_back(DEAL, {"invoice_number": "INV-0107", "invoice_url": "https://go.xero.com/x",
                                       "invoice_status": "AUTHORISED"}, FIELD_MAP)
    assert written
    record = org.state.get("Opportunity", DEAL)
    assert record is not None
    assert (record["Xero_Invoice_Number__c"], record["Xero_Invoice_Status__c"]) == ("INV-0107", "AUTHORISED")
    assert record["SystemModstamp"] == START + timedelta(seconds=30)
    assert "PATCH /services/data/v64.0/sobjects/Opportunity/" + DEAL in org.state.requests
    opportunity = client.opportunity(DEAL, custom_fields=list(FIELD_MAP.values()))
    assert opportunity.custom_fields["Xero_Invoice_URL__c"] == "https://go.xero.com/x"


def test_unmapped_fields_are_skipped(org: Org, client: SalesforceClient) -> None:
    assert not client.write_back(DEAL, {"invoice_url": "https://x"}, {**FIELD_MAP, "invoice_url": None})
    assert client.write_back(DEAL, {"invoice_number": "INV-1", "invoice_url": "u"}, {**FIELD_MAP, "invoice_url": None})
    with pytest.raises(ValueError, match="no write-back mapping"):
        client.write_back(DEAL, {"invoice_date": "x"}, FIELD_MAP)


def test_a_missing_custom_field_names_itself(org: Org, client: SalesforceClient) -> None:
    org.state.drop_field("Opportunity", "Xero_Invoice_URL__c")
    with pytest.raises(SalesforceWritebackFieldMissing) as raised:
        client.write_back(DEAL, {"invoice_number": "INV-0107", "invoice_url": "https://x"}, FIELD_MAP)
    error = raised.value
    assert (error.field, error.setting, error.error_code) == ("Xero_Invoice_URL__c", "invoice_url", "INVALID_FIELD")
    assert "Xero_Invoice_URL__c" in str(error) and "salesforce.writeback.invoice_url" in str(error)
    assert isinstance(error, SalesforceInvalidField)
    assert org.state.get("Opportunity", DEAL).get("Xero_Invoice_Number__c") is None  # type: ignore[union-attr]


def test_patch_refuses_read_only_fields_and_bad_values(client: SalesforceClient) -> None:
    with pytest.raises(SalesforceRequestError) as raised:
        client.update_record("Opportunity", DEAL, {"IsWon": False})
    assert raised.value.error_code == "INVALID_FIELD_FOR_INSERT_UPDATE" and raised.value.fields == ["IsWon"]
    with pytest.raises(SalesforceRequestError, match=r"data value too large"):
        client.update_record("Opportunity", DEAL, {"Xero_Invoice_Status__c": "x" * 41})
    with pytest.raises(ValueError, match="record id"):
        client.update_record("Opportunity", "../../limits", {"Name": "x"})


def test_amount_is_ignored_when_the_deal_has_products(org: Org, client: SalesforceClient) -> None:
    client.update_record("Opportunity", DEAL, {"Amount": 1, "NextStep": "Invoice"})
    record = org.state.get("Opportunity", DEAL)
    assert record is not None and record["Amount"] == 14900 and record["NextStep"] == "Invoice"


def test_get_record_and_not_found(org: Org, client: SalesforceClient) -> None:
    record = client.get_record("Opportunity", DEAL, ["Name", "Amount", "CloseDate"])
    assert record["Name"] == demo.OPPORTUNITIES[0].name and record["CloseDate"] == "2026-11-27"
    assert record["attributes"]["type"] == "Opportunity"
    org.state.delete("Opportunity", DEAL)
    with pytest.raises(SalesforceNotFound) as raised:
        client.get_record("Opportunity", DEAL)
    assert raised.value.error_code == "ENTITY_IS_DELETED"
    with pytest.raises(SalesforceNotFound):
        client.opportunity(DEAL)
    with pytest.raises(SalesforceNotFound):
        client.get_record("Opportunity", demo.sf_id("006", 999))
