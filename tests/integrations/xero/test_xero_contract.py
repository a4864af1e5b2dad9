"""Contract tests: every request body the client sends and every response the sandbox returns
validate against Xero's own OpenAPI component schemas (``spec/``, MIT, XeroAPI/Xero-OpenAPI).

Per FACTS.md §12: PyYAML's timestamp resolver is dropped (example dates stay strings) and
component schemas are validated, not the whole document. Formats: ``uuid`` is checked;
``date-time`` is not, because Xero's own Connection example (``2019-12-07T18:46:19.5165400``)
has no offset and would fail an RFC 3339 check.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from jsonschema import FormatChecker
from openapi_schema_validator import OAS30Validator, OAS31Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

from integrations import demo_data as demo
from integrations.xero import XeroClient, XeroError
from integrations.xero.write_models import (
    AccountRef,
    ContactRef,
    InvoiceIdRef,
    InvoiceUpdate,
    NewContact,
    NewInvoice,
    NewLineItem,
    NewPayment,
)
from tests.integrations.xero.conftest import TODAY, XeroRig

SPEC = Path(__file__).parent / "spec"
ACCOUNTING, IDENTITY, WEBHOOKS = "urn:xero:accounting", "urn:xero:identity", "urn:xero:webhooks"


class _NoTimestamps(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loading (libyaml when present: the accounting spec is 0.9 MB) that keeps dates as text."""


_NoTimestamps.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@cache
def registry() -> Registry:
    def load(name: str) -> Any:
        return yaml.load((SPEC / name).read_text(), Loader=_NoTimestamps)  # noqa: S506 - a SafeLoader subclass

    return Registry().with_resources([
        (ACCOUNTING, Resource.from_contents(load("xero_accounting.yaml"), default_specification=DRAFT4)),
        (IDENTITY, Resource.from_contents(load("xero-identity.yaml"), default_specification=DRAFT4)),
        (WEBHOOKS, Resource.from_contents(load("xero-webhooks.yaml"), default_specification=DRAFT202012)),
    ])


UUID_ONLY = FormatChecker(formats=())
UUID_ONLY.checks("uuid", raises=ValueError)(oas30_format_checker.checkers["uuid"][0])


def errors(document: str, schema: str, instance: Any) -> list[str]:
    ref = {"$ref": f"{document}#/components/schemas/{schema}"}
    if schema.endswith("[]"):
        ref = {"type": "array", "items": {"$ref": f"{document}#/components/schemas/{schema[:-2]}"}}
    cls = OAS31Validator if document == WEBHOOKS else OAS30Validator
    validator = cls(ref, registry=registry(), format_checker=UUID_ONLY)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


_RESPONSE_SCHEMAS = [
    (r"/connections$", "GET", IDENTITY, "Connection[]"),
    (r"/connect/token$", "POST", IDENTITY, "AccessToken"),
    (r"/Invoices/[^/]+/OnlineInvoice$", "GET", ACCOUNTING, "OnlineInvoices"),
    (r"/Invoices(/[^/]+)?$", None, ACCOUNTING, "Invoices"),
    (r"/Contacts(/[^/]+)?$", None, ACCOUNTING, "Contacts"),
    (r"/Payments(/[^/]+)?$", None, ACCOUNTING, "Payments"),
    (r"/CreditNotes(/[^/]+)?$", None, ACCOUNTING, "CreditNotes"),
    (r"/Accounts$", "GET", ACCOUNTING, "Accounts"),
    (r"/Items$", "GET", ACCOUNTING, "Items"),
    (r"/TaxRates$", "GET", ACCOUNTING, "TaxRates"),
    (r"/Currencies$", "GET", ACCOUNTING, "Currencies"),
    (r"/Organisation$", "GET", ACCOUNTING, "Organisations"),
]
_REQUEST_SCHEMAS = [
    (r"/Invoices/[^/]+/Email$", "RequestEmpty"),
    (r"/Invoices(/[^/]+)?$", "Invoices"),
    (r"/Contacts$", "Contacts"),
    (r"/Payments$", "Payments"),
]


def response_schema(request: httpx.Request, response: httpx.Response) -> tuple[str, str] | None:
    if response.status_code == 400:
        return ACCOUNTING, "Error"
    if response.status_code != 200:
        return None  # 204 and 429 have no body; 401/403 problem details and 404 text are not in the spec
    for pattern, method, document, schema in _RESPONSE_SCHEMAS:
        if re.search(pattern, request.url.path, re.IGNORECASE) and method in (None, request.method):
            return document, schema
    raise AssertionError(f"no schema mapped for {request.method} {request.url.path}")


def request_schema(request: httpx.Request) -> str | None:
    if request.method not in ("PUT", "POST") or "/api.xro/" not in request.url.path:
        return None
    return next(schema for pattern, schema in _REQUEST_SCHEMAS if re.search(pattern, request.url.path, re.I))


