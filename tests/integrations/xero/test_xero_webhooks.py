"""Webhook signatures (valid, invalid, intent to receive) and the sandbox delivering signed
events to a receiver that verifies them with ``WebhookVerifier``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from integrations import demo_data as demo
from integrations.loopback import LoopbackServer
from integrations.xero import WebhookPayload, WebhookVerifier, XeroClient, sign_webhook_body
from integrations.xero.sandbox import disable_nagle
from tests.integrations.xero.conftest import WEBHOOK_KEY, XeroRig

EVENT = {"resourceUrl": "https://api.xero.com/api.xro/2.0/Invoices/" + demo.INVOICES[8].id,
         "resourceId": demo.INVOICES[8].id, "eventDateUtc": "2026-07-01T12:00:00.923", "eventType": "UPDATE",
         "eventCategory": "INVOICE", "tenantId": demo.TENANT_ID, "tenantType": "ORGANISATION"}
BODY = json.dumps({"events": [EVENT], "firstEventSequence": 3, "lastEventSequence": 3,
                   "entropy": "FXNGWLCCGVANWHKILRUB"}).encode()
ITR = b'{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"S0m3r4Nd0mt3xt"}'


@pytest.fixture
def verifier() -> WebhookVerifier:
    return WebhookVerifier(WEBHOOK_KEY)


def test_a_correctly_signed_event_is_accepted_and_parsed(verifier: WebhookVerifier) -> None:
    verdict = verifier.verify(BODY, sign_webhook_body(WEBHOOK_KEY, BODY))
    assert verdict.status_code == 200 and verdict.payload is not None
    event = verdict.payload.events[0]
    assert (event.resource_id, event.event_category, event.event_type, event.tenant_id) == (
        demo.INVOICES[8].id, "INVOICE", "UPDATE", demo.TENANT_ID)
    assert event.event_date_utc == datetime(2026, 7, 1, 12, 0, 0, 923000, tzinfo=UTC)


@pytest.mark.parametrize("signature", [None, "", "bm90IGEgc2lnbmF0dXJl", sign_webhook_body("another key", BODY)])
def test_a_wrong_or_missing_signature_is_401(verifier: WebhookVerifier, signature: str | None) -> None:
    assert verifier.verify(BODY, signature).status_code == 401


def test_the_signature_covers_the_exact_bytes(verifier: WebhookVerifier) -> None:
    reformatted = json.dumps(json.loads(BODY), indent=2).encode()
    assert verifier.verify(reformatted, sign_webhook_body(WEBHOOK_KEY, BODY)).status_code == 401


def test_intent_to_receive_with_sequence_zero(verifier: WebhookVerifier) -> None:
    good = verifier.verify(ITR, sign_webhook_body(WEBHOOK_KEY, ITR))
    assert good.status_code == 200 and good.payload is not None and good.payload.is_intent_to_receive
    assert verifier.verify(ITR, sign_webhook_body("wrong", ITR)).status_code == 401


def test_a_signed_but_unreadable_body_is_still_acknowledged(verifier: WebhookVerifier) -> None:
    verdict = verifier.verify(b"not json", sign_webhook_body(WEBHOOK_KEY, b"not json"))
    assert verdict.status_code == 200 and verdict.payload is None and verdict.error
    assert "wh-key" not in repr(verifier)


class Receiver:
    """The bot's endpoint in miniature: verify, answer 200/401 with an empty body, keep the events."""

    def __init__(self) -> None:
        self.verifier = WebhookVerifier(WEBHOOK_KEY)
        self.payloads: list[WebhookPayload] = []
        self.app = Starlette(routes=[Route("/xero/webhooks", self.receive, methods=["POST"])])

    async def receive(self, request: Request) -> Response:
        verdict = self.verifier.verify(await request.body(), request.headers.get("x-xero-signature"))
        if verdict.payload is not None:
            self.payloads.append(verdict.payload)
        return Response(status_code=verdict.status_code)


@pytest.fixture(scope="module")
def receiver() -> Iterator[tuple[Receiver, str]]:
    receiver = Receiver()
    with disable_nagle(LoopbackServer(receiver.app)) as server:
        yield receiver, server.url + "/xero/webhooks"


def test_the_sandbox_signs_what_it_sends(rig: XeroRig, xero: XeroClient, receiver: tuple[Receiver, str]) -> None:
    inbox, url = receiver
    inbox.payloads.clear()
    rig.state.webhooks.url = url
    assert rig.state.send_intent_to_receive() == 200
    assert rig.state.send_intent_to_receive(signed_correctly=False) == 401
    rig.state.record_payment("INV-0043", "500.00")  # the demo's "pay" sends an INVOICE event
    event = inbox.payloads[-1].events[0]
    assert (event.event_category, event.event_type, event.tenant_type) == ("INVOICE", "UPDATE", "ORGANISATION")
    assert event.resource_url == f"{rig.url}/api.xro/2.0/Invoices/{event.resource_id}"
    assert xero.get_invoice(event.resource_id).amount_paid == 500  # the targeted fetch a webhook triggers


def test_api_writes_send_events_when_auto_send_is_on(rig: XeroRig, xero: XeroClient,
                                                     receiver: tuple[Receiver, str]) -> None:
    inbox, url = receiver
    inbox.payloads.clear()
    rig.state.webhooks.url, rig.state.webhooks.auto_send = url, True
    draft = xero.get_invoice("INV-0005")
    xero.authorise_invoice(draft.invoice_id)
    rig.state.webhooks.wait_idle()
    assert [(e.resource_id, e.event_type) for p in inbox.payloads for e in p.events] == [(draft.invoice_id, "UPDATE")]
    sequences = [(p.first_event_sequence, p.last_event_sequence) for p in inbox.payloads]
    assert sequences == [(1, 1)]
