"""POST /xero/webhooks: signed deliveries answered at once with an empty body, stored once,
and the named records fetched by id within seconds."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import func, select

from bot.app import Paidup
from bot.domain import events
from bot.store.mirror import XeroInvoice
from bot.store.state import DomainEvent, WebhookEvent
from integrations.loopback import LoopbackServer
from integrations.xero import sign_webhook_body
from tests.bot.sync.conftest import WEBHOOK_KEY, World


@pytest.fixture
def served(world: World) -> Iterator[tuple[Paidup, str]]:
    paidup = world.paidup()
    paidup.sync.sync("salesforce"), paidup.sync.sync("xero")
    paidup.webhook_worker.start()
    with LoopbackServer(paidup.web_app()) as server:
        world.xero.webhooks.url = f"{server.url}/xero/webhooks"
        yield paidup, server.url
    paidup.close()


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def invoice(paidup: Paidup, number: str) -> XeroInvoice:
    with paidup.db.session() as s:
        return s.scalar(select(XeroInvoice).where(XeroInvoice.number == number))


def test_intent_to_receive(world: World, served: tuple[Paidup, str]) -> None:
    assert world.xero.send_intent_to_receive(signed_correctly=True) == 200
    assert world.xero.send_intent_to_receive(signed_correctly=False) == 401
    status, _ = world.xero.webhooks.deliveries[-1]
    assert status == 401


def test_a_payment_webhook_fetches_that_invoice_and_emits_its_events(world: World,
                                                                     served: tuple[Paidup, str]) -> None:
    paidup, _ = served
    calls_before = paidup.xero.calls_made
    started = datetime.now(UTC)
    world.xero.record_payment("INV-0043")  # sends the INVOICE webhook
    wait_for(lambda: invoice(paidup, "INV-0043").status == "PAID")
    assert invoice(paidup, "INV-0043").amount_due == Decimal("0.00")
    assert paidup.xero.calls_made - calls_before <= 2  # one GET by IDs (plus a possible token refresh)
    with paidup.db.session() as s:
        # every event of the change, handled or not (a consumer wired after the fetch may have taken some already)
        kinds = sorted(s.scalars(select(DomainEvent.kind).where(DomainEvent.created_at >= started)))
        assert kinds == [events.INVOICE_PAID, events.PAYMENT_RECEIVED]

    def unprocessed() -> int:  # marked processed after the fetch's run (and its after-sync steps) is done
        with paidup.db.session() as s:
            return s.scalar(select(func.count()).select_from(WebhookEvent).where(WebhookEvent.processed_at.is_(None)))

    wait_for(lambda: unprocessed() == 0)


def test_the_answer_is_empty_and_a_redelivery_is_applied_once(world: World, served: tuple[Paidup, str]) -> None:
    paidup, url = served
    body = (b'{"events":[{"resourceUrl":"https://evil.example/steal","resourceId":"%s",'
            b'"eventDateUtc":"2026-11-28T10:00:00.000","eventType":"UPDATE","eventCategory":"INVOICE",'
            b'"tenantId":"%s","tenantType":"ORGANISATION"}],"firstEventSequence":1,"lastEventSequence":1,'
            b'"entropy":"ABC"}') % (world.xero.invoice("INV-0090")["InvoiceID"].encode(),
                                     world.xero.tenant_id.encode())
    headers = {"x-xero-signature": sign_webhook_body(WEBHOOK_KEY, body), "content-type": "application/json"}
    world.xero.record_payment("INV-0090", "100.00", notify=False)
    first = httpx.post(f"{url}/xero/webhooks", content=body, headers=headers)
    second = httpx.post(f"{url}/xero/webhooks", content=body, headers=headers)
    assert (first.status_code, first.content, second.status_code, second.content) == (200, b"", 200, b"")
    wait_for(lambda: invoice(paidup, "INV-0090").amount_paid == Decimal("100.00"))
    time.sleep(0.3)
    with paidup.db.session() as s:
        assert s.scalar(select(func.count()).select_from(WebhookEvent)) == 1
        part_paid = s.scalars(select(DomainEvent).where(DomainEvent.kind == events.INVOICE_PART_PAID)).all()
        assert len(part_paid) == 1


def test_a_bad_signature_is_refused_and_stores_nothing(world: World, served: tuple[Paidup, str]) -> None:
    paidup, url = served
    body = b'{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"X"}'
    response = httpx.post(f"{url}/xero/webhooks", content=body, headers={"x-xero-signature": "bm9wZQ=="})
    assert (response.status_code, response.content) == (401, b"")
    assert httpx.post(f"{url}/xero/webhooks", content=body).status_code == 401
    with paidup.db.session() as s:
        assert s.scalar(select(func.count()).select_from(WebhookEvent)) == 0


def test_an_id_xero_does_not_know_becomes_a_failure(world: World, served: tuple[Paidup, str]) -> None:
    paidup, _ = served
    summary = paidup.sync.fetch_records("invoices", ["00000000-0000-0000-0000-0000000000ff"])
    assert summary.status == "partial" and summary.failed == 1


def test_healthz_reports_freshness(world: World, served: tuple[Paidup, str]) -> None:
    _, url = served
    body = httpx.get(f"{url}/healthz").json()
    assert body["status"] == "ok"
    assert body["sources"]["xero"]["stale"] is False and body["sources"]["salesforce"]["open_failures"] == 0
