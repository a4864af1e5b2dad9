"""A world to sync: the Xero and Salesforce sandboxes on loopback, and a Paidup wired to them
exactly as `paidup serve` would be (settings from the environment names, tokens encrypted in
the test database)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bot.app import Paidup
from bot.config import Settings, load_app_config
from bot.store.session import Database
from integrations.loopback import LoopbackServer
from integrations.salesforce.sandbox import SalesforceState, create_salesforce_sandbox
from integrations.xero.sandbox import XeroSandboxState, start_xero_sandbox
from tests.conftest import ROOT

SECRET_KEY = "test-secret-key-that-is-long-enough"
XERO_ID, XERO_SECRET, WEBHOOK_KEY = "sandbox-client-id", "sandbox-client-secret", "sandbox-webhook-key"
SF_ID, SF_SECRET = "paidup-sandbox-client", "paidup-sandbox-secret"


@dataclass
class World:
    xero: XeroSandboxState
    salesforce: SalesforceState
    settings: Settings
    db: Database

    def paidup(self) -> Paidup:
        """A fresh composition, as a new process would build it."""
        return Paidup(self.settings, load_app_config(ROOT / "app.yml"), db=self.db)


def settings_for(xero_url: str, salesforce_url: str, **extra: str) -> Settings:
    return Settings(_env_file=None, PAIDUP_SECRET_KEY=SECRET_KEY, XERO_API_URL=xero_url, XERO_IDENTITY_URL=xero_url,
                    XERO_CLIENT_ID=XERO_ID, XERO_CLIENT_SECRET=XERO_SECRET, XERO_GRANT="client_credentials",
                    XERO_WEBHOOK_KEY=WEBHOOK_KEY, SALESFORCE_LOGIN_URL=salesforce_url, SALESFORCE_CLIENT_ID=SF_ID,
                    SALESFORCE_CLIENT_SECRET=SF_SECRET, **extra)


@pytest.fixture
def world(db: Database) -> Iterator[World]:
    today = datetime.now(UTC).date()
    xero, xero_server = start_xero_sandbox(today=today, client_id=XERO_ID, client_secret=XERO_SECRET,
                                           webhook_key=WEBHOOK_KEY)
    salesforce, app = create_salesforce_sandbox(today=today, client_id=SF_ID, client_secret=SF_SECRET,
                                                batch_size=200)
    with LoopbackServer(app) as sf_server:
        yield World(xero, salesforce, settings_for(xero_server.url, sf_server.url), db)
    xero_server.stop()