def exercise(rig: XeroRig, xero: XeroClient) -> None:
    """Most of what Paidup does with Xero, successes and refusals."""
    rig.state.add_credit_note("INV-0080", "50.00")
    for pages in (xero.invoice_pages(page_size=5), xero.contact_pages(include_archived=True),
                  xero.payment_pages(), xero.credit_note_pages(), xero.invoice_pages(summary_only=True)):
        list(pages)
    xero.accounts(), xero.items(), xero.tax_rates(), xero.currencies(), xero.organisation()
    xero.get_invoice("INV-0060"), xero.get_contact(demo.XERO_CONTACT["acme"].id), xero.connections()
    line = NewLineItem(description="Seats", quantity=Decimal(3), unit_amount=Decimal("240.00"), account_code="200",
                       tax_type="OUTPUT", discount_rate=Decimal("5"))
    new = NewInvoice(contact=ContactRef(contact_id=demo.XERO_CONTACT["globex"].id), line_items=[line], date=TODAY,
                     due_date=TODAY + timedelta(days=14), reference="Opp 006", line_amount_types="Exclusive")
    created = xero.create_invoice(new, idempotency_key="contract-1")
    xero.update_invoice(created.invoice_id, InvoiceUpdate(reference="Opp 006 (edited)", line_items=[line]))
    xero.authorise_invoice(created.invoice_id)
    xero.email_invoice(created.invoice_id)
    xero.online_invoice_url(created.invoice_id)
    xero.create_payment(NewPayment(invoice=InvoiceIdRef(invoice_id=created.invoice_id),
                                   account=AccountRef(code="090"), amount=Decimal("10.00"), date=TODAY),
                        idempotency_key="contract-pay")
    xero.create_contact(NewContact(name="Stark Industries", email_address="ap@stark.example"), idempotency_key="c")
    rig.clock.advance(31 * 60)  # the access token expires: the next call refreshes it at /connect/token
    xero.currencies()
    for refused in (lambda: xero.void_invoice(xero.get_invoice("INV-0001").invoice_id),
                    lambda: xero.create_invoice(new.model_copy(update={"currency_code": "JPY"}), idempotency_key="x"),
                    lambda: list(xero.invoice_pages(where="Status = = 1"))):
        with pytest.raises(XeroError):
            refused()


def test_every_request_and_response_follows_the_published_schemas(rig: XeroRig, xero: XeroClient) -> None:
    exercise(rig, xero)
    problems, covered = [], set()
    for request, response in rig.exchanges:
        checks = []
        if (schema := request_schema(request)) is not None:
            checks.append(("request", ACCOUNTING, schema, json.loads(request.content)))
        if (target := response_schema(request, response)) is not None:
            checks.append(("response", *target, response.json()))
        for side, document, name, body in checks:
            covered.add(f"{side}:{name}")
            where = f"{request.method} {request.url.path} {side} {name}"
            problems += [f"{where}: {e}" for e in errors(document, name, body)]
    assert problems == []
    assert covered >= {
        "request:Invoices", "request:RequestEmpty", "request:Contacts", "request:Payments", "response:Invoices",
        "response:Contacts", "response:Payments", "response:CreditNotes", "response:Accounts", "response:Items",
        "response:TaxRates", "response:Currencies", "response:Organisations", "response:OnlineInvoices",
        "response:Error", "response:Connection[]", "response:AccessToken"}


def test_the_schemas_do_bite(rig: XeroRig, xero: XeroClient) -> None:
    """The validator really checks: a wrong type or a malformed id is reported."""
    assert errors(ACCOUNTING, "Invoices", {"Invoices": [{"InvoiceID": "not-a-uuid"}]})
    assert errors(ACCOUNTING, "Invoices", {"Invoices": [{"Total": "12.00"}]})
    assert errors(ACCOUNTING, "Invoices", {"Invoices": [{"Status": "OPEN"}]})


def test_webhook_payloads_follow_the_webhooks_spec(rig: XeroRig) -> None:
    rig.state.webhooks.url = "http://127.0.0.1:9/nobody-listens"  # deliveries are recorded either way
    rig.state.send_webhook("INVOICE", demo.INVOICES[1].id, "UPDATE")
    rig.state.send_webhook("CONTACT", demo.XERO_CONTACT["acme"].id, "CREATE")
    rig.state.send_intent_to_receive()
    event_payloads = [payload for _, payload in rig.state.webhooks.deliveries if payload["events"]]
    assert len(event_payloads) == 2
    for payload in event_payloads:
        assert errors(WEBHOOKS, "WebhookEvent", payload) == []
    intent = rig.state.webhooks.deliveries[-1][1]
    assert intent["firstEventSequence"] == 0
    assert errors(WEBHOOKS, "WebhookEvent", intent)  # the spec's minimum: 1 rejects Xero's real probe (§12)
