"""A Salesforce whose REST API answers 404 for ``queryAll`` (a narrower implementation than our
sandbox): accounts, opportunities and owners still sync; only deletions go unseen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.app import Paidup
from bot.config import load_app_config
from bot.store.mirror import SfOpportunity
from bot.store.session import Database
from integrations import demo_data as demo
from integrations.loopback import LoopbackServer
from integrations.salesforce.sandbox import create_salesforce_sandbox
from integrations.xero.sandbox import create_xero_sandbox
from tests.bot.sync.conftest import SF_ID, SF_SECRET, WEBHOOK_KEY, XERO_ID, XERO_SECRET, settings_for
from tests.bot.sync.test_contract_partial_xero import without
from tests.conftest import ROOT


@pytest.fixture
def paidup(db: Database) -> Iterator[Paidup]:
    today = datetime.now(UTC).date()
    xero, xero_app = create_xero_sandbox(today=today, client_id=XERO_ID, client_secret=XERO_SECRET,
                                         webhook_key=WEBHOOK_KEY)
    _, sf_app = create_salesforce_sandbox(today=today, client_id=SF_ID, client_secret=SF_SECRET)
    no_query_all = without(("/services/data/v64.0/queryAll",), sf_app, [
        {"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}])
    with LoopbackServer(xero_app) as xero_server, LoopbackServer(no_query_all) as sf_server:
        xero.base_url = xero_server.url
        yield Paidup(settings_for(xero_server.url, sf_server.url), load_app_config(ROOT / "app.yml"), db=db)


def test_an_org_api_without_query_all_still_syncs_accounts_and_opportunities(paidup: Paidup) -> None:
    result = paidup.sync.sync("salesforce", full=True)
    assert result.status == "ok"
    with paidup.db.session() as s:
        assert s.query(SfOpportunity).count() == len(demo.OPPORTUNITIES)
