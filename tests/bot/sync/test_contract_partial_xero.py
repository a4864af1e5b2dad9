"""A Xero that serves contacts, invoices and payments but answers 404 for the settings collections
and CreditNotes (a narrower implementation of the published API than our sandbox): the sync still
mirrors what it serves, says ok, and status answers have the invoices."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.app import Paidup
from bot.config import load_app_config
from bot.store.mirror import XeroInvoice, XeroOrganisation
from bot.store.session import Database
from integrations import demo_data as demo
from integrations.loopback import LoopbackServer
from integrations.salesforce.sandbox import create_salesforce_sandbox
from integrations.xero.sandbox import create_xero_sandbox
from tests.bot.sync.conftest import SF_ID, SF_SECRET, WEBHOOK_KEY, XERO_ID, XERO_SECRET, settings_for
from tests.conftest import ROOT

NOT_SERVED = ("/api.xro/2.0/TaxRates", "/api.xro/2.0/Currencies", "/api.xro/2.0/Accounts", "/api.xro/2.0/Items",
              "/api.xro/2.0/CreditNotes")


def without(paths: tuple[str, ...], app: Any, answer: Any = None) -> Any:
    """``app`` answering 404 with ``answer`` (default Xero's problem shape) for ``paths``."""
    body = json.dumps({"Title": "NotFound", "Status": 404} if answer is None else answer).encode()

    async def narrower(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] in paths:
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": body})
            return
        await app(scope, receive, send)
    return narrower


@pytest.fixture
def paidup(db: Database) -> Iterator[Paidup]:
    today = datetime.now(UTC).date()
    xero, xero_app = create_xero_sandbox(today=today, client_id=XERO_ID, client_secret=XERO_SECRET,
                                         webhook_key=WEBHOOK_KEY)
    _, sf_app = create_salesforce_sandbox(today=today, client_id=SF_ID, client_secret=SF_SECRET)
    with LoopbackServer(without(NOT_SERVED, xero_app)) as xero_server, LoopbackServer(sf_app) as sf_server:
        xero.base_url = xero_server.url
        yield Paidup(settings_for(xero_server.url, sf_server.url), load_app_config(ROOT / "app.yml"), db=db)


def test_collections_xero_does_not_serve_leave_the_rest_of_the_sync_standing(paidup: Paidup) -> None:
    result = paidup.sync.sync("xero", full=True)
    assert result.status == "ok"
    with paidup.db.session() as s:
        assert s.query(XeroInvoice).count() == len(demo.INVOICES)
        assert s.query(XeroOrganisation).count() == 1
